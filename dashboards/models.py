"""Nightly snapshots of the organisation dashboard's heavy figures.

At 20,000 members and 300,000 items some figures (participation per
community, newcomers' first posts, members who never got an answer) take
seconds to count. The nightly job (tasks.snapshot_build) stores their table
rows for each standard period; the page reads the latest snapshot and says
when it was built. Custom periods are always counted live.
"""

import uuid
from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
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


def _derived_key(to) -> models.ForeignKey:
    """A key of a table derived from the daily rollups in the same run: no
    database constraint (the daily rows' own hold), Django's cascade kept."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )


class DailyCommunityContribution(models.Model):
    """DailyContribution summed over the members: a community's items and
    replies on one day (the weekly series and the per-community sums read a
    row per community and day, not one per member who contributed). Derived
    like the monthly rows below, and like them without a database
    constraint on its foreign key."""

    day = models.DateField()
    community = _derived_key("communities.Community")
    items = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community"], name="dash_ccontrib_once"
            )
        ]
        indexes = [
            models.Index(fields=["community", "day"], name="dash_ccontrib_community")
        ]

    def __str__(self):
        return f"{self.day} {self.community_id}"


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


# --- Monthly rollups -----------------------------------------------------
# The daily rows summed per calendar month (a month is its first day, in
# settings.TIME_ZONE like the days), rewritten from the daily tables by the
# same run that writes the month's days: a long period then reads its whole
# months here and only its edge days from the daily tables (one row per
# member and community a month, however many days of it they contributed).
# Their foreign keys have no database constraint: every row is derived from
# daily rows (whose constraints hold) in the same transaction, and checking
# 1.6 million rows again at commit took 26 s of the nightly run. Deleting a
# community, member, tag or item still deletes them (Django's cascade).


class MonthlyRollup(models.Model):
    month = models.DateField()  # its first day
    community = _derived_key("communities.Community")

    class Meta:
        abstract = True


class MonthlyContribution(MonthlyRollup):
    """DailyContribution summed over one month."""

    member = _derived_key(settings.AUTH_USER_MODEL)
    items = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Covering: the organisation's sums over months are read from
            # the index alone.
            models.UniqueConstraint(
                fields=["month", "community", "member"],
                include=["items", "replies"],
                name="dash_mcontrib_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["community", "month"],
                include=["member", "items", "replies"],
                name="dash_mcontrib_community",
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.member_id}@{self.community_id}"


class MonthlyTagUse(MonthlyRollup):
    """DailyTagUse summed over one month."""

    tag = _derived_key("taggit.Tag")
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "community", "tag"],
                include=["items"],
                name="dash_mtag_once",
            )
        ]
        indexes = [
            models.Index(fields=["community", "month"], name="dash_mtag_community")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.community_id}/{self.tag_id}: {self.items}"


class MonthlyHelpful(MonthlyRollup):
    """DailyHelpful summed over one month."""

    item = _derived_key("knowledge.Item")
    marks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "item"], include=["marks"], name="dash_mhelpful_once"
            )
        ]
        indexes = [
            models.Index(fields=["community", "month"], name="dash_mhelpful_community"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} item {self.item_id}: {self.marks}"


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
            # Each author's latest posts in the order the "unheard" window
            # reads them, answered or not from the index alone.
            models.Index(
                fields=["author", "-created_at", "-item"],
                include=["community", "first_answer_at"],
                name="dash_fact_author_latest",
            ),
            models.Index(
                fields=["community", "author", "-created_at", "-item"],
                include=["first_answer_at"],
                name="dash_fact_community_latest",
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


class FlowCounts(models.Model):
    """The six kinds of flow from one leadership role to another, counted."""

    source_role = models.CharField(max_length=20)
    target_role = models.CharField(max_length=20)
    replies = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    marks = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    adoptions = models.PositiveIntegerField(default=0)
    mentoring = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyTriadFlow(FlowCounts):
    """The flows between two leader roles in one community on one day
    (dashboards.triad: replies, accepted answers, helpful marks, shares,
    adoptions, mentoring pairs started), by the roles people held when the
    day was rolled up: the leaders page sums days for a custom period."""

    day = models.DateField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "community", "source_role", "target_role"],
                name="dash_triad_once",
            )
        ]
        indexes = [
            models.Index(fields=["community", "day"], name="dash_triad_community"),
            models.Index(fields=["day"], name="dash_triad_day"),
        ]

    def __str__(self):
        return (
            f"{self.day} {self.community_id}: {self.source_role} -> {self.target_role}"
        )


class AcceptedAnswers(models.Model):
    """Accepted answers per community, tag and answer author: questions
    among the item facts whose accepted answer is visible, counted once per
    tag they carry (single-expert risk sums these instead of joining every
    tag of every question)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "tag", "author"], name="dash_accepted_once"
            )
        ]

    def __str__(self):
        return f"{self.community_id}/{self.tag_id} by {self.author_id}: {self.answers}"


class RollupState(models.Model):
    """One row: up to when the rollups are complete (the start of the last
    successful run), so the page can say "as of"; and a version that every
    run changes, which keys the dashboards' cached figures."""

    name = models.CharField(max_length=40, unique=True)
    rolled_up_at = models.DateTimeField()
    version = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return f"{self.name}: {self.rolled_up_at}"


# --- Leaders and bridges: the nightly network snapshot ------------------------
# One run per day (dashboards.snapshots.network_snapshot_build): the six
# flows between leader roles per community and standard period, who bridges
# communities (betweenness), and pairs of communities with common topics and
# nothing else in common. Pages read the latest run; custom periods of the
# triad are counted live.


class NetworkSnapshot(models.Model):
    day = models.DateField(unique=True)
    built_at = models.DateTimeField(default=timezone.now)
    # The window the bridges are computed over (the triad has its own periods).
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    graph_seconds = models.FloatField(default=0)
    people = models.PositiveIntegerField(default=0)
    links = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Network snapshot {self.day}"


class TriadFlow(FlowCounts):
    """Help that went from one leader role to another in one community (or,
    community empty, in mentoring pairs that name no community)."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="triad_flows"
    )
    period_days = models.PositiveSmallIntegerField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "period_days", "community"],
                name="dash_triad_lookup",
            )
        ]

    def __str__(self):
        return f"{self.source_role} -> {self.target_role} ({self.period_days} days)"


class BridgeScore(models.Model):
    """How much of the shortest routes between communities pass through one
    person. `community` empty: across the organisation (every community, for
    staff); set: the routes from that community to the open ones (the
    community's own stewards see it, so no other private community counts)."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="bridge_scores"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, null=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()
    # The communities of this graph the person took part in.
    communities = ArrayField(models.IntegerField(), default=list)

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "community", "-score"], name="dash_bridge_rank"
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.score:.4f}"


class MissingBridge(models.Model):
    """Two communities with topics in common but no common member and no
    share or adoption between them; `networker` is the suggested go-between."""

    snapshot = models.ForeignKey(
        NetworkSnapshot, on_delete=models.CASCADE, related_name="missing_bridges"
    )
    first = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    second = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    topics = models.CharField(max_length=500)  # space-separated tag names
    overlap = models.PositiveSmallIntegerField()
    networker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["snapshot", "-overlap", "first", "second"],
                name="dash_missing_rank",
            )
        ]

    def __str__(self):
        return f"{self.first_id} - {self.second_id}: {self.topics}"

    @property
    def topic_list(self) -> list[str]:
        return self.topics.split()
