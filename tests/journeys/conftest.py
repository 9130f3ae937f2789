"""A small organisation for the journeys tests, with a frozen clock.

Lean (open, topics lean and kaizen) has a steward; Quality (open, lean) has
an internal networker; Skunkworks (private, lean and kaizen: it shares more
topics than Quality) has an internal networker too, who must never be
suggested through it. Memberships made by the factory open no plan; joining
through the services does."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at):
        self.at = at

    def now(self):
        return self.at

    def set(self, at):
        self.at = at


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() (and so localdate()) answers what the test says."""
    frozen = Clock(START)
    monkeypatch.setattr(timezone, "now", frozen.now)
    return frozen


@dataclass
class Org:
    lean: object
    quality: object
    skunkworks: object
    steward: object
    steward2: object
    networker: object
    secret_networker: object
    newcomer: object
    member: object
    private_member: object
    outsider: object
    manager: object
    staff: object


@pytest.fixture
def org(db, clock):
    steward = UserFactory(display_name="Sue Steward")
    steward2 = UserFactory(display_name="Sam Second")
    networker = UserFactory(
        display_name="Nina Networker", leadership_role=LeadershipRole.NETWORKER
    )
    secret_networker = UserFactory(
        display_name="Sid Secret", leadership_role=LeadershipRole.NETWORKER
    )
    lean = CommunityFactory(name="Lean", slug="lean", tags=["lean", "kaizen"])
    quality = CommunityFactory(name="Quality", slug="quality", tags=["lean"])
    skunkworks = CommunityFactory(
        name="Skunkworks", slug="skunkworks", private=True, tags=["lean", "kaizen"]
    )
    MembershipFactory(user=steward, community=lean, steward=True, joined_at=START)
    MembershipFactory(user=steward, community=quality, steward=True, joined_at=START)
    MembershipFactory(user=steward, community=skunkworks, steward=True, joined_at=START)
    MembershipFactory(user=networker, community=quality, joined_at=START)
    MembershipFactory(user=secret_networker, community=skunkworks, joined_at=START)
    member = UserFactory(display_name="Mo Member")
    MembershipFactory(user=member, community=lean, joined_at=START)
    private_member = UserFactory(display_name="Pia Private")
    MembershipFactory(user=private_member, community=skunkworks, joined_at=START)
    return Org(
        lean=lean,
        quality=quality,
        skunkworks=skunkworks,
        steward=steward,
        steward2=steward2,
        networker=networker,
        secret_networker=secret_networker,
        newcomer=UserFactory(display_name="Nia Newcomer", interests=["lean"]),
        member=member,
        private_member=private_member,
        outsider=UserFactory(display_name="Olga Outsider"),
        manager=UserFactory(
            display_name="Lena Line", leadership_role=LeadershipRole.LINE_LEADER
        ),
        staff=UserFactory(display_name="Stan Staff", is_staff=True),
    )
