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


@pytest.fixture(autouse=True)
def rollups_before_each_page(request, monkeypatch):
    """The dashboards read daily rollups that a job keeps (dashboards.rollups).
    Here the data comes from factories, not services, and no job runs, so
    each dashboard request first rolls everything up, as the nightly job
    would have. Tests that count a page's queries roll up themselves
    (`rolled_up`) and ask for `manual_rollups`."""
    if "manual_rollups" in request.fixturenames:
        return
    from django.test import Client

    from dashboards.rollups import rollup_all

    original = Client.get

    def get(self, path, *args, **kwargs):
        if "dashboard" in path:
            rollup_all()
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(Client, "get", get)


@pytest.fixture
def manual_rollups():
    from dashboards.rollups import rollup_all

    return rollup_all
