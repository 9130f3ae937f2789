"""Reads for the dashboard pages."""

from dashboards.models import ORGANISATION, NetworkSnapshot, Snapshot
from dashboards.periods import Period


def latest_snapshot(period: Period) -> Snapshot | None:
    """The newest organisation snapshot for a standard period; None for a
    custom period (always counted live) or before the first nightly run.
    Its tables (`data`, every row of twelve tables) are read only when a
    table is first asked for: staff's cached page needs only which
    snapshot it shows."""
    if not period.key.isdigit():
        return None
    return (
        Snapshot.objects.filter(scope=ORGANISATION, period_days=int(period.key))
        .defer("data")
        .order_by("-built_at")
        .first()
    )


def latest_network_snapshot() -> NetworkSnapshot | None:
    """The newest nightly network snapshot (leaders and bridges)."""
    return NetworkSnapshot.objects.order_by("-day").first()
