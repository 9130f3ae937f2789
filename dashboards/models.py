"""Nightly snapshots of the organisation dashboard's heavy figures.

At 20,000 members and 300,000 items some figures (participation per
community, newcomers' first posts, members who never got an answer) take
seconds to count. The nightly job (tasks.snapshot_build) stores their table
rows for each standard period; the page reads the latest snapshot and says
when it was built. Custom periods are always counted live.
"""

from datetime import date, datetime

from django.conf import settings
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


# --- Daily rollups (dashboards.rollups) ------------------------------------
# What happened each day, counted once by a job so that a dashboard for any
# period sums days instead of scanning history. A day is a date in
# settings.TIME_ZONE. Only what the dashboards count is rolled up: visible
# original items (not shares) and visible replies on visible items, helpful
# marks on visible items, tags on visible original items.


class DailyContribution(models.Model):
    """Contributions (items and replies) of one member in one community on
    one day. Leader roles are read through the member (their current role)."""

    day = models.DateField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    items = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community", "member"], name="dash_contrib_once"
            )
        ]
        indexes = [
            models.Index(fields=["community", "day"], name="dash_contrib_community"),
            models.Index(
                fields=["member", "community", "day"], name="dash_contrib_member"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.member_id}@{self.community_id}"


class DailyTagUse(models.Model):
    """New visible original items carrying a tag, per community and day."""

    day = models.DateField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community", "tag"], name="dash_tag_once"
            )
        ]
        indexes = [models.Index(fields=["community", "day"], name="dash_tag_community")]

    def __str__(self):
        return f"{self.day} {self.community_id}/{self.tag_id}: {self.items}"


class DailyHelpful(models.Model):
    """Helpful marks given on one visible item on one day."""

    day = models.DateField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        "knowledge.Item", on_delete=models.CASCADE, related_name="+"
    )
    marks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "item"], name="dash_helpful_once")
        ]
        indexes = [
            models.Index(fields=["day"], name="dash_helpful_day"),
            models.Index(fields=["community", "day"], name="dash_helpful_community"),
        ]

    def __str__(self):
        return f"{self.day} item {self.item_id}: {self.marks}"


class ItemFact(models.Model):
    """One visible original item as the dashboards see it: when it first got
    an answer (a visible reply by someone other than its author) and who
    wrote its accepted answer (when visible). Refreshed by the rollup job for
    every item whose replies, hiding or acceptance changed."""

    item = models.OneToOneField(
        "knowledge.Item",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_fact",
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    is_question = models.BooleanField()
    created_at = models.DateTimeField()
    first_answer_at = models.DateTimeField(null=True)
    accepted_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["community", "created_at", "item"],
                condition=models.Q(is_question=True, first_answer_at__isnull=True),
                name="dash_fact_unanswered",
            ),
            models.Index(
                fields=["created_at", "item"],
                condition=models.Q(is_question=True, first_answer_at__isnull=True),
                name="dash_fact_unanswered_all",
            ),
            models.Index(
                fields=["author", "community", "created_at"], name="dash_fact_author"
            ),
            models.Index(
                fields=["community", "created_at"],
                condition=models.Q(is_question=True),
                name="dash_fact_questions",
            ),
            models.Index(
                fields=["accepted_author"],
                condition=models.Q(accepted_author__isnull=False),
                name="dash_fact_accepted",
            ),
        ]

    def __str__(self):
        return f"item {self.item_id}"


class RollupState(models.Model):
    """One row: up to when the rollups are complete (the start of the last
    successful run), so the page can say "as of"."""

    name = models.CharField(max_length=40, unique=True)
    rolled_up_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.rolled_up_at}"
