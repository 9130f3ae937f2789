"""Independent reads at once (config.concurrent_reads): each call on a
database connection of its own, closed when it is done, in the caller's
language, time zone and read scope; in order on the caller's connection
inside a transaction, whose rows no other connection can see."""

import threading
import time
from functools import partial

import pytest
from django.db import connection
from django.utils import timezone, translation
from taggit.models import Tag

from config import db_router
from config.concurrent_reads import run_concurrently


@pytest.fixture
def outside_a_transaction(django_db_setup, django_db_blocker):
    """The test database with no transaction around the test (these tests
    only read), so that other connections see what the caller sees."""
    with django_db_blocker.unblock():
        yield


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def together(barrier: threading.Barrier):
    """Returns only once `barrier`'s parties all wait at once: run in order,
    the first call breaks the barrier and raises."""
    barrier.wait(timeout=5)
    return backend_pid()


def connections_open() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def settled_connections(expected: int) -> int:
    """The server's count once a closed backend has had time to exit."""
    for _ in range(50):
        if (count := connections_open()) == expected:
            break
        time.sleep(0.05)
    return count


@pytest.mark.usefixtures("outside_a_transaction")
def test_calls_run_at_once_each_on_its_own_connection_closed_afterwards(settings):
    settings.PRACTICA_CONCURRENT_READS = 3
    caller = backend_pid()
    before = connections_open()
    barrier = threading.Barrier(3)

    def numbered(number):
        return number, together(barrier)

    results = run_concurrently([partial(numbered, n) for n in range(3)])

    assert [number for number, _pid in results] == [0, 1, 2]  # the calls' order
    pids = {pid for _number, pid in results}
    assert len(pids) == 3
    assert caller in pids  # the calling thread takes its share
    assert settled_connections(before) == before


@pytest.mark.usefixtures("outside_a_transaction")
def test_a_worker_reads_in_the_callers_language_time_zone_and_read_scope(settings):
    settings.PRACTICA_CONCURRENT_READS = 2
    barrier = threading.Barrier(2)

    def seen():
        pid = together(barrier)
        return (
            pid,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            db_router._scope.get(),
        )

    with (
        translation.override("de"),
        timezone.override("Europe/Berlin"),
        db_router.read_scope(replica_reads=True),
    ):
        scope = db_router._scope.get()
        results = run_concurrently([seen, seen])

    assert len({pid for pid, *_ in results}) == 2
    assert [rest for _pid, *rest in results] == [["de", "Europe/Berlin", scope]] * 2


@pytest.mark.usefixtures("outside_a_transaction")
def test_an_exception_reaches_the_caller_and_the_worker_still_closes(settings):
    settings.PRACTICA_CONCURRENT_READS = 2
    before = connections_open()

    def fails():
        backend_pid()
        raise ValueError("a table could not be counted")

    with pytest.raises(ValueError, match="could not be counted"):
        run_concurrently([backend_pid, fails, backend_pid, backend_pid])

    assert settled_connections(before) == before


@pytest.mark.django_db
def test_inside_a_transaction_every_call_reads_on_the_callers_connection(settings):
    """Here the test's own transaction, as around every test that uses the
    database; a worker's connection would not see the new tag."""
    settings.PRACTICA_CONCURRENT_READS = 4
    caller = backend_pid()
    Tag.objects.create(name="uncommitted", slug="uncommitted")

    def sees_the_new_tag():
        return backend_pid(), Tag.objects.filter(name="uncommitted").exists()

    results = run_concurrently([sees_the_new_tag] * 4)

    assert results == [(caller, True)] * 4


@pytest.mark.usefixtures("outside_a_transaction")
def test_one_connection_setting_reads_in_order_on_the_callers(settings):
    settings.PRACTICA_CONCURRENT_READS = 1
    caller = backend_pid()
    assert run_concurrently([backend_pid] * 3) == [caller] * 3
