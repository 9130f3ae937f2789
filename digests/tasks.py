"""Digests' Celery tasks: ids (and ISO dates) in, a service call, nothing
else. All are idempotent; they are enqueued with members.jobs.enqueue_on_commit.

Beat runs digests.run daily and weekly at settings.DIGEST_HOUR; it fans out
one build per community, then one send per batch of members.
"""

import logging

from celery import shared_task
from django.utils import timezone

from communities.models import Community
from digests import build, deliver, inputs, periods
from digests.models import Digest
from members.jobs import RETRY_WITH_BACKOFF, enqueue_on_commit

logger = logging.getLogger(__name__)


class DigestSendFailed(Exception):
    """Some e-mails of a batch failed; retrying sends only those."""


@shared_task(name="digests.run")
def digests_run(period: str, start: str | None = None) -> dict:
    """Fan out: build every community's digest for the last complete period
    (or the one starting at `start`) whose inputs changed since it was built,
    then send to members not done yet in batches. The send tasks build any
    digest not built yet, so the order does not matter."""
    if start:
        begin = periods.parse_start(period, start)
    else:
        begin = periods.period_bounds(period, timezone.now())[0]
    iso = begin.isoformat()
    communities = list(
        Community.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)
    )
    # A digest already built from the same inputs is not built again (a
    # rerun, the beat firing twice): its build is not even enqueued.
    current = inputs.digest_inputs(
        community_ids=communities, period=period, start=begin
    )
    stored = dict(
        Digest.objects.filter(
            period=period, start=begin, community_id__in=communities
        ).values_list("community_id", "inputs")
    )
    built = 0
    for community_id in communities:
        if stored.get(community_id) == current[community_id]:
            continue
        # The build stores the inputs read here: reading them again for one
        # community costs each build a scan of the week's replies and marks.
        enqueue_on_commit(
            "digests.build",
            community_id=community_id,
            period=period,
            start=iso,
            inputs=current[community_id],
        )
        built += 1
    batches = 0
    for batch in deliver.in_batches(deliver.recipient_ids(period=period, start=begin)):
        enqueue_on_commit(
            "digests.send_batch", period=period, start=iso, member_ids=batch
        )
        batches += 1
    logger.info(
        "Digests %s from %s: %s builds, %s batches", period, iso, built, batches
    )
    return {"builds": built, "batches": batches}


@shared_task(name="digests.build")
def digest_build(
    community_id: int, period: str, start: str, inputs: str | None = None
) -> int | None:
    """`inputs`: the digest's signature as the fan-out read it (a job from
    before it was passed has none: the build reads it)."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    digest = build.digest_build(
        community=community,
        period=period,
        start=periods.parse_start(period, start),
        signature=inputs,
    )
    return digest.pk


@shared_task(
    name="digests.send_batch",
    bind=True,
    autoretry_for=(DigestSendFailed,),
    **RETRY_WITH_BACKOFF,
)
def send_digest_batch(self, period: str, start: str, member_ids: list[int]) -> dict:
    result = deliver.digest_batch_send(
        period=period,
        start=periods.parse_start(period, start),
        member_ids=member_ids,
    )
    if result.failed:
        raise DigestSendFailed(f"{len(result.failed)} digest e-mails failed")
    return {"sent": len(result.sent), "skipped": len(result.skipped)}


@shared_task(name="digests.redact_hidden")
def redact_hidden() -> int:
    from digests.redact import digests_redact_hidden

    return digests_redact_hidden()


@shared_task(name="digests.sweep")
def sweep() -> int:
    """Hand deliveries still owed (a worker died mid-batch, retries ran out)
    to new batches. Returns how many batches went out."""
    batches = 0
    for period, start, member_ids in deliver.deliveries_sweep():
        for batch in deliver.in_batches(member_ids):
            enqueue_on_commit(
                "digests.send_batch",
                period=period,
                start=start.isoformat(),
                member_ids=batch,
            )
            batches += 1
    return batches
