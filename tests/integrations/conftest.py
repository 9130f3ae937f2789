"""Integrations fixtures: the seven personas of the permission tables, a
frozen clock, and real loopback servers (a webhook receiver, a fake Slack)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from communities.models import Membership
from integrations import webhooks
from integrations.models import Event
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.integrations.receivers import Server
from tests.members.factories import UserFactory

ALL_EVENTS = list(Event.values)


@pytest.fixture
def open_community(db):
    return CommunityFactory(name="Shift Leads", slug="shift-leads")


@pytest.fixture
def private_community(db):
    return CommunityFactory(name="Key Accounts", slug="key-accounts", private=True)


@pytest.fixture
def people(db, open_community, private_community):
    """anonymous, outsider, member (of the open community), private member,
    steward (of both), manager (a line leader in neither), staff."""
    member = UserFactory(display_name="Mo Member")
    MembershipFactory(user=member, community=open_community)
    private_member = UserFactory(display_name="Pia Private")
    MembershipFactory(user=private_member, community=open_community)
    MembershipFactory(user=private_member, community=private_community)
    steward = UserFactory(display_name="Sue Steward")
    for community in (open_community, private_community):
        MembershipFactory(
            user=steward, community=community, role=Membership.Role.STEWARD
        )
    return {
        "anonymous": None,
        "outsider": UserFactory(display_name="Otto Outsider"),
        "member": member,
        "private member": private_member,
        "steward": steward,
        "manager": UserFactory(
            display_name="Lee Leader", leadership_role=LeadershipRole.LINE_LEADER
        ),
        "staff": UserFactory(display_name="Stella Staff", is_staff=True),
    }


@pytest.fixture
def receiver():
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture
def make_hook(db):
    def make(*, url, community=None, events=None, acting_user=None):
        return webhooks.webhook_create(
            acting_user=acting_user,
            community=community,
            name="Receiver",
            url=url,
            events=events or ALL_EVENTS,
        )

    return make


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() stands still until the test moves it."""
    frozen = Clock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen
