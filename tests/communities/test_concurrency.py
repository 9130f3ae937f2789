"""Races that only a real database with row locks can show: two stewards
stepping down at the same moment must still leave one steward, and a double
click that sends two joins at once makes one membership."""

import pytest

from communities import services
from communities.models import MemberCount, Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.concurrency import run_together
from tests.members.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def test_two_stewards_leaving_at_once_leave_one_steward():
    community = CommunityFactory()
    a = MembershipFactory(community=community, steward=True)
    b = MembershipFactory(community=community, steward=True)
    results = run_together(
        lambda: services.community_leave(acting_user=a.user, community=community),
        lambda: services.community_leave(acting_user=b.user, community=community),
    )
    refused = [r for r in results if isinstance(r, services.LastStewardError)]
    assert len(refused) == 1, results
    assert (
        Membership.objects.filter(
            community=community, role="steward", status="active"
        ).count()
        == 1
    )


def test_two_stewards_demoting_each_other_at_once_leave_one_steward():
    community = CommunityFactory()
    a = MembershipFactory(community=community, steward=True)
    b = MembershipFactory(community=community, steward=True)
    results = run_together(
        lambda: services.membership_demote(acting_user=a.user, membership=b),
        lambda: services.membership_demote(acting_user=b.user, membership=a),
    )
    assert sum(isinstance(r, services.LastStewardError) for r in results) == 1
    assert (
        Membership.objects.filter(
            community=community, role="steward", status="active"
        ).count()
        == 1
    )


def test_simultaneous_joins_make_one_membership():
    community = CommunityFactory()
    user = UserFactory()
    results = run_together(
        *[lambda: services.community_join(acting_user=user, community=community)] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Membership.objects.filter(community=community, user=user).count() == 1


def test_simultaneous_requests_tell_the_steward_once():
    community = CommunityFactory(private=True)
    steward = MembershipFactory(community=community, steward=True).user
    user = UserFactory()
    results = run_together(
        *[
            lambda: services.community_request_join(
                acting_user=user, community=community
            )
        ]
        * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert steward.notifications.count() == 1


def test_members_joining_at_once_are_all_counted_once():
    """The counters are changed by upserts, not read-then-write: three
    members and a double click joining together count three, each once."""
    community = CommunityFactory()
    users = UserFactory.create_batch(3)
    calls = [
        lambda u=u: services.community_join(acting_user=u, community=community)
        for u in users
    ]
    calls.append(calls[0])  # a double click
    results = run_together(*calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    counted = MemberCount.objects.get(community=community, leadership_role="none")
    assert counted.active == 3
