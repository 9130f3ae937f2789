"""Fixtures shared by every app's tests. App-specific fixtures live in
tests/<app>/conftest.py; factories in tests/<app>/factories.py."""

import pytest

from tests.members.factories import UserFactory


@pytest.fixture
def member(db):
    return UserFactory(display_name="Mia Member")


@pytest.fixture
def other_member(db):
    return UserFactory(display_name="Otto Other")


@pytest.fixture
def staff(db):
    return UserFactory(display_name="Stella Staff", is_staff=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
