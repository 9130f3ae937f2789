"""Writes: the nightly network snapshot (leaders and bridges).

network_snapshot_build(day=...) counts, for the day given, the triad flows
of every community for each standard period, who bridges communities over
BRIDGE_WINDOW_DAYS, and the missing bridges, and stores them as that day's
NetworkSnapshot. Running it again for the same day replaces that day's
snapshot; snapshots older than KEEP_DAYS are removed.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from communities.models import Community
from dashboards import bridges, spread_next, triad
from dashboards.models import (
    BridgeScore,
    MissingBridge,
    NetworkSnapshot,
    TriadFlow,
)
from dashboards.periods import PRESET_DAYS
from dashboards.scope import Scope

logger = logging.getLogger(__name__)

BRIDGE_WINDOW_DAYS = 90
KEEP_DAYS = 7


def snapshot_end(day: date, now: datetime | None = None) -> datetime:
    """A day's snapshot counts up to the end of that day, or now for today."""
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    end_of_day = timezone.make_aware(
        datetime.combine(day + timedelta(days=1), datetime.min.time()), tz
    )
    return min(now, end_of_day)


@dataclass
class NetworkFigures:
    """What one nightly run computed, before it is written."""

    day: date
    window_start: datetime
    window_end: datetime
    triad_counts: dict
    organisation: bridges.Ranking
    local: dict
    missing: list
    # Seconds per phase: triad, participation, betweenness (organisation,
    # communities), missing bridges.
    seconds: dict = field(default_factory=dict)

    @property
    def graph_seconds(self) -> float:
        return sum(
            v for k, v in self.seconds.items() if k == "participation" or "betw" in k
        )


def network_snapshot_build(*, day: date, now: datetime | None = None):
    return network_snapshot_write(network_snapshot_compute(day=day, now=now))


def network_snapshot_compute(*, day: date, now: datetime | None = None):
    """Read and compute only (each query on its own): no lock is held while
    networkx works."""
    end = snapshot_end(day, now)
    seconds = {}
    started = time.monotonic()

    def lap(name):
        nonlocal started
        seconds[name] = time.monotonic() - started
        started = time.monotonic()

    windows = {days: (end - timedelta(days=days), end) for days in PRESET_DAYS}
    counts = triad.triad_counts(Scope.organisation(), windows)
    lap("triad")
    window_start = end - timedelta(days=BRIDGE_WINDOW_DAYS)
    taking_part = bridges.participation(window_start, end)
    community_ids = list(
        Community.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)
    )
    open_ids = bridges.open_community_ids()
    lap("participation")
    organisation = bridges.organisation_ranking(taking_part)
    lap("betweenness, organisation")
    local = bridges.community_rankings(taking_part, community_ids, open_ids)
    lap("betweenness, communities")
    missing = spread_next.missing_bridges_compute()
    lap("missing bridges")
    return NetworkFigures(
        day=day,
        window_start=window_start,
        window_end=end,
        triad_counts=counts,
        organisation=organisation,
        local=local,
        missing=missing,
        seconds=seconds,
    )


@transaction.atomic
def network_snapshot_write(figures: NetworkFigures) -> NetworkSnapshot:
    """Replace the day's snapshot with these figures; drop old ones."""
    day, organisation = figures.day, figures.organisation
    NetworkSnapshot.objects.filter(day=day).delete()
    snapshot = NetworkSnapshot.objects.create(
        day=day,
        window_start=figures.window_start,
        window_end=figures.window_end,
        graph_seconds=figures.graph_seconds,
        people=len(organisation.scores),
        links=organisation.pairs,
    )
    TriadFlow.objects.bulk_create(
        [
            TriadFlow(
                snapshot=snapshot,
                period_days=key,
                community_id=community_id,
                source_role=source,
                target_role=target,
                **kinds,
            )
            for (community_id, key), edges in figures.triad_counts.items()
            for (source, target), kinds in edges.items()
        ],
        batch_size=2000,
    )
    rows = [
        BridgeScore(
            snapshot=snapshot,
            community_id=community_id,
            user_id=person,
            score=score,
            communities=ranking.communities[person],
        )
        for community_id, ranking in [(None, organisation), *figures.local.items()]
        for person, score in ranking.scores.items()
    ]
    BridgeScore.objects.bulk_create(rows, batch_size=5000)
    MissingBridge.objects.bulk_create(
        [MissingBridge(snapshot=snapshot, **row) for row in figures.missing],
        batch_size=5000,
    )
    NetworkSnapshot.objects.filter(day__lt=day - timedelta(days=KEEP_DAYS)).delete()
    # Fresh statistics, so the pages' first reads are planned on the new rows.
    with connection.cursor() as cursor:
        for model in (TriadFlow, BridgeScore, MissingBridge):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    logger.info(
        "Network snapshot %s: %s; %s bridge scores, %s missing bridges",
        day,
        ", ".join(f"{k} {v:.1f} s" for k, v in figures.seconds.items()),
        len(rows),
        len(figures.missing),
    )
    return snapshot
