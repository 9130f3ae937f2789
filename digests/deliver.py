"""Who gets which digest e-mail, exactly once.

For each member in a batch:
1. compose (read-only): their active, unmuted communities' digests that have
   news, plus unread notifications they asked to have folded in;
2. a pending DigestDelivery per (member, period, start) is committed before
   anything is sent (an "empty" one for a member with nothing to tell, so a
   rerun leaves them out);
3. the batch's records are claimed by one conditional UPDATE once the SMTP
   connection is open (pending, failed, or a "sending" claim older than
   CLAIM_STALE_AFTER: a worker died holding it), and each is marked sent as
   soon as the server took its e-mail. A record another run holds or already
   sent is never touched, so a rerun, a retry or a second worker cannot send
   twice, and a killed worker costs at most the one message in flight; the
   records it still held are claimable again after CLAIM_STALE_AFTER, when
   `deliveries_sweep` (beat) hands them to a new batch;
4. an SMTP error before the server took the message marks the record failed
   and the task retries the batch with backoff; a timeout after it was handed
   over counts as sent (the server may well have it: sending again is how
   members got two digests). Every message carries a Message-ID stable per
   delivery, so a mail system can spot a repeat.
"""

import json
import logging
import socket
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import connection as db_connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities.models import Membership
from digests.build import digests_for
from digests.compose import digest_message, digests_with_content
from digests.models import DigestDelivery
from digests.periods import period_end
from knowledge.selectors.follows import digest_follow_choices, digest_followers_q
from members.models import User
from notifications.emails import SEND_ERRORS, stable_message_id
from notifications.selectors import notifications_to_fold
from notifications.services import email_claim, email_claim_release

logger = logging.getLogger(__name__)

FOLDED_NOTIFICATIONS = 20


def batch_size() -> int:
    return getattr(settings, "DIGEST_BATCH_SIZE", 500)


# A member whose delivery is in one of these is done for the period.
DONE = (DigestDelivery.Status.SENT, DigestDelivery.Status.EMPTY)


def done_member_ids(*, period: str, start):
    """Members whose delivery of this period's digest is already sent or was
    found to have nothing to send: a rerun skips them before composing
    anything (no batch is enqueued for them). A subquery for NOT IN, which
    PostgreSQL reads once into a hash on the (period, start) index: an
    anti-join planned on stale statistics (a run has just written 20,000
    rows) walked every delivery for every member, 13 s."""
    return DigestDelivery.objects.filter(
        period=period, period_start=start, status__in=DONE
    ).values("member_id")


def recipient_ids(*, period: str, community=None, start=None):
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
    # Following an open community brings its digest to non-members too.
    followers = digest_followers_q() if community is None else Q(pk__in=[])
    members = User.objects.filter(is_active=True, digest_frequency=period).filter(
        Q(Exists(memberships)) | followers
    )
    if start is not None:
        members = members.exclude(pk__in=done_member_ids(period=period, start=start))
    return members.order_by("pk").values_list("pk", flat=True)


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
    # Communities where they are an active member: their items in the
    # e-mail carry the member's reply-by-e-mail address.
    reply_communities: frozenset = frozenset()


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
    # Follows: an open community followed joins the digest, a muted one
    # leaves it (as digest_muted does).
    followed, muted = digest_follow_choices(user_ids=members)
    member_of = {pk: frozenset(ids) for pk, ids in communities_of.items()}
    for pk in members:
        mine = communities_of.get(pk, [])
        extra = sorted(followed.get(pk, set()) - set(mine))
        kept = [c for c in mine + extra if c not in muted.get(pk, ())]
        if kept:
            communities_of[pk] = kept
        else:
            communities_of.pop(pk, None)
    all_communities = {c for ids in communities_of.values() for c in ids}
    digests = digests_for(
        community_ids=all_communities,
        period=period,
        start=start,
        save=save,
        defer_content=True,
    )
    digests_with_content([d for d in digests.values() if d.has_news])

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
            reply_communities=member_of.get(pk, frozenset()),
        )
    return plans


