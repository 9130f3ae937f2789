"""Journeys' dashboard figures and stage computation at organisation scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/practica_journeys_bench \\
        .venv/bin/python -m bench.journeys [--members 20000] [--communities 300]

Writes a synthetic organisation into ONE transaction and rolls it back at
the end (never run it on a database you care about, still): members,
communities, a year of newcomers' 90-day plans (five steps each, some done,
some overdue, some closed), and stage moves; then times the figures the
journeys dashboard reads (plan cohorts and stage moves per month, for the
organisation and for the largest community) and the Newcomers page's
first page.
"""

import argparse
import os
import random
import time
from datetime import UTC, datetime, timedelta


def _timed(label, fn, rounds=3):
    best = None
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    print(f"{label:58} {best * 1000:8.1f} ms (best of {rounds})")
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--communities", type=int, default=300)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from communities.models import Community, Membership
    from journeys.figures import plan_cohorts, plan_cohorts_live, stage_moves_by_month
    from journeys.models import STEP_DAYS, STEP_OWNERS, Plan, PlanStep, StageMove
    from journeys.selectors import newcomer_plans
    from journeys.services.cohorts import cohort_snapshot_build
    from members.models import User

    rng = random.Random(15)
    today = timezone.localdate()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
        users = User.objects.bulk_create(
            User(username=f"bench-j-{n}", email=f"bench-j-{n}@example.com",
                 display_name=f"Bench {n}")
            for n in range(args.members)
        )  # fmt: skip
        communities = Community.objects.bulk_create(
            Community(name=f"Bench J {n}", slug=f"bench-j-{n}", purpose="x")
            for n in range(args.communities)
        )
        # Community sizes follow a long tail: a few large, most small.
        weights = [1 / (i + 1) for i in range(len(communities))]
        pairs = set()
        for user in users:
            for community in rng.choices(communities, weights=weights, k=4):
                pairs.add((user.pk, community.pk))
        start = datetime(today.year, today.month, 1, tzinfo=UTC) - timedelta(days=365)
        memberships, plans = [], []
        for user_id, community_id in pairs:
            joined = start + timedelta(days=rng.randrange(400))
            memberships.append(
                Membership(user_id=user_id, community_id=community_id,
                           status="active", joined_at=joined)
            )  # fmt: skip
            if rng.random() < 0.5:  # joined since plans began
                plans.append(
                    Plan(user_id=user_id, community_id=community_id,
                         started_on=joined.date(),
                         closed_at=joined if rng.random() < 0.08 else None)
                )  # fmt: skip
        Membership.objects.bulk_create(memberships, batch_size=5000)
        Plan.objects.bulk_create(plans, batch_size=5000)
        steps = []
        for plan in plans:
            for kind, days in STEP_DAYS.items():
                due = plan.started_on + timedelta(days=days)
                done = None
                if due <= today and rng.random() < 0.7:
                    done = datetime.combine(due, datetime.min.time(), tzinfo=UTC)
                steps.append(
                    PlanStep(plan=plan, kind=kind, owner=STEP_OWNERS[kind],
                             owner_user_id=plan.user_id, due_on=due, done_at=done)
                )  # fmt: skip
        PlanStep.objects.bulk_create(steps, batch_size=10000)
        moves = [
            StageMove(
                user_id=user_id, community_id=community_id,
                from_stage=0, to_stage=rng.randrange(1, 5),
                moved_on=today - timedelta(days=rng.randrange(365)),
            )
            for user_id, community_id in rng.sample(sorted(pairs), k=len(pairs) // 2)
        ]  # fmt: skip
        StageMove.objects.bulk_create(moves, batch_size=10000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE journeys_plan; ANALYZE journeys_planstep;")
            cursor.execute("ANALYZE journeys_stagemove;")
        largest = communities[0]
        print(
            f"{len(users)} members, {len(communities)} communities, "
            f"{len(memberships)} memberships, {len(plans)} plans, "
            f"{len(steps)} steps, {len(moves)} stage moves; largest community "
            f"{sum(1 for p in plans if p.community_id == largest.pk)} plans"
        )
        ids = (largest.pk,)
        _timed(
            "cohorts counted live, organisation",
            lambda: plan_cohorts_live(today=today),
        )
        _timed(
            "nightly cohort snapshot (every community)",
            lambda: cohort_snapshot_build(today=today),
            rounds=1,
        )
        _timed(
            "cohorts from the snapshot, organisation", lambda: plan_cohorts(today=today)
        )
        _timed(
            "cohorts from the snapshot, largest community",
            lambda: plan_cohorts(community_ids=ids, today=today),
        )
        _timed("stage moves by month, organisation", stage_moves_by_month)
        _timed(
            "stage moves by month, largest community",
            lambda: stage_moves_by_month(community_ids=ids),
        )
        _timed(
            "newcomers page (first 25 plans + steps), largest",
            lambda: (
                newcomer_plans(community=largest, today=today).count(),
                list(newcomer_plans(community=largest, today=today)[:25]),
            ),
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
