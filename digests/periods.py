"""Digest periods. A period is [start, end) in the site's time zone: a day
from midnight, or an ISO week from Monday midnight. The beat job always
digests the last complete period."""

import datetime as dt

from django.utils import timezone

from digests.models import DigestPeriod


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _length_days(period: str) -> int:
    if period == DigestPeriod.DAILY:
        return 1
    if period == DigestPeriod.WEEKLY:
        return 7
    raise ValueError(f"Unknown digest period: {period!r}")


def period_bounds(period: str, at: dt.datetime | None = None):
    """(start, end) of the last complete `period` before `at` (default: now)."""
    days = _length_days(period)
    today = timezone.localtime(at or timezone.now()).date()
    if period == DigestPeriod.WEEKLY:
        end_day = today - dt.timedelta(days=today.weekday())
    else:
        end_day = today
    return _midnight(end_day - dt.timedelta(days=days)), _midnight(end_day)


def period_end(period: str, start: dt.datetime) -> dt.datetime:
    day = timezone.localtime(start).date()
    return _midnight(day + dt.timedelta(days=_length_days(period)))


def previous_start(period: str, start: dt.datetime) -> dt.datetime:
    day = timezone.localtime(start).date()
    return _midnight(day - dt.timedelta(days=_length_days(period)))


def normalise_start(period: str, start: dt.datetime) -> dt.datetime:
    """The start of the period containing `start` (tasks pass ISO strings
    around; this keeps a hand-typed date from creating an odd period)."""
    day = timezone.localtime(start).date()
    if period == DigestPeriod.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    else:
        _length_days(period)
    return _midnight(day)


def parse_start(period: str, value) -> dt.datetime:
    """A period start from an ISO string or date(time), as tasks receive it."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.min)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return normalise_start(period, value)
