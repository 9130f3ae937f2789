"""The replica router and read-your-writes, without a replica: which alias
each read and write is sent to (tests/faults/test_read_replicas.py shows
the same against a real streaming replica)."""

import time

import pytest
from django.core import signing
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.test import RequestFactory

from communities.models import Community
from config import db_router
from config.db_router import PrimaryReplicaRouter, read_scope
from config.middleware import ReadYourWritesMiddleware

router = PrimaryReplicaRouter()


@pytest.fixture
def replicas(settings, monkeypatch):
    """Two replica aliases, both caught up unless a test says otherwise."""
    settings.DATABASE_REPLICAS = ["replica_1", "replica_2"]
    settings.REPLICA_MAX_LAG_SECONDS = 5
    settings.REPLICA_LAG_CHECK_SECONDS = 3
    settings.READ_YOUR_WRITES_SECONDS = 5
    lags = {"replica_1": 0.0, "replica_2": 0.0}
    monkeypatch.setattr(db_router, "replica_lag_seconds", lambda alias: lags[alias])
    db_router.forget_replica_health()
    yield lags
    db_router.forget_replica_health()


def test_without_replicas_everything_uses_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with read_scope(replica_reads=True):
        assert router.db_for_read(Community) == "default"
    assert router.db_for_write(Community) == "default"


def test_a_request_s_reads_go_to_one_replica(replicas):
    with read_scope(replica_reads=True):
        first = router.db_for_read(Community)
        assert first in ("replica_1", "replica_2")
        assert {router.db_for_read(Community) for _ in range(20)} == {first}
        assert router.db_for_write(Community) == "default"


def test_reads_outside_a_request_or_pinned_use_the_primary(replicas):
    assert router.db_for_read(Community) == "default"  # jobs, commands, shell
    with read_scope(replica_reads=False):
        assert router.db_for_read(Community) == "default"


def test_reads_inside_a_transaction_use_the_primary(replicas, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with read_scope(replica_reads=True):
        assert router.db_for_read(Community) == "default"


def test_a_lagging_replica_is_skipped_and_none_left_means_the_primary(replicas):
    replicas["replica_1"] = 6.0  # past REPLICA_MAX_LAG_SECONDS
    with read_scope(replica_reads=True):
        assert router.db_for_read(Community) == "replica_2"
    replicas["replica_2"] = 60.0
    db_router.forget_replica_health()
    with read_scope(replica_reads=True):
        assert router.db_for_read(Community) == "default"


def test_an_unreachable_replica_is_skipped(replicas, monkeypatch):
    def lag(alias):
        if alias == "replica_2":
            raise DatabaseError("connection refused")
        return 0.0

    monkeypatch.setattr(db_router, "replica_lag_seconds", lag)
    assert db_router.replica_usable("replica_2") is False
    assert db_router.replica_usable("replica_1") is True


def test_replica_health_is_checked_at_most_every_few_seconds(replicas, monkeypatch):
    checks = []
    monkeypatch.setattr(
        db_router, "replica_lag_seconds", lambda alias: checks.append(alias) or 0.0
    )
    clock = [1000.0]
    monkeypatch.setattr(db_router.time, "monotonic", lambda: clock[0])
    for _ in range(5):
        db_router.replica_usable("replica_1")
    assert checks == ["replica_1"]
    clock[0] += 3.1  # REPLICA_LAG_CHECK_SECONDS later
    db_router.replica_usable("replica_1")
    assert checks == ["replica_1", "replica_1"]


def test_replicas_are_never_migrated():
    assert router.allow_migrate("default", "knowledge") is True
    assert router.allow_migrate("replica_1", "knowledge") is False


# --- Read-your-writes (the middleware) ----------------------------------------


def _where_reads_go(request):
    return HttpResponse(router.db_for_read(Community))


def _through_middleware(request):
    return ReadYourWritesMiddleware(_where_reads_go)(request)


def test_a_safe_request_reads_a_replica_and_leaves_no_pin(replicas):
    response = _through_middleware(RequestFactory().get("/"))
    assert response.content.decode().startswith("replica_")
    assert ReadYourWritesMiddleware.COOKIE not in response.cookies


def test_an_unsafe_request_uses_the_primary_and_pins_its_sender(replicas):
    response = _through_middleware(RequestFactory().post("/"))
    assert response.content == b"default"
    pin = response.cookies[ReadYourWritesMiddleware.COOKIE]
    assert pin["max-age"] == 5
    assert pin["httponly"]

    follow_up = RequestFactory().get("/")
    follow_up.COOKIES[ReadYourWritesMiddleware.COOKIE] = pin.value
    assert _through_middleware(follow_up).content == b"default"


def test_the_pin_lapses_after_read_your_writes_seconds(replicas, monkeypatch):
    pin = _through_middleware(RequestFactory().post("/")).cookies[
        ReadYourWritesMiddleware.COOKIE
    ]
    later = time.time() + 6  # the browser still sends it; the signature is stale
    monkeypatch.setattr(signing.time, "time", lambda: later)
    request = RequestFactory().get("/")
    request.COOKIES[ReadYourWritesMiddleware.COOKIE] = pin.value
    assert _through_middleware(request).content.decode().startswith("replica_")


def test_a_forged_pin_is_ignored(replicas):
    request = RequestFactory().get("/")
    request.COOKIES[ReadYourWritesMiddleware.COOKIE] = "1:forged:signature"
    assert _through_middleware(request).content.decode().startswith("replica_")


def test_without_replicas_the_middleware_sets_no_cookie(settings):
    settings.DATABASE_REPLICAS = []
    response = _through_middleware(RequestFactory().post("/"))
    assert ReadYourWritesMiddleware.COOKIE not in response.cookies


def test_pages_work_through_the_router_with_replicas_configured(
    replicas, member_client
):
    """Inside the test transaction every read goes to the primary, so the
    whole suite could run with replicas configured; a POST still pins."""
    assert member_client.get("/communities/").status_code == 200
    response = member_client.post("/follow/", {"kind": "tag", "key": "x"})
    assert ReadYourWritesMiddleware.COOKIE in response.cookies
