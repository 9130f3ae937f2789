"""The time window a dashboard looks at.

A period is half-open, [start, end). Preset periods end now; a custom period
runs from the start of its first day to the end of its last day (capped at
now). "Previous" is the equal-length window just before it, for trends.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

PRESET_DAYS = (30, 90, 365)
DEFAULT_DAYS = 90
# The weekly chart always shows at least this many weeks.
MIN_CHART_WEEKS = 12


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    label: str
    key: str  # "30", "90", "365" or "custom"

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    @property
    def days(self) -> int:
        return max(1, round(self.length.total_seconds() / 86400))

    def previous(self) -> "Period":
        return Period(
            start=self.start - self.length,
            end=self.start,
            label=_("the previous %(days)s days") % {"days": self.days},
            key="previous",
        )

    def chart_weeks(self) -> int:
        return max(MIN_CHART_WEEKS, -(-self.days // 7))

    def week_windows(self) -> list[tuple[datetime, datetime]]:
        """Seven whole days per window, oldest first; the last window ends
        with the period's last day (so "last 30 days" includes today)."""
        last_day = timezone.localdate(self.end - timedelta(microseconds=1))
        tz = timezone.get_current_timezone()
        chart_end = timezone.make_aware(
            datetime.combine(last_day + timedelta(days=1), time.min), tz
        )
        weeks = self.chart_weeks()
        return [
            (
                chart_end - timedelta(days=7 * (weeks - i)),
                chart_end - timedelta(days=7 * (weeks - i - 1)),
            )
            for i in range(weeks)
        ]


def preset_period(days: int, *, now: datetime | None = None) -> Period:
    now = now or timezone.now()
    return Period(
        start=now - timedelta(days=days),
        end=now,
        label=_("the last %(days)s days") % {"days": days},
        key=str(days),
    )


def custom_period(first: date, last: date, *, now: datetime | None = None) -> Period:
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    return Period(
        start=start,
        end=min(end, now),
        label=_("%(first)s to %(last)s")
        % {"first": first.isoformat(), "last": last.isoformat()},
        key="custom",
    )
