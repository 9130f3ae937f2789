"""The REST API's list endpoints, timed through Django's test client (the
whole stack: middleware, token authentication, throttle, view, JSON).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \\
        .venv/bin/python -m bench.api [--repeat 20] [--member USERNAME]

Signs in as the member with the most active memberships (or --member) with a
personal access token made for the run, follows each list's first page and
the page after it (the keyset cursor), and prints p50/p95 in milliseconds
and the queries per request. Everything it writes (the token) is rolled
back. A measurement, not a test.
"""

import argparse
import os
import statistics
import time

ENDPOINTS = [
    "/api/v1/communities/",
    "/api/v1/items/",
    "/api/v1/items/?kind=question",
    "/api/v1/items/?tag=lean",
    "/api/v1/search/?q=shift+handover",
    "/api/v1/members/",
    "/api/v1/mentoring/requests/?queue=broker",
    "/api/v1/notifications/",
]


def percentiles(samples):
    samples = sorted(samples)
    return (
        round(statistics.median(samples), 1),
        round(samples[int(0.95 * (len(samples) - 1))], 1),
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from api import services
    from members.models import LeadershipRole, User

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--member", default="")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "1000000/min", "api_anon": "1/min"},
    }

    with transaction.atomic():
        if args.member:
            member = User.objects.get(username=args.member)
        else:
            member = (
                User.objects.filter(is_active=True)
                .annotate(
                    n=Count("memberships", filter=Q(memberships__status="active"))
                )
                .order_by("-n", "pk")
                .first()
            )
        if member.leadership_role == LeadershipRole.NONE:
            member.leadership_role = LeadershipRole.LINE_LEADER  # sees the queue
            member.save(update_fields=["leadership_role"])
        _token, raw = services.token_create(acting_user=member, name="bench")
        client = Client(headers={"Authorization": f"Bearer {raw}"})
        print(f"member: {member.username}; items: ", end="")
        from knowledge.models import Item

        print(Item.objects.count())
        print(f"{'endpoint':45} {'p50':>7} {'p95':>7} {'queries':>8}  page 2 p50")
        for path in ENDPOINTS:
            first = client.get(path)
            assert first.status_code == 200, (path, first.status_code)
            following = first.json().get("next") if path != ENDPOINTS[4] else None
            samples, second = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
                if following:
                    started = time.perf_counter()
                    client.get(following)
                    second.append((time.perf_counter() - started) * 1000)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            p50, p95 = percentiles(samples)
            page2 = percentiles(second)[0] if second else "-"
            print(f"{path:45} {p50:>7} {p95:>7} {len(queries):>8}  {page2}")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
