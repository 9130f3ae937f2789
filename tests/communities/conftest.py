"""Fixtures for the communities tests: a small world with one open and one
private community, each with a steward, an active member and (private) a
pending requester, plus people outside them."""

from dataclasses import dataclass

import pytest

from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory


@dataclass
class World:
    open: object
    private: object
    steward: object
    member: object
    pending: object
    outsider: object
    staff: object


@pytest.fixture
def world(db):
    steward = UserFactory(display_name="Sue Steward")
    member = UserFactory(display_name="Max Member")
    pending = UserFactory(display_name="Pat Pending")
    outsider = UserFactory(display_name="Olga Outsider")
    staff = UserFactory(display_name="Stan Staff", is_staff=True)
    open_c = CommunityFactory(
        name="Shift Handover Practice", slug="shift-handover", created_by=steward
    )
    private_c = CommunityFactory(
        name="People Leaders' Circle",
        slug="people-leaders",
        private=True,
        created_by=steward,
    )
    for community in (open_c, private_c):
        MembershipFactory(user=steward, community=community, steward=True)
        MembershipFactory(user=member, community=community)
    MembershipFactory(user=pending, community=private_c, pending=True)
    return World(open_c, private_c, steward, member, pending, outsider, staff)


@pytest.fixture
def login(client):
    def _login(user):
        if user is not None:
            client.force_login(user)
        return client

    return _login
