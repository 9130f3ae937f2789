"""Dashboard timings on a generated organisation, in a throwaway test database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.dashboards [--scale 0.1]

Scale 1.0 is the target size: 300 communities, 20,000 members, 300,000 items
(and as many replies). Prints the time and query count of each dashboard for
the 30/90/365-day periods (BENCH_SLOW_QUERIES=1 lists the slowest queries).
Then builds the nightly snapshot (dashboards.snapshot_build) and times the
organisation dashboard again, reading it.
Targets at scale 1.0 on PostgreSQL: a community dashboard under 0.5 s, the
organisation dashboard under 1 s. On practica_bench (bench.run, 300,000
items): organisation 17-23 s live before the window rewrite of newcomers'
first posts, 6.5 s live after it (custom periods), 0.45 s from the snapshot
(standard periods); the snapshot takes about 25 s to build for 30/90/365.
No timed assertions: this is a measurement, not a test.
"""

import argparse
import os
import random
import time
from datetime import timedelta


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    # PostgreSQL's JIT compiles the big grouped dashboard queries for ~0.7 s
    # while they run in ~50 ms; compare with and without it.
    parser.add_argument("--jit-off", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        generate(args.scale)
        if args.jit_off and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")  # this session only
        measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def generate(scale: float):
    from django.utils import timezone

    from communities.models import Community, Membership
    from knowledge.models import Adoption, HelpfulMark, Item, ItemKind, Reply
    from members.models import LeadershipRole, User

    rng = random.Random(7)
    now = timezone.now()
    n_comm, n_users, n_items = (
        max(3, int(300 * scale)),
        max(30, int(20000 * scale)),
        max(100, int(300000 * scale)),
    )
    started = time.perf_counter()
    roles = [r.value for r in LeadershipRole]
    User.objects.bulk_create(
        User(
            email=f"u{i}@bench.local",
            username=f"u{i}",
            display_name=f"Member {i}",
            leadership_role=rng.choice(roles),
        )
        for i in range(n_users)
    )
    users = list(User.objects.values_list("pk", flat=True))
    Community.objects.bulk_create(
        Community(name=f"Community {i}", slug=f"c{i}", purpose="Bench")
        for i in range(n_comm)
    )
    communities = list(Community.objects.values_list("pk", flat=True))
    memberships = set()
    for user in users:
        for community in rng.sample(communities, k=min(3, len(communities))):
            memberships.add((user, community))
    Membership.objects.bulk_create(
        (
            Membership(
                user_id=u,
                community_id=c,
                status="active",
                role="steward" if rng.random() < 0.02 else "member",
                joined_at=now - timedelta(days=rng.randint(0, 900)),
            )
            for u, c in memberships
        ),
        batch_size=5000,
    )
    kinds = [k.value for k in ItemKind]

    def when():
        return now - timedelta(days=rng.random() * 730)

    Item.objects.bulk_create(
        (
            Item(
                community_id=rng.choice(communities),
                kind=rng.choice(kinds),
                title=f"Item {i}",
                body="b",
                author_id=rng.choice(users),
                created_at=when(),
            )
            for i in range(n_items)
        ),
        batch_size=5000,
    )
    items = list(Item.objects.values_list("pk", "created_at"))
    Reply.objects.bulk_create(
        (
            Reply(
                item_id=pk,
                author_id=rng.choice(users),
                body="r",
                created_at=created + timedelta(hours=rng.randint(1, 400)),
            )
            for pk, created in rng.sample(items, k=len(items) * 2 // 3)
        ),
        batch_size=5000,
    )
    HelpfulMark.objects.bulk_create(
        (
            HelpfulMark(item_id=pk, user_id=u, created_at=when())
            for pk, u in {
                (rng.choice(items)[0], rng.choice(users)) for _ in range(n_items // 2)
            }
        ),
        batch_size=5000,
        ignore_conflicts=True,
    )
    origin = dict(Item.objects.values_list("pk", "community_id"))
    Adoption.objects.bulk_create(
        (
            Adoption(
                item_id=pk,
                community_id=c,
                origin_community_id=origin[pk],
                created_at=when(),
            )
            for pk, c in {
                (rng.choice(items)[0], rng.choice(communities))
                for _ in range(n_items // 100)
            }
        ),
        ignore_conflicts=True,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"generated {n_comm} communities, {n_users} members, {n_items} items "
        f"in {time.perf_counter() - started:.0f}s"
    )


def measure():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from communities.models import Community
    from members.models import User

    staff = User.objects.create_user(email="staff@bench.local", is_staff=True)
    client = Client()
    client.force_login(staff)
    slug = Community.objects.order_by("pk").values_list("slug", flat=True).first()
    for label, url in (
        ("organisation", reverse("dashboards:index")),
        ("community", reverse("dashboards:community", kwargs={"slug": slug})),
    ):
        for days in (30, 90, 365):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, {"period": days})
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            print(
                f"{label:13} {days:3} days: {elapsed * 1000:7.0f} ms, "
                f"{len(ctx.captured_queries)} queries"
            )
            _print_slow(ctx)
    from dashboards.services import snapshot_build

    started = time.perf_counter()
    snapshot_build()
    print(f"snapshot built in {time.perf_counter() - started:.1f} s")
    for days in (30, 90, 365):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(reverse("dashboards:index"), {"period": days})
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        print(
            f"org snapshot  {days:3} days: {elapsed * 1000:7.0f} ms, "
            f"{len(ctx.captured_queries)} queries"
        )
        _print_slow(ctx)


def _print_slow(ctx):
    if os.environ.get("BENCH_SLOW_QUERIES"):
        slow = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
        for q in slow[:4]:
            print(f"    {float(q['time']) * 1000:6.0f} ms  {q['sql'][:160]}")


if __name__ == "__main__":
    main()
