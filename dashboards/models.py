"""Nightly snapshots of the organisation dashboard's heavy figures.

At 20,000 members and 300,000 items some figures (participation per
community, newcomers' first posts, members who never got an answer) take
seconds to count. The nightly job (tasks.snapshot_build) stores their table
rows for each standard period; the page reads the latest snapshot and says
when it was built. Custom periods are always counted live.
"""

from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from dashboards.tables import Cell

ORGANISATION = "organisation"


class Snapshot(models.Model):
    # "organisation"; room for "community:<pk>" should community pages need it.
    scope = models.CharField(max_length=40)
    period_days = models.PositiveSmallIntegerField()
    day = models.DateField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    built_at = models.DateTimeField(default=timezone.now)
    # {table name: [[[value, url], ...cells], ...rows]}, values encoded below.
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "period_days", "day"], name="dash_snapshot_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["scope", "period_days", "-built_at"],
                name="dash_snapshot_latest",
            )
        ]

    def __str__(self):
        return f"{self.scope}, {self.period_days} days, {self.day}"

    @property
    def tables(self) -> set[str]:
        return set(self.data)

    def rows(self, name: str) -> list[list]:
        """A table's stored rows; `cells` turns one into cells (only the rows
        shown are decoded)."""
        return self.data[name]


def cells(row: list) -> list[Cell]:
    return [Cell(decode_value(value), url) for value, url in row]


def encode_cells(cells) -> list:
    return [[encode_value(cell.value), cell.url] for cell in cells]


def encode_value(value):
    """JSON keeps numbers and text; dates and times are tagged."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)  # includes lazy translations


def decode_value(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return parse_datetime(value["datetime"])
        return parse_date(value["date"])
    return value
