"""Writes: the nightly network snapshot (leaders and bridges).

network_snapshot_build(day=...) counts, for the day given, the triad flows
of every community for each standard period, who bridges communities over
BRIDGE_WINDOW_DAYS, and the missing bridges, and stores them as that day's
NetworkSnapshot. Running it again for the same day replaces that day's
snapshot; snapshots older than KEEP_DAYS are removed.
"""

import logging
import time
from datetime import date, datetime, timedelta

from django.db import transaction
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


def network_snapshot_build(*, day: date, now: datetime | None = None):
    end = snapshot_end(day, now)
    windows = {days: (end - timedelta(days=days), end) for days in PRESET_DAYS}
    counts = triad.triad_counts(Scope.organisation(), windows)

    started = time.monotonic()
    window_start = end - timedelta(days=BRIDGE_WINDOW_DAYS)
    taking_part = bridges.participation(window_start, end)
    organisation = bridges.organisation_ranking(taking_part)
    community_ids = list(
        Community.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)
    )
    local = bridges.community_rankings(
        taking_part, community_ids, bridges.open_community_ids()
    )
    graph_seconds = time.monotonic() - started
    missing = spread_next.missing_bridges_compute()

    with transaction.atomic():
        NetworkSnapshot.objects.filter(day=day).delete()
        snapshot = NetworkSnapshot.objects.create(
            day=day,
            window_start=window_start,
            window_end=end,
            graph_seconds=graph_seconds,
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
                for (community_id, key), edges in counts.items()
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
            for community_id, ranking in [(None, organisation), *local.items()]
            for person, score in ranking.scores.items()
        ]
        BridgeScore.objects.bulk_create(rows, batch_size=5000)
        MissingBridge.objects.bulk_create(
            [MissingBridge(snapshot=snapshot, **row) for row in missing],
            batch_size=5000,
        )
        NetworkSnapshot.objects.filter(day__lt=day - timedelta(days=KEEP_DAYS)).delete()
    logger.info(
        "Network snapshot %s: graph %.1f s, %s bridge scores, %s missing bridges",
        day,
        graph_seconds,
        len(rows),
        len(missing),
    )
    return snapshot
