"""Writes: the nightly snapshot of the organisation dashboard."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dashboards.models import ORGANISATION, Snapshot, encode_cells
from dashboards.periods import PRESET_DAYS, preset_period
from dashboards.report import Report
from dashboards.scope import Scope

# The heavy tables; the rest of the page (unanswered questions, spread,
# single-expert risk, mentoring) is cheap enough to stay live.
SNAPSHOT_TABLES = (
    "summary",
    "roles",
    "weekly",
    "communities",
    "newcomers",
    "askers",
    "join_waiting",
    "status_gap",
    "silent_places",
    "unheard",
    "helpful",
    "rising",
)
KEEP_DAYS = 7


def snapshot_build(*, now=None) -> list[Snapshot]:
    """Count the heavy tables of the organisation dashboard for each standard
    period and store them as today's snapshot. Running it again the same day
    replaces today's snapshot (one per scope, period and day); snapshots
    older than KEEP_DAYS are removed."""
    now = now or timezone.now()
    built = [_build_one(days=days, now=now) for days in PRESET_DAYS]
    Snapshot.objects.filter(
        day__lt=timezone.localdate(now) - timedelta(KEEP_DAYS)
    ).delete()
    return built


@transaction.atomic
def _build_one(*, days: int, now) -> Snapshot:
    period = preset_period(days, now=now)
    # Staff see every community, so the organisation's figures do not depend
    # on who looks (and no snapshotted table uses the viewer).
    report = Report(scope=Scope.organisation(), period=period, viewer=None)
    data = {
        name: [encode_cells(cells) for cells in report.table(name).all_rows()]
        for name in SNAPSHOT_TABLES
    }
    snapshot, _ = Snapshot.objects.update_or_create(
        scope=ORGANISATION,
        period_days=days,
        day=timezone.localdate(now),
        defaults={
            "period_start": period.start,
            "period_end": period.end,
            "built_at": timezone.now(),
            "data": data,
        },
    )
    return snapshot
