"""Reminders to quiet pairs and notices to brokers about idle ones."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mentoring.models import Pair, ReminderLog
from notifications.services import notify


def reminder_days() -> int:
    return getattr(settings, "MENTORING_REMINDER_DAYS", 21)


def idle_days() -> int:
    return getattr(settings, "MENTORING_IDLE_DAYS", 60)


def _log_once(*, pair: Pair, kind: str, period: str) -> bool:
    """Claim this reminder; False if it was already sent."""
    _, created = ReminderLog.objects.get_or_create(pair=pair, kind=kind, period=period)
    return created


def reminders_send(*, now=None) -> dict:
    """Remind active pairs with no check-in for MENTORING_REMINDER_DAYS (again
    every further such stretch), and tell the broker once about a pair quiet
    for MENTORING_IDLE_DAYS. Safe to run any number of times."""
    now = now or timezone.now()
    every, idle = reminder_days(), idle_days()
    sent = {"checkin": 0, "idle": 0}
    cutoff = now - timedelta(days=every)
    active = Pair.objects.filter(status=Pair.Status.ACTIVE)
    quiet = active.filter(last_checkin_at__lt=cutoff) | active.filter(
        last_checkin_at__isnull=True, started_at__lt=cutoff
    )
    quiet = quiet.select_related("mentor", "mentee", "broker").order_by("pk")
    for pair in quiet.iterator(chunk_size=500):
        since = pair.last_checkin_at or pair.started_at
        days = (now - since).days
        anchor = since.date().isoformat()
        if _checkin_reminder(pair, days=days, period=f"{anchor}/{days // every}"):
            sent["checkin"] += 1
        if days >= idle and _idle_notice(pair, days=days, period=anchor):
            sent["idle"] += 1
    return sent


@transaction.atomic
def _checkin_reminder(pair: Pair, *, days: int, period: str) -> bool:
    if not _log_once(pair=pair, kind=ReminderLog.Kind.CHECKIN, period=period):
        return False
    for person in (pair.mentor, pair.mentee):
        notify(
            recipient=person,
            kind="mentoring.checkin_reminder",
            message=gettext_lazy(
                "No check-in for %(days)s days: how is it going with %(other)s?"
            ),
            params={"days": days, "other": pair.other_party(person).display_name},
            url=pair.get_absolute_url(),
        )
    return True


@transaction.atomic
def _idle_notice(pair: Pair, *, days: int, period: str) -> bool:
    """Tell the broker, once per quiet stretch, so they can follow up."""
    if pair.broker is None:
        return False
    if not _log_once(pair=pair, kind=ReminderLog.Kind.IDLE, period=period):
        return False
    notify(
        recipient=pair.broker,
        kind="mentoring.idle",
        message=gettext_lazy(
            "%(mentor)s and %(mentee)s: no check-in for %(days)s days."
        ),
        params={
            "mentor": pair.mentor.display_name,
            "mentee": pair.mentee.display_name,
            "days": days,
        },
        url=pair.get_absolute_url(),
    )
    return True
