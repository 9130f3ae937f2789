"""Reply by e-mail: an e-mail sent to a member's signed reply address
(notifications/reply_addresses.py) becomes their reply on the item.

Both ways in, the LMTP server (`manage.py receive_replies`, knowledge/lmtp.py)
and the Mailgun webhook (knowledge/inbound_views.py), call
`inbound_reply_receive`, which refuses, in this order:
- an address that is not ours, forged or tampered with, or expired;
- a sender whose From address is not the member's e-mail;
- a reply whose new text (knowledge/inbound_text.py) is empty;
- a replay: a Message-ID already accepted, or the same token with the same
  text (mail systems retry; people resend);
- what the member may no longer do: check_reply_create, the web form's own
  entry, decides (left the community, item hidden or gone, community
  archived), so notifications, mentions and follows happen as on the web.
Every attempt is written to InboundMailLog, accepted or not.
"""

import hashlib
import logging
import uuid
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import Resolver404, resolve

from knowledge import checks
from knowledge import permissions as perms
from knowledge.forms import ReplyForm
from knowledge.inbound_text import reply_text_strip
from knowledge.models import InboundMailLog, Item
from members.models import User
from notifications.reply_addresses import (
    ReplyAddressError,
    reply_token_read,
    token_digest,
    token_of,
)

logger = logging.getLogger(__name__)

Outcome = InboundMailLog.Outcome
# Submission tokens of e-mailed replies: the same mail twice is one reply even
# when two deliveries race past the replay check.
SUBMISSION_NAMESPACE = uuid.UUID("6c1f3f0e-8a53-4b7e-9d0a-2f6f5b0c7e11")
SAME_MESSAGE = "already received (same Message-ID)"


class Refused(Exception):
    def __init__(self, outcome: str, reason: str):
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _lock(key: str) -> None:
    """A transaction-long lock on `key`, so two deliveries of one mail are
    decided one after the other."""
    number = int.from_bytes(
        hashlib.sha256(key.encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def _member_for(log: InboundMailLog, *, recipient: str, sender: str) -> tuple:
    token = token_of(recipient)
    if not token:
        raise Refused(Outcome.FORGED, "not a reply address of this site")
    log.token_digest = token_digest(token)
    try:
        member_id, item_id, _issued = reply_token_read(token)
    except ReplyAddressError as exc:
        raise Refused(exc.reason, str(exc)) from exc
    member = User.objects.filter(pk=member_id).first()
    if member is None or not member.is_active:
        raise Refused(Outcome.NOT_ALLOWED, "no such active member")
    log.member = member
    log.item_id = item_id if Item.objects.filter(pk=item_id).exists() else None
    address = parseaddr(sender)[1].strip().lower()
    if not address or address != (member.email or "").strip().lower():
        raise Refused(Outcome.WRONG_SENDER, "sender is not the member's address")
    return member, item_id


@transaction.atomic
def _reply(log: InboundMailLog, *, member, item_id: int, body: str):
    """Create the reply and the accepted log row together, or raise Refused
    (nothing written)."""
    keys = sorted(
        k for k in (log.message_id, f"{log.token_digest}:{log.body_digest}") if k
    )
    for key in keys:
        _lock(f"inbound:{key}")
    seen = Q(token_digest=log.token_digest, body_digest=log.body_digest)
    if log.message_id:
        seen |= Q(message_id=log.message_id)
    earlier = (
        InboundMailLog.objects.filter(seen, outcome=Outcome.ACCEPTED)
        .only("message_id")
        .first()
    )
    if earlier is not None:
        if log.message_id and earlier.message_id == log.message_id:
            raise Refused(Outcome.REPLAYED, SAME_MESSAGE)
        raise Refused(Outcome.REPLAYED, "already received (same address and text)")
    item = Item.objects.select_related("community").filter(pk=item_id).first()
    if item is None:
        raise Refused(Outcome.NOT_ALLOWED, "the item no longer exists")
    try:
        reply = checks.check_reply_create(
            acting_user=member,
            community_slug=item.community.slug,
            item_id=item.pk,
            body=body,
            submission_token=uuid.uuid5(
                SUBMISSION_NAMESPACE, f"{log.token_digest}:{log.body_digest}"
            ),
        )
    except (Http404, PermissionDenied) as exc:
        raise Refused(Outcome.NOT_ALLOWED, "may no longer reply on this item") from exc
    except ValidationError as exc:
        raise Refused(Outcome.INVALID, "; ".join(exc.messages)[:300]) from exc
    log.outcome = Outcome.ACCEPTED
    log.reply = reply
    log.save()
    return reply


def inbound_reply_receive(
    *, channel: str, sender: str, recipient: str, message_id: str, text: str
) -> InboundMailLog:
    """Turn one received e-mail into a reply, or refuse it; either way the
    InboundMailLog row (saved) says which and why."""
    log = InboundMailLog(
        channel=channel,
        sender=(sender or "")[:254],
        recipient=(recipient or "")[:254],
        message_id=(message_id or "").strip()[:255],
    )
    try:
        member, item_id = _member_for(log, recipient=recipient, sender=sender)
        body = reply_text_strip(text)
        log.body_digest = _digest(body)
        if not body:
            raise Refused(Outcome.EMPTY, "nothing written above the quoted text")
        try:
            # The web form's own rules for a reply's text (length, NUL).
            body = ReplyForm.base_fields["body"].clean(body)
        except ValidationError as exc:
            raise Refused(Outcome.INVALID, "; ".join(exc.messages)) from exc
        _reply(log, member=member, item_id=item_id, body=body)
    except Refused as refused:
        return inbound_refusal_log(log=log, outcome=refused.outcome, why=refused.reason)
    logger.info("Reply by e-mail accepted: %s (reply %s)", log.sender, log.reply_id)
    return log


def inbound_refusal_log(*, log: InboundMailLog, outcome: str, why: str):
    """Keep a refused e-mail's trace (its own transaction: whatever was
    attempted was rolled back)."""
    log.pk = None
    log.outcome = outcome
    log.reason = why[:300]
    log.reply = None
    log.save()
    logger.warning(
        "Reply by e-mail refused (%s: %s) from %r to %r",
        outcome,
        why,
        log.sender,
        log.recipient,
    )
    return log


def is_duplicate_delivery(log: InboundMailLog) -> bool:
    """A mail system delivering again a message we already took: say it was
    delivered (a bounce would tell the member their reply failed)."""
    return log.outcome == Outcome.REPLAYED and log.reason == SAME_MESSAGE


# --- Reply-To on notification e-mails (hook of notifications.reply_addresses) ---


def notification_reply_item(notification) -> int | None:
    """The item a notification links to, when its recipient may reply there
    now; None otherwise (no Reply-To then)."""
    path = urlsplit(notification.url or "").path
    if not path.startswith("/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name != "knowledge:item":
        return None
    item = (
        Item.objects.select_related("community")
        .filter(pk=match.kwargs["pk"], community__slug=match.kwargs["slug"])
        .first()
    )
    if item is None:
        return None
    recipient = notification.recipient
    membership = perms.membership_or_outsider(recipient, item.community)
    return item.pk if perms.can_reply(recipient, item, membership) else None
