"""Figures for the dashboards: 90-day plan completion by join-month cohort
and participation stage moves per month, filtered to the communities the
viewer may see (one community for its stewards, every one for staff).

Cohorts are counted nightly per community and month (CohortFigure, built by
`cohort_snapshot_build`); the dashboard sums the latest night's rows. Until
the first night, and for tests, they are counted live with the same
definitions (`plan_cohorts_live`)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncMonth

from journeys.models import CohortFigure, Plan, PlanStep, Stage, StageMove


def _scoped(qs, community_ids, path="community_id"):
    if community_ids is None:
        return qs
    return qs.filter(**{f"{path}__in": community_ids})


@dataclass
class Cohort:
    month: date
    newcomers: int = 0
    complete: int = 0
    left: int = 0
    steps: int = 0
    steps_done: int = 0
    steps_due: int = 0
    done_on_time: int = 0
    overdue: int = 0

    @property
    def completion(self) -> int:
        """Percent of all plan steps done."""
        return round(100 * self.steps_done / self.steps) if self.steps else 0

    @property
    def on_time(self) -> int:
        """Percent of the steps due by now that were done by their due date."""
        return round(100 * self.done_on_time / self.steps_due) if self.steps_due else 0


FIGURES = ("newcomers", "complete", "left", "steps", "steps_done", "steps_due")
FIGURES += ("done_on_time", "overdue")


def plan_cohorts(
    *, community_ids=None, today: date
) -> tuple[list[Cohort], date | None]:
    """(cohorts newest first, the day they were counted: None when live)."""
    latest = CohortFigure.objects.aggregate(day=Max("computed_on"))["day"]
    if latest is None:
        return plan_cohorts_live(community_ids=community_ids, today=today), None
    rows = (
        _scoped(CohortFigure.objects.filter(computed_on=latest), community_ids)
        .values("month")
        .annotate(**{name: Sum(name) for name in FIGURES})
        .order_by("-month")
    )
    return [Cohort(**row) for row in rows], latest


def plan_cohorts_live(*, community_ids=None, today: date, by_community=False):
    """One row per month in which newcomers joined, newest first (per
    community and month with by_community=True: {(community_id, month):
    Cohort})."""
    keys = ("community_id", "month") if by_community else ("month",)
    plans = (
        _scoped(Plan.objects.all(), community_ids)
        .annotate(month=TruncMonth("started_on"))
        .values(*keys)
        .annotate(
            newcomers=Count("pk"),
            complete=Count("pk", filter=Q(completed_at__isnull=False)),
            left=Count("pk", filter=Q(closed_at__isnull=False)),
        )
        .order_by()
    )
    cohorts = {
        tuple(row[k] for k in keys): Cohort(
            month=row["month"],
            newcomers=row["newcomers"],
            complete=row["complete"],
            left=row["left"],
        )
        for row in plans
    }
    step_keys = ("plan__community_id", "month") if by_community else ("month",)
    steps = (
        _scoped(PlanStep.objects.all(), community_ids, "plan__community_id")
        .annotate(month=TruncMonth("plan__started_on"))
        .values(*step_keys)
        .annotate(
            steps=Count("pk"),
            steps_done=Count("pk", filter=Q(done_at__isnull=False)),
            steps_due=Count("pk", filter=Q(due_on__lt=today)),
            done_on_time=Count(
                "pk", filter=Q(due_on__lt=today, done_at__date__lte=F("due_on"))
            ),
            overdue=Count(
                "pk",
                filter=Q(
                    due_on__lt=today,
                    done_at__isnull=True,
                    plan__closed_at__isnull=True,
                ),
            ),
        )
        .order_by()
    )
    for row in steps:
        key = tuple(row[k] for k in step_keys)
        cohort = cohorts.setdefault(key, Cohort(month=row["month"]))
        for name in ("steps", "steps_done", "steps_due", "done_on_time", "overdue"):
            setattr(cohort, name, row[name])
    if by_community:
        return cohorts
    return sorted(cohorts.values(), key=lambda c: c.month, reverse=True)


@dataclass
class MonthMoves:
    month: date
    up: dict  # to_stage -> count of moves up into it
    down: int = 0

    @property
    def total_up(self) -> int:
        return sum(self.up.values())


FORWARD_STAGES = (Stage.ASKER, Stage.ANSWERER, Stage.STORYTELLER, Stage.MENTOR)


def stage_moves_by_month(*, community_ids=None) -> list[MonthMoves]:
    """Moves between participation stages per month, newest first."""
    rows = (
        _scoped(StageMove.objects.all(), community_ids)
        .annotate(month=TruncMonth("moved_on"))
        .values("month", "to_stage")
        .annotate(
            up=Count("pk", filter=Q(to_stage__gt=F("from_stage"))),
            down=Count("pk", filter=Q(to_stage__lt=F("from_stage"))),
        )
        .order_by()
    )
    months: dict[date, MonthMoves] = {}
    for row in rows:
        month = months.setdefault(
            row["month"],
            MonthMoves(month=row["month"], up=dict.fromkeys(FORWARD_STAGES, 0)),
        )
        if row["to_stage"] in month.up:
            month.up[row["to_stage"]] += row["up"]
        month.down += row["down"]
    return sorted(months.values(), key=lambda m: m.month, reverse=True)
