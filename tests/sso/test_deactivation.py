"""members.services.deactivate_member and the hooks the apps above members
register (members.deactivation): once, whoever calls it."""

import pytest

from communities.services.accounts import (
    memberships_deactivate,
    memberships_reactivate,
)
from members import deactivation, services
from mentoring.services.accounts import mentoring_withdraw_for
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, PairFactory

pytestmark = pytest.mark.django_db


def test_communities_and_mentoring_register_their_hooks():
    assert deactivation.hooks_for("deactivate") == [
        memberships_deactivate,
        mentoring_withdraw_for,
    ]
    assert deactivation.hooks_for("reactivate") == [memberships_reactivate]


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        deactivation.register("erase", print)


def test_deactivating_twice_changes_nothing_more(django_capture_on_commit_callbacks):
    member = UserFactory()
    MembershipFactory(user=member)
    request = MentoringRequestFactory(mentee=member)
    PairFactory(request=request)  # a proposed mentor, told of the withdrawal
    assert services.deactivate_member(member=member) is True
    told = Notification.objects.count()
    assert told == 1
    assert services.deactivate_member(member=member) is False
    assert Notification.objects.count() == told
    member.refresh_from_db()
    assert not member.is_active
    assert not member.has_usable_password()


def test_reactivating_an_active_member_changes_nothing():
    member = UserFactory()
    assert services.reactivate_member(member=member) is False
