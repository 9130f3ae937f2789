"""Whole dashboard pages at organisation scale: service time and queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \\
        REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python -m bench.dashboard_pages [--rounds 3] [--only staff]

Read-only on a database from `bench.generate` whose rollups exist
(`manage.py dashboards_rollup`). Requests each page through Django's test
client in this process (template rendering included, no network): the staff
(organisation) dashboard for a custom 70-day and a custom 365-day period
(the worst case: no standard period's figures are warmed for them) and for
the last 30 and 365 days, and the dashboard of the largest community as its
steward. Each page is requested `--rounds` times in a row; the first
request of a round after the cache is emptied ("cold") counts everything,
the next ones ("repeat") may read cached figures. `--no-clear` keeps the
cache; `--warm` counts what the rollup jobs count into the emptied cache
before the first request (organisation_tables_warm: the staff dashboard's
standard periods, whose period-free tables a custom period then reads). It
only uses URLs and the test client, so the same file times another
checkout's code: `cd /work/main && PYTHONPATH=/work/main .venv/bin/python
/work/wt/<name>/bench/dashboard_pages.py`. BENCH_SLOW_QUERIES=1 lists each
cold request's slowest queries (BENCH_SLOW_QUERIES_WIDTH=3000: their whole
SQL). Besides the wall time it prints the time PostgreSQL took (the sum of
the queries' times on every connection) and this process's CPU time: on a
machine shared with other work the wall time
is mostly waiting for a core.
"""

import argparse
import os
import statistics
import threading
import time
from datetime import timedelta


class AllQueries:
    """Every connection's queries, as CaptureQueriesContext lists one's: a
    cold dashboard reads on several at once (config.concurrent_reads). The
    SQL time is then their sum, which can exceed the wall time."""

    def __init__(self):
        self.queries, self.lock = [], threading.Lock()

    def start(self) -> list:
        self.queries = []
        return self.queries

    def connected(self, sender, connection, **kwargs):
        # A reconnect (CONN_MAX_AGE) keeps the wrapper's list.
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            with self.lock:
                self.queries.append({"sql": sql, "time": time.perf_counter() - started})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--no-clear", action="store_true")
    parser.add_argument("--warm", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from communities.models import Community, Membership
    from members.models import User

    settings.ALLOWED_HOSTS = ["*"]
    # As a web worker does (config/wsgi.py); GC_THRESHOLD=0 leaves it out.
    from config.gc_tuning import tune_from_environment

    tune_from_environment()
    recorder = AllQueries()
    connection.execute_wrappers.append(recorder)
    connection_created.connect(recorder.connected)
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    today = timezone.localdate()
    first, last = today - timedelta(days=70), today - timedelta(days=1)
    custom = f"?period=custom&start={first}&end={last}"
    year_first = today - timedelta(days=365)
    custom_year = f"?period=custom&start={year_first}&end={last}"
    largest = (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .values("community_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    community = Community.objects.get(pk=largest["community_id"])
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    steward = (
        User.objects.filter(
            is_active=True,
            is_staff=False,
            memberships__community=community,
            memberships__status=Membership.Status.ACTIVE,
            memberships__role=Membership.Role.STEWARD,
        )
        .order_by("pk")
        .first()
    )
    pages = [
        ("staff, custom 70 days", staff, "/dashboards/" + custom),
        ("staff, custom 365 days", staff, "/dashboards/" + custom_year),
        ("staff, last 30 days", staff, "/dashboards/?period=30"),
        ("staff, last 365 days", staff, "/dashboards/?period=365"),
        (
            f"steward of {community.name}, custom 70 days",
            steward,
            f"/communities/{community.slug}/dashboard/" + custom,
        ),
        (
            f"steward of {community.name}, last 90 days",
            steward,
            f"/communities/{community.slug}/dashboard/?period=90",
        ),
    ]
    # The first request of a process imports every view module (seconds on
    # a busy machine): not a dashboard's cost.
    warm = Client()
    warm.force_login(staff)
    warm.get("/", HTTP_X_FORWARDED_PROTO="https")
    for label, user, url in pages:
        if args.only and args.only not in label:
            continue
        client = Client()
        client.force_login(user)
        if not args.no_clear:
            cache.clear()
            if args.warm:
                from dashboards.table_cache import organisation_tables_warm

                organisation_tables_warm()
        times, counts, cpu, sql = [], [], [], []
        for n in range(args.rounds):
            queries = recorder.start()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url, HTTP_X_FORWARDED_PROTO="https")
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            assert response.status_code == 200, (label, url, response.status_code)
            counts.append(len(queries))
            sql.append(sum(float(q["time"]) for q in queries))
            if n == 0 and os.environ.get("BENCH_SLOW_QUERIES"):
                for q in sorted(queries, key=lambda q: -float(q["time"]))[:14]:
                    sql_text = " ".join(q["sql"].split())
                    width = int(os.environ.get("BENCH_SLOW_QUERIES_WIDTH", 240))
                    print(f"      {float(q['time']) * 1000:.0f} ms {sql_text[:width]}")
        repeat = statistics.median(times[1:]) if len(times) > 1 else float("nan")
        print(
            f"{label}: cold {times[0] * 1000:.0f} ms ({counts[0]} queries, "
            f"SQL {sql[0] * 1000:.0f} ms, CPU here {cpu[0] * 1000:.0f} ms), "
            f"repeat {repeat * 1000:.0f} ms ({counts[-1]} queries, "
            f"SQL {sql[-1] * 1000:.0f} ms, CPU here {cpu[-1] * 1000:.0f} ms); "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
