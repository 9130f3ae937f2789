"""API fixtures: the seven people of tests/knowledge/roles.py, each with a
personal access token, and a client that sends it."""

import pytest
from django.core.cache import cache
from django.test import Client

from api import services
from tests.knowledge.roles import ROLES, build_world


class ApiClient:
    """Django's test client speaking JSON with a bearer token (or none)."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, data=None, **extra):
        return self.client.get(path, data, headers=self.headers, **extra)

    def _send(self, method, path, data, **extra):
        return getattr(self.client, method)(
            path,
            data if data is not None else {},
            content_type="application/json",
            headers=self.headers,
            **extra,
        )

    def post(self, path, data=None, **extra):
        return self._send("post", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._send("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._send("put", path, data, **extra)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


def token_for(user, scope="write") -> str:
    _token, raw = services.token_create(acting_user=user, name="test", scope=scope)
    return raw


@pytest.fixture
def api_as(world):
    """api_as("steward") -> an ApiClient with that person's write token."""
    made = {}

    def client(role: str) -> ApiClient:
        if role not in made:
            made[role] = ApiClient(
                None if role == "anonymous" else token_for(world.people[role])
            )
        return made[role]

    return client


@pytest.fixture
def page_as(world):
    """page_as("steward") -> Django's client signed in as that person (pages)."""

    def client(role: str) -> Client:
        return world.login(Client(), role)

    return client


__all__ = ["ROLES", "ApiClient", "token_for"]
