"""A request never fails because Redis is down: the cache (where allauth keeps
its login rate limits) degrades to a miss, and logging in still works."""

import socket
import time

import pytest
from django.core.cache import cache


def _dead_port() -> int:
    # Bind and release: nothing listens there afterwards, connects are refused.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
    return settings


@pytest.mark.django_db
def test_login_works_and_is_fast_with_the_cache_down(client, member, dead_redis_cache):
    assert cache.get("anything") is None  # a miss, not an exception
    started = time.perf_counter()
    response = client.post(
        "/accounts/login/",
        {"login": member.email, "password": "correct-horse-battery"},
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert elapsed < 1.5, f"login took {elapsed:.2f}s with Redis down"


@pytest.mark.django_db
def test_a_failed_login_with_the_cache_down_is_a_form_error(
    client, member, dead_redis_cache
):
    response = client.post(
        "/accounts/login/", {"login": member.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert member.email in response.content.decode()
