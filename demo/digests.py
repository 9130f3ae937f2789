"""The last few weekly digests of every active community, so the archive and
the "Latest digest" link have something to show after `make run`.

Built through the digest builder (`_build`, the one place that names it);
rebuilding the same weeks updates the same rows. Nothing is e-mailed: sending
is the digest delivery's job, never the demo's."""

from communities.models import Community
from digests.build import digest_build
from digests.models import DigestPeriod
from digests.periods import period_bounds, previous_start

DIGEST_WEEKS = 4


def _build(*, community, start) -> None:
    digest_build(community=community, period=DigestPeriod.WEEKLY, start=start)


def seed(stdout):
    start = period_bounds(DigestPeriod.WEEKLY)[0]
    starts = [start]
    for _ in range(DIGEST_WEEKS - 1):
        starts.append(previous_start(DigestPeriod.WEEKLY, starts[-1]))
    communities = list(
        Community.objects.filter(archived_at__isnull=True).order_by("pk")
    )
    for community in communities:
        for begin in starts:
            _build(community=community, start=begin)
    stdout.write(
        f"Digests: the last {DIGEST_WEEKS} weekly digests of "
        f"{len(communities)} communities built (none e-mailed)."
    )
