"""Outgoing webhooks: configure, fan out, deliver, retry.

An event (members.events) reaches `emit_event` through the outbox. It writes
one Delivery per hook allowed to hear it (unique per hook and event id: the
job running twice adds nothing) and, in the same transaction, one outbox job
per new delivery. `delivery_send` claims a due delivery, POSTs it signed and
records the answer; a failed attempt is due again after BACKOFF, and
`deliveries_due` (beat, every minute) hands due retries to the outbox. After
the last attempt the delivery is failed; staff or the community's stewards
may redeliver it from the log.
"""

import ipaddress
import json
import logging
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from integrations import permissions as perms
from integrations.events import event_describe, hook_may_carry
from integrations.models import Delivery, Event, Webhook
from integrations.signing import (
    EVENT_HEADER,
    EVENT_ID_HEADER,
    SIGNATURE_HEADER,
    secret_generate,
    signature_header,
)
from members.jobs import enqueue_on_commit
from members.model_update import model_update

logger = logging.getLogger(__name__)

# Wait after each failed attempt: 1 min, 5 min, 30 min, 2 h, 12 h; the
# attempt after the last wait is the last one.
BACKOFF = (60, 300, 30 * 60, 2 * 60 * 60, 12 * 60 * 60)
MAX_ATTEMPTS = len(BACKOFF) + 1
# An attempt in flight holds its delivery this long (a worker dying mid-POST
# leaves it due again afterwards).
CLAIM_SECONDS = 120
# A retry handed to the outbox is not handed over again before this.
REQUEUE_AFTER = timedelta(minutes=10)
USER_AGENT = "Practica-Webhooks/1"


# --- Configuration --------------------------------------------------------------


def webhook_url_check(url: str) -> None:
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise ValidationError({"url": _("Use an http or https address.")})
    if settings.WEBHOOK_REQUIRE_HTTPS and scheme != "https":
        raise ValidationError({"url": _("Webhooks are sent over https only.")})


def _events_check(events) -> list[str]:
    events = [e for e in Event.values if e in set(events)]
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    return events


@transaction.atomic
def webhook_create(*, acting_user, community, name: str, url: str, events) -> Webhook:
    """A new hook with a fresh secret (shown once by the caller)."""
    webhook_url_check(url)
    hook = Webhook(
        name=name.strip(),
        url=url,
        secret=secret_generate(),
        events=_events_check(events),
        community=community,
        created_by=acting_user,
    )
    hook.full_clean()
    hook.save()
    return hook


@transaction.atomic
def webhook_update(
    *, hook: Webhook, acting_user, name: str, url: str, events, is_active: bool
) -> bool:
    webhook_url_check(url)
    return model_update(
        instance=hook,
        fields=["name", "url", "events", "is_active"],
        data={
            "name": name.strip(),
            "url": url,
            "events": _events_check(events),
            "is_active": is_active,
        },
    )


@transaction.atomic
def webhook_secret_roll(*, hook: Webhook, acting_user) -> str:
    """A new secret (shown once by the caller); the old one stops working."""
    hook.secret = secret_generate()
    hook.save(update_fields=["secret"])
    return hook.secret


@transaction.atomic
def check_webhook_secret_roll(*, acting_user, hook_id: int) -> Webhook:
    hook = perms.access_webhook(acting_user, hook_id)
    webhook_secret_roll(hook=hook, acting_user=acting_user)
    return hook


@transaction.atomic
def webhook_delete(*, hook: Webhook, acting_user) -> None:
    hook.delete()


@transaction.atomic
def check_webhook_create(*, acting_user, community_id: int | None, **fields) -> Webhook:
    community = None
    if community_id is not None:
        community = (
            perms.stewarded_communities(acting_user).filter(pk=community_id).first()
        )
        if community is None:
            raise ValidationError(
                {"community": _("Choose a community you are a steward of.")}
            )
    if not perms.can_create_webhook(acting_user, community):
        raise ValidationError(
            {"community": _("Only staff set up organisation-wide webhooks.")}
        )
    return webhook_create(acting_user=acting_user, community=community, **fields)


@transaction.atomic
def check_webhook_update(*, acting_user, hook_id: int, **fields) -> bool:
    hook = perms.access_webhook(acting_user, hook_id)
    return webhook_update(hook=hook, acting_user=acting_user, **fields)


@transaction.atomic
def check_webhook_delete(*, acting_user, hook_id: int) -> None:
    hook = perms.access_webhook(acting_user, hook_id)
    webhook_delete(hook=hook, acting_user=acting_user)


# --- Fan-out --------------------------------------------------------------------