# A "sending" claim older than this belongs to a worker that died.
CLAIM_STALE_AFTER = timedelta(minutes=10)
# SMTP gave up waiting after the message was handed over: it may be delivered.
UNCERTAIN_ERRORS = (TimeoutError, socket.timeout)


def _record(*, period, start, member_ids, status=DigestDelivery.Status.PENDING):
    """Records for the batch (pending ones committed before anything is
    sent); a member's existing record is left as it is."""
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(
                member_id=pk, period=period, period_start=start, status=status
            )
            for pk in member_ids
        ],
        ignore_conflicts=True,
    )


def claimable(now) -> Q:
    return Q(
        status__in=[DigestDelivery.Status.PENDING, DigestDelivery.Status.FAILED]
    ) | Q(status=DigestDelivery.Status.SENDING, claimed_at__lt=now - CLAIM_STALE_AFTER)


def _claim(*, period, start, member_ids) -> dict[int, DigestDelivery]:
    """Claim the members' records for this run, one conditional UPDATE ...
    RETURNING for the batch: {member id: claimed record}. A record that is
    sent, or that another live run holds, is left out."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimable_ids = DigestDelivery.objects.filter(
        claimable(now), member_id__in=member_ids, period=period, period_start=start
    ).values("pk")
    sql, params = claimable_ids.query.sql_with_params()
    table = DigestDelivery._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {db_connection.ops.quote_name(table)}
            SET status = %s, claim_token = %s, claimed_at = %s,
                attempts = attempts + 1
            WHERE id IN ({sql}) RETURNING id, member_id, attempts""",  # noqa: S608
            [DigestDelivery.Status.SENDING, token, now, *params],
        )
        rows = cursor.fetchall()
    return {
        member_id: DigestDelivery(
            pk=pk,
            member_id=member_id,
            period=period,
            period_start=start,
            status=DigestDelivery.Status.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=attempts,
        )
        for pk, member_id, attempts in rows
    }


def _fail(deliveries, error) -> None:
    """Give claimed records back as failed: the task's retry (or the sweep)
    claims them again."""
    DigestDelivery.objects.filter(
        pk__in=[d.pk for d in deliveries],
        claim_token__in={d.claim_token for d in deliveries},
    ).update(status=DigestDelivery.Status.FAILED, last_error=str(error)[:2000])


def _mark_sent(delivery, *, last_error, digest_ids, notification_count) -> None:
    """The record is sent: committed at once, one UPDATE by primary key per
    e-mail (written here once: the ORM compiled the same statement for every
    member, 0.3 ms each)."""
    fields = {f.name: f.column for f in DigestDelivery._meta.concrete_fields}
    quote = db_connection.ops.quote_name
    columns = ("status", "sent_at", "last_error", "digest_ids", "notification_count")
    assignments = ", ".join(
        f"{quote(fields[name])} = %s" + ("::jsonb" if name == "digest_ids" else "")
        for name in columns
    )
    table = quote(DigestDelivery._meta.db_table)
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE {quote(fields['id'])} = %s",  # noqa: S608
            [
                DigestDelivery.Status.SENT,
                timezone.now(),
                last_error,
                json.dumps(digest_ids),
                notification_count,
                delivery.pk,
            ],
        )


def message_id(delivery: DigestDelivery) -> str:
    """The same for every attempt at one delivery."""
    return stable_message_id("digest", f"{delivery.pk}-{delivery.period_start:%Y%m%d}")


