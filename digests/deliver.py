"""Who gets which digest e-mail, exactly once.

For each member in a batch:
1. compose (read-only): their active, unmuted communities' digests that have
   news, plus unread notifications they asked to have folded in;
2. a pending DigestDelivery per (member, period, start) is committed in its
   own transaction before anything is sent;
3. one conditional UPDATE claims the batch's pending (or failed) records with
   this run's token: only those are sent. A record that another run holds
   ("sending") or already sent is never touched, so a rerun, a retry or a
   second worker cannot send twice. If a worker dies between claim and send,
   the record stays "sending": that member misses one digest rather than
   getting two (operators see it in the admin);
4. SMTP failures mark the record failed with the error; the task retries the
   batch with backoff and only failed records are claimed again.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from communities.models import Membership
from digests.build import digests_for
from digests.compose import digest_message
from digests.models import DigestDelivery
from digests.periods import period_end
from members.models import User
from notifications.emails import SEND_ERRORS
from notifications.selectors import notifications_to_fold
from notifications.services import email_claim, email_claim_release

logger = logging.getLogger(__name__)

FOLDED_NOTIFICATIONS = 20


def batch_size() -> int:
    return getattr(settings, "DIGEST_BATCH_SIZE", 500)


def recipient_ids(*, period: str, community=None):
    """Ids of members who want this period's digest and are active in at
    least one unmuted, unarchived community (optionally: in `community`)."""
    memberships = Membership.objects.filter(
        user_id=OuterRef("pk"),
        status=Membership.Status.ACTIVE,
        digest_muted=False,
        community__archived_at__isnull=True,
    )
    if community is not None:
        memberships = memberships.filter(community=community)
    return (
        User.objects.filter(is_active=True, digest_frequency=period)
        .filter(Exists(memberships))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def in_batches(ids, size=None):
    size = size or batch_size()
    batch = []
    for pk in ids.iterator(chunk_size=size) if hasattr(ids, "iterator") else ids:
        batch.append(pk)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class Planned:
    member: User
    digests: list
    notifications: list
    more_notifications: int = 0


@dataclass
class BatchResult:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    # Nothing to tell them, or already delivered / being delivered elsewhere.
    nothing: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def plan_batch(
    *, period: str, start, member_ids, save: bool = True
) -> dict[int, Planned]:
    """What each member of the batch would receive. Nothing is written except
    digests the build tasks have not stored yet (none with save=False)."""
    end = period_end(period, start)
    members = {
        m.pk: m
        for m in User.objects.filter(
            pk__in=member_ids, is_active=True, digest_frequency=period
        )
    }
    communities_of = defaultdict(list)
    for user_id, community_id in Membership.objects.filter(
        user_id__in=members,
        status=Membership.Status.ACTIVE,
        digest_muted=False,
        community__archived_at__isnull=True,
    ).values_list("user_id", "community_id"):
        communities_of[user_id].append(community_id)
    all_communities = {c for ids in communities_of.values() for c in ids}
    digests = digests_for(
        community_ids=all_communities, period=period, start=start, save=save
    )

    folded = notifications_to_fold(members=members.values(), before=end)

    plans = {}
    for pk, member in members.items():
        news = [digests[c] for c in communities_of.get(pk, ()) if digests[c].has_news]
        news.sort(key=lambda d: d.community.name.lower())
        notes = folded.get(pk, [])
        if not news and not notes:
            continue
        plans[pk] = Planned(
            member=member,
            digests=news,
            notifications=notes[:FOLDED_NOTIFICATIONS],
            more_notifications=max(len(notes) - FOLDED_NOTIFICATIONS, 0),
        )
    return plans


def _claim(*, period, start, member_ids) -> dict[int, DigestDelivery]:
    """Create pending records (own transaction), then claim this run's share."""
    with transaction.atomic():
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(member_id=pk, period=period, period_start=start)
                for pk in member_ids
            ],
            ignore_conflicts=True,
        )
    token = uuid.uuid4().hex
    DigestDelivery.objects.filter(
        member_id__in=member_ids,
        period=period,
        period_start=start,
        status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.FAILED],
    ).update(
        status=DigestDelivery.Status.SENDING,
        claim_token=token,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return {d.member_id: d for d in DigestDelivery.objects.filter(claim_token=token)}


def digest_batch_send(*, period: str, start, member_ids) -> BatchResult:
    result = BatchResult()
    plans = plan_batch(period=period, start=start, member_ids=member_ids)
    result.nothing = [pk for pk in member_ids if pk not in plans]
    if not plans:
        return result
    claimed = _claim(period=period, start=start, member_ids=list(plans))
    result.skipped = [pk for pk in plans if pk not in claimed]
    connection = mail.get_connection()
    for pk, delivery in claimed.items():
        plan = plans[pk]
        now = timezone.now()
        notes = email_claim(notifications=plan.notifications, at=now)
        message = digest_message(
            member=plan.member,
            period=period,
            start=start,
            digests=plan.digests,
            notifications=notes,
            more_notifications=plan.more_notifications,
        )
        try:
            connection.send_messages([message])
        except SEND_ERRORS as exc:
            logger.warning("Digest e-mail to member %s failed: %s", pk, exc)
            connection.close()
            email_claim_release(notification_ids=[n.pk for n in notes], at=now)
            DigestDelivery.objects.filter(
                pk=delivery.pk, claim_token=delivery.claim_token
            ).update(status=DigestDelivery.Status.FAILED, last_error=str(exc)[:2000])
            result.failed.append(pk)
            continue
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            status=DigestDelivery.Status.SENT,
            sent_at=timezone.now(),
            last_error="",
            digest_ids=[d.pk for d in plan.digests],
            notification_count=len(notes),
        )
        result.sent.append(pk)
    connection.close()
    return result
