"""Dashboards live against rollups, interleaved, on a generated organisation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_bench \\
        .venv/bin/python -m bench.dashboards_rollups [--rounds 2]

Read-only (the rollups must exist: `manage.py dashboards_rollup`). Times the
figures a dashboard page needs (each list counted and its first page read),
custom 70-day period, for the organisation and the largest community: the
from-scratch definitions (dashboards.participation / exclusion / knowledge)
and the rolled-up ones (dashboards.rollup_figures), alternately, so both see
the same load.
"""

import argparse
import os
import time
from datetime import timedelta


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from communities.models import Community
    from dashboards import exclusion, knowledge, participation
    from dashboards import rollup_figures as rolled
    from dashboards.periods import custom_period
    from dashboards.scope import Scope

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    today = timezone.localdate()
    period = custom_period(today - timedelta(days=70), today - timedelta(days=1))
    largest = Community.objects.annotate(n=Count("items")).order_by("-n").first()

    def page(qs):
        qs.count()
        list(qs[:25])

    def run(part, excl, know, scope, organisation):
        started = time.perf_counter()
        part.participation_summary(scope, period)
        if organisation:
            part.participation_by_community(period)
        excl.unanswered_summary(scope, period)
        page(excl.unanswered_questions(scope, period))
        page(excl.newcomers_unanswered(scope, period))
        page(excl.askers_never_answered(scope, period))
        list(know.most_helpful(scope, period))
        know.rising_tags(scope, period)
        know.single_expert_risks(scope)
        return time.perf_counter() - started

    for n in range(1, args.rounds + 1):
        for label, scope, organisation in (
            ("staff (organisation)", Scope.organisation(), True),
            (f"steward ({largest.name})", Scope.community(largest), False),
        ):
            live = run(participation, exclusion, knowledge, scope, organisation)
            fast = run(rolled, rolled, rolled, scope, organisation)
            print(
                f"round {n} {label}: live {live:.2f} s, rollups {fast:.2f} s, "
                f"{live / fast:.1f}x",
                flush=True,
            )


if __name__ == "__main__":
    main()
