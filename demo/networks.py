"""Leaders and bridges in the demo: the nightly network snapshot, computed
once at seed time so the pages show the demo's triad, its bridges and its
missing bridges at once (the beat job refreshes it every night after).
Idempotent: a second run replaces today's snapshot with the same figures."""

from django.utils import timezone

from dashboards.snapshots import network_snapshot_build


def seed(stdout):
    snapshot = network_snapshot_build(day=timezone.localdate())
    stdout.write(
        f"Leaders and bridges: {snapshot.people} people bridge communities, "
        f"{snapshot.missing_bridges.count()} missing bridges."
    )
