"""Knowledge's Celery tasks: ids (and ISO dates) in, a service call, nothing
else. All are idempotent; they are enqueued with members.jobs.enqueue_on_commit.

Beat runs knowledge.digests_run daily and weekly at settings.DIGEST_HOUR; it
fans out one build per community, then one send per batch of members.
"""

import logging

from celery import shared_task
from django.utils import timezone

from communities.models import Community
from knowledge.digests import build, deliver, notify_email, periods
from members.jobs import enqueue_on_commit

logger = logging.getLogger(__name__)

RETRY = {
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


class DigestSendFailed(Exception):
    """Some e-mails of a batch failed; retrying sends only those."""


@shared_task(name="knowledge.digests_run")
def digests_run(period: str, start: str | None = None) -> dict:
    """Fan out: build every community's digest for the last complete period
    (or the one starting at `start`), then send to members in batches. The
    send tasks build any digest not built yet, so the order does not matter."""
    if start:
        begin = periods.parse_start(period, start)
    else:
        begin = periods.period_bounds(period, timezone.now())[0]
    iso = begin.isoformat()
    communities = Community.objects.filter(archived_at__isnull=True).values_list(
        "pk", flat=True
    )
    built = 0
    for community_id in communities.iterator():
        enqueue_on_commit(
            "knowledge.digest_build",
            community_id=community_id,
            period=period,
            start=iso,
        )
        built += 1
    batches = 0
    for batch in deliver.in_batches(deliver.recipient_ids(period=period)):
        enqueue_on_commit(
            "knowledge.send_digest_batch", period=period, start=iso, member_ids=batch
        )
        batches += 1
    logger.info(
        "Digests %s from %s: %s builds, %s batches", period, iso, built, batches
    )
    return {"builds": built, "batches": batches}


@shared_task(name="knowledge.digest_build")
def digest_build(community_id: int, period: str, start: str) -> int | None:
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return None
    digest = build.digest_build(
        community=community, period=period, start=periods.parse_start(period, start)
    )
    return digest.pk


@shared_task(
    name="knowledge.send_digest_batch",
    bind=True,
    autoretry_for=(DigestSendFailed,),
    **RETRY,
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


@shared_task(
    name="knowledge.send_notification_email",
    autoretry_for=deliver.SEND_ERRORS,
    **RETRY,
)
def send_notification_email(notification_id: int) -> bool:
    return notify_email.notification_email_send(notification_id=notification_id)
