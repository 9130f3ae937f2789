"""The nightly count of 90-day plans per community and join month, which
the journeys dashboard reads (journeys.figures.plan_cohorts)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from journeys.figures import FIGURES, plan_cohorts_live
from journeys.models import CohortFigure

KEEP_NIGHTS = 7


@transaction.atomic
def cohort_snapshot_build(*, today=None) -> int:
    """Count every community's cohorts as of `today` (again: replaced), and
    drop nights older than a week. Returns the number of rows."""
    today = today or timezone.localdate()
    # The counting queries run before any row is written or locked.
    cohorts = plan_cohorts_live(today=today, by_community=True)
    CohortFigure.objects.filter(computed_on=today).delete()
    CohortFigure.objects.bulk_create(
        [
            CohortFigure(
                computed_on=today,
                community_id=community_id,
                month=month,
                **{name: getattr(cohort, name) for name in FIGURES},
            )
            for (community_id, month), cohort in cohorts.items()
        ],
        batch_size=1000,
    )
    CohortFigure.objects.filter(
        computed_on__lt=today - timedelta(days=KEEP_NIGHTS)
    ).delete()
    return len(cohorts)
