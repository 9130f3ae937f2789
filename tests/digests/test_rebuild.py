"""A digest is built again only when what it is built from changed since it
was built: a rerun of the week builds and sends nothing."""

import pytest

from digests.build import digest_build
from digests.inputs import digest_inputs
from digests.models import Digest
from digests.tasks import digests_run
from knowledge.models import Item, ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guild():
    community = CommunityFactory(name="Platform Guild")
    ItemFactory(community=community, title="Blue-green deploys", created_at=at(1))
    return community


def build(community, **kwargs):
    return digest_build(community=community, period="weekly", start=START, **kwargs)


def test_inputs_unchanged_keep_the_stored_digest(guild, django_assert_num_queries):
    first = build(guild)
    Digest.objects.filter(pk=first.pk).update(html="as stored")
    with django_assert_num_queries(8):  # the signature (7 reads), the lookup
        second = build(guild)
    assert second.pk == first.pk and second.built_at == first.built_at
    assert Digest.objects.get(pk=first.pk).html == "as stored"


def test_a_new_item_in_the_week_builds_it_again(guild):
    first = build(guild)
    ItemFactory(community=guild, title="Chaos day", created_at=at(3))
    second = build(guild)
    assert second.built_at > first.built_at
    assert "Chaos day" in second.html and second.content["figures"]["items"] == 2


@pytest.mark.parametrize(
    "change",
    [
        "reply",
        "helpful_mark",
        "edit",
        "older_question_answered",
        "renamed",
    ],
)
def test_what_changes_a_digest_builds_it_again(guild, change):
    item = Item.objects.get(community=guild)
    waiting = ItemFactory(
        community=guild, kind=ItemKind.QUESTION, created_at=at(-30), title="Pager?"
    )
    before = digest_inputs(community_ids=[guild.pk], period="weekly", start=START)
    if change == "reply":
        ReplyFactory(item=item, created_at=at(2))
    elif change == "helpful_mark":
        HelpfulMarkFactory(item=item, created_at=at(2))
    elif change == "edit":
        Item.objects.filter(pk=item.pk).update(title="Renamed", edited_at=at(8))
    elif change == "older_question_answered":
        answer = ReplyFactory(item=waiting, created_at=at(9))
        Item.objects.filter(pk=waiting.pk).update(accepted_reply=answer)
    else:
        guild.name = "Platform Circle"
        guild.save(update_fields=["name"])
    after = digest_inputs(community_ids=[guild.pk], period="weekly", start=START)
    assert after[guild.pk] != before[guild.pk]


def test_activity_outside_the_week_and_elsewhere_changes_nothing(guild):
    other = CommunityFactory()
    before = digest_inputs(
        community_ids=[guild.pk, other.pk], period="weekly", start=START
    )
    ItemFactory(community=guild, created_at=at(10))  # the next week
    ItemFactory(community=other, created_at=at(2))
    after = digest_inputs(
        community_ids=[guild.pk, other.pk], period="weekly", start=START
    )
    assert after[guild.pk] == before[guild.pk]
    assert after[other.pk] != before[other.pk]


def test_force_builds_it_again_regardless(guild):
    first = build(guild)
    assert build(guild, force=True).built_at > first.built_at


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return digests_run.apply(kwargs=kwargs).get()

    return run


def test_a_rerun_enqueues_no_build_and_no_batch(guild, run):
    members = UserFactory.create_batch(2)
    for member in members:
        MembershipFactory(user=member, community=guild)
    quiet = CommunityFactory()
    MembershipFactory(user=UserFactory(), community=quiet)  # nothing to tell

    first = run(period="weekly", start=START.isoformat())
    assert first == {"builds": 2, "batches": 1}
    assert run(period="weekly", start=START.isoformat()) == {"builds": 0, "batches": 0}

    ItemFactory(community=quiet, title="Finally news", created_at=at(4))
    assert run(period="weekly", start=START.isoformat()) == {"builds": 1, "batches": 0}


def test_a_signature_read_before_is_stored_without_reading_it_again(
    guild, django_assert_num_queries
):
    signature = digest_inputs(community_ids=[guild.pk], period="weekly", start=START)
    first = build(guild, signature=signature[guild.pk])
    assert first.inputs == signature[guild.pk]
    with django_assert_num_queries(1):  # the lookup only: no signature read
        again = build(guild, signature=signature[guild.pk])
    assert again.pk == first.pk and again.built_at == first.built_at
    # An older signature than what the week holds now: a later run (which
    # reads the inputs) builds it again.
    ItemFactory(community=guild, title="Chaos day", created_at=at(3))
    assert build(guild).built_at > first.built_at


def test_the_fan_out_hands_each_build_the_signature_it_read(guild, run, monkeypatch):
    quiet = CommunityFactory()
    reads = []
    original = digest_inputs

    def counted(**kwargs):
        reads.append(sorted(kwargs["community_ids"]))
        return original(**kwargs)

    monkeypatch.setattr("digests.inputs.digest_inputs", counted)
    assert run(period="weekly", start=START.isoformat())["builds"] == 2
    assert reads == [sorted([guild.pk, quiet.pk])]  # once, for every community
    now = original(community_ids=[guild.pk, quiet.pk], period="weekly", start=START)
    stored = dict(Digest.objects.values_list("community_id", "inputs"))
    assert stored == now
