"""Time Practica's heaviest pages against a database filled by bench.generate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \
        .venv/bin/python -m bench.run [--repeat 5] [--json out.json]

Each page is requested through Django's test client as a member (and as
staff for staff pages); prints the median wall time and the query count. The
targets are in TARGETS_MS; a page over its target is flagged, not failed:
benchmarks inform, tests decide.
"""

import argparse
import json
import statistics
import time

from bench.generate import setup_django

# Median response time we aim for on the two-core reference machine.
TARGETS_MS = {"default": 300}


def pages(community_slug: str, tag: str, cursor: str | None):
    deep = f"?before={cursor}" if cursor else "?page=500"
    return [
        ("home", "/", "member"),
        ("community list", "/communities/", "member"),
        ("community list, search", "/communities/?q=community+1", "member"),
        ("community page + feed", f"/communities/{community_slug}/", "member"),
        ("community feed, deep", f"/communities/{community_slug}/{deep}", "member"),
        ("member directory", "/members/?q=person+1", "member"),
        ("search", "/search/?q=onboarding+handled", "member"),
        ("search, open questions", "/search/?q=case&open=1", "member"),
        ("tag page", f"/tags/{tag}/", "member"),
        ("notifications", "/notifications/", "member"),
        ("mentoring broker", "/mentoring/broker/", "staff"),
        ("dashboards (org)", "/dashboards/", "staff"),
        ("community dashboard", f"/communities/{community_slug}/dashboard/", "staff"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from communities.models import Community, Membership
    from knowledge.models import Item
    from members.models import User
    from members.pagination import Cursor

    settings.ALLOWED_HOSTS = ["testserver"]
    community = (
        Community.objects.filter(slug__startswith="bench-", visibility="open")
        .order_by("pk")
        .first()
    )
    member = User.objects.get(
        pk=Membership.objects.filter(community=community, status="active")
        .values("user_id")[:1]
        .get()["user_id"]
    )
    staff, _ = User.objects.get_or_create(
        email="bench-staff@example.com",
        defaults={"username": "bench-staff", "display_name": "Bench Staff"},
    )
    if not staff.is_staff:
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
    old = (
        Item.objects.filter(community=community)
        .order_by("-created_at", "-id")
        .values("created_at", "id")[2000:2001]
    )
    cursor = None
    if old:
        row = old[0]
        cursor = Cursor.of(row["created_at"], row["id"]).encode()
    clients = {"member": Client(), "staff": Client()}
    clients["member"].force_login(member)
    clients["staff"].force_login(staff)

    print(
        f"{Item.objects.count()} items, {User.objects.count()} members, "
        f"{Community.objects.count()} communities; feed community {community.slug}"
    )
    print(f"{'page':32} {'status':>6} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    results = []
    for label, path, who in pages(community.slug, "onboarding", cursor):
        client = clients[who]
        timings, status, queries = [], None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
            status, queries = response.status_code, len(ctx.captured_queries)
        median = statistics.median(timings)
        target = TARGETS_MS.get(label, TARGETS_MS["default"])
        flag = "" if median <= target else f"  over {target} ms target"
        print(
            f"{label:32} {status:>6} {median:>10.1f} {max(timings):>8.1f} "
            f"{queries:>8}{flag}"
        )
        results.append(
            {
                "page": label,
                "path": path,
                "status": status,
                "median_ms": round(median, 1),
                "max_ms": round(max(timings), 1),
                "queries": queries,
            }
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
