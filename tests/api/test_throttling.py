"""Rate limits: per token (each counts on its own), per session, and per
address for requests that are not signed in; past the limit 429 with
Retry-After and a message."""

import pytest
from django.core.cache import cache

from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    def use(api="3/min", anon="2/min"):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"api": api, "api_anon": anon},
        }

    return use


def test_each_token_has_its_own_budget(world, rates):
    rates(api="3/min")
    member = world.people["member"]
    first, second = ApiClient(token_for(member)), ApiClient(token_for(member))
    assert [first.get("/api/v1/tags/?q=wel").status_code for _ in range(3)] == [200] * 3
    refused = first.get("/api/v1/tags/?q=wel")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]
    assert second.get("/api/v1/tags/?q=wel").status_code == 200


def test_anonymous_requests_are_counted_per_address(world, rates):
    rates(anon="2/min")
    anonymous = ApiClient()
    assert [anonymous.get("/api/v1/items/").status_code for _ in range(3)] == [
        401,
        401,
        429,
    ]


def test_the_counts_live_in_the_shared_cache(world, rates):
    rates(api="1/min")
    client = ApiClient(token_for(world.people["member"]))
    assert client.get("/api/v1/members/").status_code == 200
    assert client.get("/api/v1/members/").status_code == 429
    cache.clear()  # what another process would see is what the cache holds
    assert client.get("/api/v1/members/").status_code == 200
