import pytest

from dashboards.periods import preset_period
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory


@pytest.fixture
def period():
    return preset_period(30)


@pytest.fixture
def community(db):
    return CommunityFactory(name="Lean Operations", slug="lean-ops")


@pytest.fixture
def steward(community):
    user = UserFactory(display_name="Sia Steward")
    MembershipFactory(user=user, community=community, steward=True)
    return user


@pytest.fixture
def steward_client(client, steward):
    client.force_login(steward)
    return client
