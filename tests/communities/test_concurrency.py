"""Races that only a real database with row locks can show: two stewards
stepping down at the same moment must still leave one steward, and a double
click that sends two joins at once makes one membership."""

import threading

import pytest
from django.db import connections

from communities import services
from communities.models import Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def _run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_stewards_leaving_at_once_leave_one_steward():
    community = CommunityFactory()
    a = MembershipFactory(community=community, steward=True)
    b = MembershipFactory(community=community, steward=True)
    results = _run_together(
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
    results = _run_together(
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
    results = _run_together(
        *[lambda: services.community_join(acting_user=user, community=community)] * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Membership.objects.filter(community=community, user=user).count() == 1


def test_simultaneous_requests_tell_the_steward_once():
    community = CommunityFactory(private=True)
    steward = MembershipFactory(community=community, steward=True).user
    user = UserFactory()
    results = _run_together(
        *[
            lambda: services.community_request_join(
                acting_user=user, community=community
            )
        ]
        * 4
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert steward.notifications.count() == 1
