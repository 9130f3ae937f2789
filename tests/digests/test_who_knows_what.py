"""The digest's "who knows what": on the period's busiest tags, the members
whose stories and answers helped most, counted only in what every reader of
the digest may see (open communities and this one)."""

import pytest
from django.core import mail

from digests import build
from digests.build import digest_build, digest_content
from digests.compose import digest_message
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    c = CommunityFactory(name="Platform Guild")
    other_open = CommunityFactory(name="Open Ops")
    secret = CommunityFactory(name="Secret Squad", private=True)
    hana = UserFactory(display_name="Hana Helpful")
    abe = UserFactory(display_name="Abe Answerer")
    sam = UserFactory(display_name="Sam Secret")
    quiet = UserFactory(display_name="Quinn Quiet")
    gone = UserFactory(display_name="Gil Gone", is_active=False)
    # This week's tags here: kubernetes (2 items), budget (1).
    ItemFactory(community=c, created_at=at(1), tags=["kubernetes"])
    ItemFactory(community=c, created_at=at(2), tags=["kubernetes", "budget"])
    # Helpful stories on those tags, older or elsewhere in the open.
    ItemFactory(community=other_open, author=hana, helpful_count=4, tags=["kubernetes"])
    ItemFactory(community=c, author=hana, helpful_count=1, tags=["budget"])
    ItemFactory(community=c, author=quiet, helpful_count=0, tags=["kubernetes"])
    ItemFactory(community=c, author=gone, helpful_count=9, tags=["kubernetes"])
    # An accepted answer weighs three marks.
    question = ItemFactory(
        community=c, kind=ItemKind.QUESTION, created_at=at(-20), tags=["kubernetes"]
    )
    answer = ReplyFactory(item=question, author=abe)
    question.accepted_reply = answer
    question.save(update_fields=["accepted_reply"])
    # A private community's praise never names anyone in this digest.
    ItemFactory(community=secret, author=sam, helpful_count=50, tags=["kubernetes"])
    # A tag not used this period does not count.
    ItemFactory(community=c, author=quiet, helpful_count=20, tags=["remote"])
    return {"community": c, "hana": hana, "abe": abe, "secret": secret}


def test_who_knows_what_ranks_people_on_the_periods_tags(week):
    content = digest_content(community=week["community"], period="weekly", start=START)
    people = content["who_knows_what"]
    assert [p["name"] for p in people] == ["Hana Helpful", "Abe Answerer"]
    hana, abe = people
    assert hana["score"] == 5 and hana["tags"][0] == {
        "name": "kubernetes",
        "helpful": 4,
        "accepted": 0,
        "score": 4,
    }
    assert {t["name"] for t in hana["tags"]} == {"kubernetes", "budget"}
    assert abe["score"] == 3 and abe["tags"][0]["accepted"] == 1
    assert hana["url"].endswith(f"/{week['hana'].username}/")


def test_private_community_digest_counts_its_own_content(week):
    secret = week["secret"]
    ItemFactory(community=secret, created_at=at(1), tags=["kubernetes"])
    content = digest_content(community=secret, period="weekly", start=START)
    assert content["who_knows_what"][0]["name"] == "Sam Secret"


def test_quiet_period_has_no_who_knows_what():
    content = digest_content(community=CommunityFactory(), period="weekly", start=START)
    assert content["who_knows_what"] == []


def test_who_knows_what_is_in_the_page_and_both_email_parts(week, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader = UserFactory(digest_frequency="weekly")
    MembershipFactory(user=reader, community=week["community"])
    digest = digest_build(community=week["community"], period="weekly", start=START)
    assert "Who knows what" in digest.html and "Hana Helpful" in digest.html
    assert "Sam Secret" not in digest.html
    message = digest_message(
        member=reader,
        period="weekly",
        start=START,
        digests=[digest],
        notifications=[],
    )
    text = message.body
    html = message.alternatives[0][0]
    for part in (text, html):
        assert "Who knows what" in part and "Hana Helpful" in part
        assert "Sam Secret" not in part
    assert mail.outbox == []


def test_who_knows_what_is_bounded_per_tag(week, monkeypatch):
    """Only each tag's latest items count, so old history costs nothing."""
    monkeypatch.setattr(build, "KNOWING_RECENT_ITEMS", 1)
    # The newest item on both tags helped nobody yet: with a bound of one
    # item per tag, the older helpful history is not read.
    ItemFactory(community=week["community"], tags=["kubernetes", "budget"])
    content = digest_content(community=week["community"], period="weekly", start=START)
    assert content["who_knows_what"] == []
    monkeypatch.setattr(build, "KNOWING_RECENT_ITEMS", 500)
    content = digest_content(community=week["community"], period="weekly", start=START)
    assert content["who_knows_what"]


@pytest.mark.parametrize("candidates", [1, 2, 3])
def test_fetching_only_the_best_scored_people_ranks_the_same(
    week, monkeypatch, candidates
):
    """Only the best-scored people are loaded to rank the list; an inactive
    top scorer (Gil, 9 marks) or too few active candidates falls back to
    everyone, so the list is the one ranking everybody gives."""
    everyone = digest_content(community=week["community"], period="weekly", start=START)
    monkeypatch.setattr(build, "KNOWING_CANDIDATES", candidates)
    fewer = digest_content(community=week["community"], period="weekly", start=START)
    assert fewer["who_knows_what"] == everyone["who_knows_what"]
    assert [p["name"] for p in everyone["who_knows_what"]] == [
        "Hana Helpful",
        "Abe Answerer",
    ]