def digest_batch_send(*, period: str, start, member_ids) -> BatchResult:
    result = BatchResult()
    # Already sent, or nothing to send (a rerun): skipped before anything
    # is composed.
    done = dict(
        DigestDelivery.objects.filter(
            member_id__in=member_ids,
            period=period,
            period_start=start,
            status__in=DONE,
        ).values_list("member_id", "status")
    )
    result.skipped = [
        pk for pk, status in done.items() if status == DigestDelivery.Status.SENT
    ]
    result.nothing = [
        pk for pk in member_ids if pk in done and pk not in result.skipped
    ]
    to_plan = [pk for pk in member_ids if pk not in done]
    if not to_plan:
        return result
    plans = plan_batch(period=period, start=start, member_ids=to_plan)
    empty = [pk for pk in to_plan if pk not in plans]
    result.nothing.extend(empty)
    # Every "sent" mark is committed durably (synchronous_commit stays on):
    # a database crash must not lose marks and send those e-mails twice.
    _record(
        period=period,
        start=start,
        member_ids=empty,
        status=DigestDelivery.Status.EMPTY,
    )
    if plans:
        _record(period=period, start=start, member_ids=list(plans))
        _send_planned(period=period, start=start, plans=plans, result=result)
    return result


def _send_planned(*, period, start, plans, result) -> None:
    connection = mail.get_connection()
    try:
        # Connect before claiming: a server that cannot be reached fails the
        # batch (retried) before anyone's record is taken.
        connection.open()
    except SEND_ERRORS as exc:
        logger.warning("Digest SMTP connection failed: %s", exc)
        result.failed.extend(plans)
        return
    claimed = _claim(period=period, start=start, member_ids=list(plans))
    result.skipped.extend(pk for pk in plans if pk not in claimed)
    queue = [(plan, claimed[pk]) for pk, plan in plans.items() if pk in claimed]
    sections = {}  # each community's part rendered once per batch and zone
    for position, (plan, delivery) in enumerate(queue):
        pk = delivery.member_id
        try:
            connection.open()  # again, after an error closed it
        except SEND_ERRORS as exc:
            logger.warning("Digest SMTP connection failed: %s", exc)
            rest = [d for _plan, d in queue[position:]]
            _fail(rest, exc)
            result.failed.extend(d.member_id for d in rest)
            break
        now = timezone.now()
        notes = email_claim(notifications=plan.notifications, at=now)
        message = digest_message(
            member=plan.member,
            period=period,
            start=start,
            digests=plan.digests,
            notifications=notes,
            more_notifications=plan.more_notifications,
            sections=sections,
            reply_communities=plan.reply_communities,
        )
        message.extra_headers["Message-ID"] = message_id(delivery)
        try:
            connection.send_messages([message])
        except UNCERTAIN_ERRORS as exc:
            logger.warning("Digest e-mail to member %s timed out: %s", pk, exc)
            connection.close()
            last_error = f"timed out after handing over, not sent again: {exc}"
        except SEND_ERRORS as exc:
            logger.warning("Digest e-mail to member %s failed: %s", pk, exc)
            connection.close()
            email_claim_release(notification_ids=[n.pk for n in notes], at=now)
            _fail([delivery], exc)
            result.failed.append(pk)
            continue
        else:
            last_error = ""
        _mark_sent(
            delivery,
            last_error=last_error[:2000],
            digest_ids=[d.pk for d in plan.digests],
            notification_count=len(notes),
        )
        result.sent.append(pk)
    connection.close()


def deliveries_sweep(*, now=None) -> list[tuple[str, object, list[int]]]:
    """(period, start, member ids) of deliveries still owed: pending or
    failed ones the retries gave up on, and claims a dead worker left in
    "sending". The caller hands them to new batches; claiming stays per
    member, so a delivery a live run still holds is not sent twice."""
    now = now or timezone.now()
    owed = defaultdict(list)
    rows = (
        DigestDelivery.objects.filter(
            claimable(now), created_at__lt=now - CLAIM_STALE_AFTER
        )
        .order_by("period", "period_start", "member_id")
        .values_list("period", "period_start", "member_id")
    )
    for period, start, member_id in rows:
        owed[(period, start)].append(member_id)
    return [(period, start, ids) for (period, start), ids in owed.items()]