@transaction.atomic
def emit_event(*, event: str, object_id: int, event_id: str) -> int:
    """One delivery per hook that listens to `event` and may carry what it
    says; returns how many were new. Idempotent per event id."""
    hooks = list(
        Webhook.objects.filter(is_active=True, events__contains=[event]).only(
            "id", "community_id"
        )
    )
    if not hooks:
        return 0
    described = event_describe(event=event, object_id=object_id)
    if described is None:
        return 0
    now = timezone.now()
    created = 0
    for hook in hooks:
        if not hook_may_carry(hook, described.communities):
            continue
        delivery, new = Delivery.objects.get_or_create(
            webhook_id=hook.pk,
            event_id=event_id,
            defaults={
                "event": event,
                "payload": described.data,
                "community_ids": [c.pk for c in described.communities],
                "next_attempt_at": now,
                "queued_at": now,
            },
        )
        if new:
            enqueue_on_commit("integrations.delivery_send", delivery_id=delivery.pk)
            created += 1
    return created


# --- Delivery -------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an address to follow (it could point
    anywhere, the internal network included)."""

    def redirect_request(self, *args, **kwargs):
        return None


def _address_allowed(url: str) -> bool:
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return True
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def delivery_body(delivery: Delivery) -> bytes:
    envelope = {
        "id": str(delivery.event_id),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "data": delivery.payload,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":")).encode()


def _post(hook: Webhook, delivery: Delivery, *, now) -> tuple[int | None, str]:
    """POST the delivery; (HTTP status or None, error text or "")."""
    if not _address_allowed(hook.url):
        return None, _("Refused: the address is not a public one.")
    body = delivery_body(delivery)
    # http(s) only: webhook_url_check refuses any other scheme on save.
    request = urllib.request.Request(  # noqa: S310
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            EVENT_HEADER: delivery.event,
            EVENT_ID_HEADER: str(delivery.event_id),
            SIGNATURE_HEADER: signature_header(
                secret=hook.secret, timestamp=int(now.timestamp()), body=body
            ),
        },
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            answer.read(1024)
            return answer.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code} {exc.reason}"
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, bad URL
        return None, str(exc) or exc.__class__.__name__


def _claim(delivery_id: int, now) -> Delivery | None:
    """Take a due delivery for one attempt, or None (done, not due, or being
    attempted by another worker)."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(
                pk=delivery_id,
                status=Delivery.Status.PENDING,
                next_attempt_at__lte=now,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + timedelta(seconds=CLAIM_SECONDS)
        delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
        return delivery


def _still_allowed(delivery: Delivery) -> bool:
    communities = list(Community.objects.filter(pk__in=delivery.community_ids))
    return len(communities) == len(set(delivery.community_ids)) and hook_may_carry(
        delivery.webhook, communities
    )


def delivery_send(*, delivery_id: int) -> str | None:
    """One attempt at a due delivery; returns its status after it, or None
    when there was nothing to attempt."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    hook = delivery.webhook
    if not hook.is_active:
        code, error = None, _("The webhook is switched off.")
        final = True
    elif not _still_allowed(delivery):
        code, error = None, _("The webhook may no longer carry this content.")
        final = True
    else:
        code, error = _post(hook, delivery, now=now)
        final = False
    delivery.response_code = code
    delivery.queued_at = None
    if code is not None and 200 <= code < 300:
        delivery.status = Delivery.Status.SUCCEEDED
        delivery.last_error = ""
    else:
        delivery.last_error = (error or _("No answer"))[:500]
        if final or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            wait = BACKOFF[delivery.attempts - 1]
            delivery.next_attempt_at = now + timedelta(seconds=wait)
    delivery.save(
        update_fields=[
            "status",
            "response_code",
            "last_error",
            "next_attempt_at",
            "queued_at",
        ]
    )
    if delivery.status == Delivery.Status.FAILED:
        logger.warning("Webhook delivery %s failed: %s", delivery.pk, error)
    return delivery.status


@transaction.atomic
def deliveries_due(*, limit: int = 500) -> int:
    """Hand every retry that is due to the outbox; returns how many."""
    now = timezone.now()
    due = list(
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .exclude(queued_at__gt=now - REQUEUE_AFTER)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    Delivery.objects.filter(pk__in=due).update(queued_at=now)
    for delivery_id in due:
        enqueue_on_commit("integrations.delivery_send", delivery_id=delivery_id)
    return len(due)


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, acting_user) -> Delivery:
    """Send it again now (after a failure, or to a receiver that lost it),
    with a fresh series of attempts."""
    now = timezone.now()
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.queued_at = now
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "queued_at"])
    enqueue_on_commit("integrations.delivery_send", delivery_id=delivery.pk)
    return delivery


@transaction.atomic
def check_delivery_redeliver(*, acting_user, hook_id: int, delivery_id: int):
    hook = perms.access_webhook(acting_user, hook_id)
    delivery = (
        Delivery.objects.select_for_update()
        .filter(pk=delivery_id, webhook=hook)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery_redeliver(delivery=delivery, acting_user=acting_user)
