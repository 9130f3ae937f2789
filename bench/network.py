"""Leaders and bridges at organisation scale: the nightly network snapshot
and the pages that read it, on the generated bench database, leaving it as
it was.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.network [--repeat 5]

Everything runs in one transaction that is rolled back at the end: the
dashboards migrations that the bench database may lack, the snapshot
(dashboards.snapshots.network_snapshot_build, as the nightly job runs it)
and the page requests (through Django's test client, on the same
connection). Prints the time of each phase of the build and the median time
and query count of each page; nothing is kept.

Targets (issue 15): the nightly graph computation within 5 minutes on two
cores; each new dashboard section within 300 ms from its snapshot.
"""

import argparse
import os
import pickle
import statistics
import time


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--figures",
        help="a file to keep the computed figures in, and to read them from "
        "when it exists (to time the pages again without computing)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from dashboards.snapshots import network_snapshot_compute

    settings.ALLOWED_HOSTS = ["*"]
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    # Computing reads in autocommit, one query at a time: nothing is locked
    # while networkx works (others may be running DDL on the database).
    started = time.perf_counter()
    if args.figures and os.path.exists(args.figures):
        with open(args.figures, "rb") as f:
            figures = pickle.load(f)  # noqa: S301 (a file this script wrote)
    else:
        figures = network_snapshot_compute(day=timezone.localdate())
        if args.figures:
            with open(args.figures, "wb") as f:
                pickle.dump(figures, f)
    total = time.perf_counter() - started
    print(
        f"{len(figures.organisation.scores)} people bridge, "
        f"{sum(len(r.scores) for r in figures.local.values())} community scores, "
        f"{len(figures.missing)} missing bridges"
    )
    for name, seconds in figures.seconds.items():
        print(f"  {name}: {seconds:.1f} s")
    print(f"  computation in all: {total:.1f} s (graph: {figures.graph_seconds:.1f} s)")
    try:
        with transaction.atomic():
            measure(figures, args.repeat)
            raise Rollback
    except Rollback:
        print("Rolled back: the bench database is as it was.")


def measure(figures, repeat: int):
    """Write the snapshot and read the pages, in a transaction of seconds."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from communities.models import Community, Membership
    from dashboards.snapshots import network_snapshot_write
    from members.models import LeadershipRole, User

    call_command("migrate", "dashboards", verbosity=0)
    started = time.perf_counter()
    network_snapshot_write(figures)
    print(f"  writing the snapshot: {time.perf_counter() - started:.1f} s")

    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    largest = (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .values("community_id")
        .annotate(n=django_count())
        .order_by("-n")
        .first()
    )
    community = Community.objects.get(pk=largest["community_id"])
    networker = (
        User.objects.filter(
            leadership_role=LeadershipRole.NETWORKER,
            memberships__community=community,
            memberships__status=Membership.Status.ACTIVE,
        )
        .order_by("pk")
        .first()
    )
    community_leaders = reverse(
        "dashboards:community_leaders", kwargs={"slug": community.slug}
    )
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    custom = (
        f"?period=custom&start={today - timedelta(days=70)}"
        f"&end={today - timedelta(days=1)}"
    )
    pages = [
        ("organisation leaders and bridges (staff)", staff, "dashboards:leaders"),
        (
            "organisation leaders, custom 70 days (triad from the daily rollups)",
            staff,
            reverse("dashboards:leaders") + custom,
        ),
        (
            f"community leaders ({community.name}), custom 70 days",
            staff,
            community_leaders + custom,
        ),
        (f"community leaders ({community.name}, staff)", staff, community_leaders),
        ("what could spread next (networker)", networker, "dashboards:spread_next"),
        ("home with the ready-to-spread section (networker)", networker, "home"),
    ]
    for label, user, url in pages:
        url = url if url.startswith("/") else reverse(url)
        client = Client()
        client.force_login(user)
        times = []
        for _ in range(repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, HTTP_X_FORWARDED_PROTO="https")
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
        median = statistics.median(times[1:]) * 1000
        print(f"  {label}: {median:.0f} ms median of {repeat}, {len(queries)} queries")
        if os.environ.get("BENCH_SLOW_QUERIES"):
            slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
            for q in slowest:
                print(f"      {float(q['time']) * 1000:.0f} ms {q['sql'][:300]}")


def django_count():
    from django.db.models import Count

    return Count("pk")


if __name__ == "__main__":
    main()
