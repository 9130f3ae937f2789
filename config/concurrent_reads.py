"""Independent reads at once, each on its own database connection.

A cold dashboard counts some twenty tables, each one or two queries of
10-250 ms over the rollups, one after another, while the database server has
cores to spare. `run_concurrently` runs such calls on the calling thread plus
at most `PRACTICA_CONCURRENT_READS - 1` worker threads. Each worker opens its
own connection (Django's connections are per thread) with the same settings
and router, and closes it when its last call is done, so a page holds at most
that many connections, and only while it counts.

Each worker reads in the caller's active language and time zone (Django
keeps them per thread) and in a copy of its context (the request's read
scope, config.db_router, is a context variable), so a table counted on a
worker is labelled, dated and routed as on the calling thread.

In order, on the calling thread, when the setting is 1 or when the caller is
inside a transaction: another connection cannot see what that transaction
wrote or sees (a test's rows among them), so its reads must stay on the
caller's connection.
"""

import contextvars
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import connections
from django.utils import timezone, translation

T = TypeVar("T")


def run_concurrently(calls: Sequence[Callable[[], T]]) -> list[T]:
    """Each call's result, in the calls' order. The first exception any call
    raised is raised here once every call has finished or been skipped."""
    workers = min(settings.PRACTICA_CONCURRENT_READS, len(calls))
    in_transaction = any(
        conn.in_atomic_block for conn in connections.all(initialized_only=True)
    )
    if workers <= 1 or in_transaction:
        return [call() for call in calls]
    results: list = [None] * len(calls)
    errors: list[BaseException] = []
    pending = iter(enumerate(calls))
    lock = threading.Lock()

    def drain() -> None:
        while True:
            with lock:
                if errors:
                    return
                index, call = next(pending, (None, None))
            if call is None:
                return
            try:
                results[index] = call()
            except BaseException as error:  # noqa: BLE001 (re-raised by the caller)
                with lock:
                    errors.append(error)

    language = translation.get_language()
    zone = timezone.get_current_timezone()

    def worker() -> None:
        try:
            with translation.override(language), timezone.override(zone):
                drain()
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(worker,))
        for _ in range(workers - 1)
    ]
    for thread in threads:
        thread.start()
    drain()  # The calling thread takes its share on its own connection.
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
