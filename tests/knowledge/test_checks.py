"""The checked entry points for knowledge writes: each fetches the item (and
reply) with its permission check, so any interface refuses whom the page
refuses, and a refusal changes nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from knowledge import checks
from knowledge.models import Adoption, HelpfulMark, Item, Reply
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW = {"kind": "story", "title": "Night shift", "body": "It went well.", "tags": []}


def _state():
    return (
        list(Item.objects.order_by("pk").values()),
        list(Reply.objects.order_by("pk").values()),
        HelpfulMark.objects.count(),
        Adoption.objects.count(),
    )


@pytest.fixture
def reply(story, steward):
    return checks.check_reply_create(
        acting_user=steward,
        community_slug=story.community.slug,
        item_id=story.pk,
        body="Nice.",
    )


def _item_checks(item, reply, target):
    """Every item/reply check, as a call taking the acting user."""
    at = {"community_slug": item.community.slug, "item_id": item.pk}
    on_reply = {**at, "reply_id": reply.pk}
    return {
        "update": lambda u: checks.check_item_update(acting_user=u, **at, **NEW),
        "hide": lambda u: checks.check_item_hide(acting_user=u, **at),
        "restore": lambda u: checks.check_item_restore(acting_user=u, **at),
        "helpful": lambda u: checks.check_helpful_set(
            acting_user=u, **at, helpful=True
        ),
        "reply": lambda u: checks.check_reply_create(acting_user=u, **at, body="Hi"),
        "reply_update": lambda u: checks.check_reply_update(
            acting_user=u, **on_reply, body="Edited"
        ),
        "reply_hide": lambda u: checks.check_reply_hide(acting_user=u, **on_reply),
        "reply_restore": lambda u: checks.check_reply_restore(
            acting_user=u, **on_reply
        ),
        "accept": lambda u: checks.check_answer_accept(
            acting_user=u, **on_reply, accept=True
        ),
        "share": lambda u: checks.check_item_share(
            acting_user=u, **at, community=target, note="See"
        ),
        "adopt": lambda u: checks.check_adoption_record(
            acting_user=u, **at, community=target, note="Us too"
        ),
    }


ALL = [
    "update",
    "hide",
    "restore",
    "helpful",
    "reply",
    "reply_update",
    "reply_hide",
    "reply_restore",
    "accept",
    "share",
    "adopt",
]


@pytest.mark.parametrize("check", ALL)
def test_every_check_hides_a_private_item_from_outsiders(
    private, member, steward, other_member, check
):
    item = checks.check_item_create(
        acting_user=member, community_slug=private.slug, **NEW
    )
    reply = checks.check_reply_create(
        acting_user=steward, community_slug=private.slug, item_id=item.pk, body="Hi"
    )
    target = CommunityFactory()
    MembershipFactory(user=other_member, community=target)
    before = _state()
    with pytest.raises(Http404):
        _item_checks(item, reply, target)[check](other_member)
    assert _state() == before


@pytest.mark.parametrize("check", ALL)
def test_every_check_refuses_anonymous_people(story, reply, check):
    before = _state()
    with pytest.raises(PermissionDenied):
        _item_checks(story, reply, CommunityFactory())[check](AnonymousUser())
    assert _state() == before


# A member of neither community may see an open community's story, and may
# mark it helpful, share or adopt it elsewhere, but not edit, moderate, reply
# or accept there.
REFUSED_TO_A_VISITOR = [
    "update",
    "hide",
    "restore",
    "reply",
    "reply_update",
    "reply_hide",
    "reply_restore",
    "accept",
]


@pytest.mark.parametrize("check", REFUSED_TO_A_VISITOR)
def test_a_visitor_of_an_open_community_is_refused_with_403(
    story, reply, other_member, check
):
    before = _state()
    with pytest.raises(PermissionDenied):
        _item_checks(story, reply, CommunityFactory())[check](other_member)
    assert _state() == before


@pytest.mark.parametrize("check", ["share", "adopt"])
def test_spreading_into_a_community_one_is_not_active_in_is_refused(
    story, reply, other_member, check
):
    before = _state()
    with pytest.raises(ValidationError, match="active member"):
        _item_checks(story, reply, CommunityFactory())[check](other_member)
    assert _state() == before


def test_posting_needs_active_membership(community, other_member):
    with pytest.raises(PermissionDenied):
        checks.check_item_create(
            acting_user=other_member, community_slug=community.slug, **NEW
        )
    assert not Item.objects.exists()


def test_posting_in_an_archived_community_is_refused(archived, member):
    with pytest.raises(PermissionDenied):
        checks.check_item_create(
            acting_user=member, community_slug=archived.slug, **NEW
        )
    assert not Item.objects.exists()


def test_a_wrong_community_slug_is_404(story, member, private):
    with pytest.raises(Http404):
        checks.check_item_hide(
            acting_user=member, community_slug=private.slug, item_id=story.pk
        )


def test_the_author_and_steward_work_through_the_checks(story, reply, member, steward):
    at = {"community_slug": story.community.slug, "item_id": story.pk}
    checks.check_item_update(acting_user=member, **at, **NEW)
    checks.check_item_hide(acting_user=member, **at)
    checks.check_item_restore(acting_user=steward, **at)
    assert checks.check_helpful_set(acting_user=steward, **at, helpful=True)
    story.refresh_from_db()
    assert story.title == "Night shift" and not story.is_hidden
    assert story.helpful_count == 1
