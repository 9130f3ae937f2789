"""communities.access.visible_communities_key: the written-out statement
names exactly the communities visible_communities_q() lets through."""

import pytest
from django.contrib.auth.models import AnonymousUser

from communities.access import (
    communities_visible_to,
    visible_communities_key,
    visible_community_ids_text,
)
from communities.models import Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _orm_ids(user) -> str:
    ids = communities_visible_to(user).order_by("pk").values_list("pk", flat=True)
    return ",".join(str(pk) for pk in ids)


def test_the_key_lists_what_the_orm_rule_lets_through(world):
    Status = Membership.Status
    left = CommunityFactory(private=True)
    MembershipFactory(community=left, user=world.member, status=Status.LEFT)
    invited = CommunityFactory(private=True)
    MembershipFactory(community=invited, user=world.outsider, status=Status.INVITED)
    CommunityFactory(private=True)
    CommunityFactory()
    for user in (
        world.member,
        world.pending,
        world.outsider,
        world.steward,
        world.staff,
    ):
        assert visible_community_ids_text(user) == _orm_ids(user), user
    assert str(world.private.pk) in visible_community_ids_text(world.member).split(",")
    assert str(world.private.pk) not in visible_community_ids_text(world.pending).split(
        ","
    )
    assert str(left.pk) not in visible_community_ids_text(world.member).split(",")


def test_anonymous_sees_nothing_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert visible_community_ids_text(AnonymousUser()) == ""


def test_joining_and_a_community_turning_private_change_the_key_at_once(world):
    before = visible_communities_key(world.outsider)
    assert visible_communities_key(UserFactory()) == before  # shared by outsiders
    MembershipFactory(community=world.private, user=world.outsider)
    joined = visible_communities_key(world.outsider)
    assert joined != before
    world.open.visibility = "private"
    world.open.save(update_fields=["visibility"])
    assert visible_communities_key(world.outsider) != joined
