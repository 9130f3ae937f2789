"""A frozen clock for tests where time matters: `timezone.now()` (and so
`timezone.localdate()`) answers the time set, until moved."""

from datetime import datetime, timedelta

from django.utils import timezone


class Clock:
    def __init__(self, monkeypatch, start: datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now

    def day(self, n: int, start: datetime) -> datetime:
        """`n` days after `start`, at the same time of day."""
        self.now = start + timedelta(days=n)
        return self.now
