"""Left out: the people a steward should reach first. "Failure to learn is
often the result of exclusion from participation."

- Newcomers whose first post waited a week without an answer: a newcomer
  (joined within PRACTICA_NEWCOMER_DAYS before the period's end) whose first
  item in the community is at least 7 days old and got no answer within 7
  days (an answer is a visible reply by someone else).
- Questions without an answer, asked before the period's end, oldest first.
- Median time to a first answer over questions asked in the period that got
  one.
- Members who asked and never got an answer: none of their questions in
  scope has an answer.

The exclusion radar adds four signals of who is kept out:

- Join requests waiting over 7 days, per steward of the community.
- The status gap: median time to a first answer for questions by members
  without a leadership role against questions by leaders, flagged when the
  former wait more than twice as long.
- Business units and locations with members in scope but no contribution
  (item or reply) in the period.
- Members whose last five posts (items, not shares) got no reply from anyone
  else: they keep speaking and nobody answers.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from communities.models import Membership
from dashboards.periods import Period
from dashboards.scope import Scope
from dashboards.sources import (
    answers_to,
    first_answer_at,
    items_in,
    questions_in,
    replies_in,
)
from dashboards.spread import Place
from knowledge.models import Item
from members.models import LeadershipRole, User

FIRST_POST_WAIT = timedelta(days=7)
JOIN_REQUEST_WAIT = timedelta(days=7)
# Members without a role waiting more than this many times as long as leaders.
STATUS_GAP_FLAG = 2.0
UNHEARD_POSTS = 5


def newcomers_unanswered(scope: Scope, period: Period) -> QuerySet:
    """First items of newcomers that went a week without an answer.

    The first items are ranked in one pass (a window over the newcomers'
    items) rather than looked up membership by membership: without an index
    on items by (author, community, created_at) each lookup scanned the
    whole community's items, 11 s at 20,000 members."""
    cutoff = period.end - timedelta(days=settings.PRACTICA_NEWCOMER_DAYS)
    is_newcomer_here = Exists(
        Membership.objects.filter(
            user_id=OuterRef("author_id"),
            community_id=OuterRef("community_id"),
            status=Membership.Status.ACTIVE,
            joined_at__gt=cutoff,
            joined_at__lte=period.end,
        )
    )
    first_items = (
        items_in(scope)
        .filter(is_newcomer_here)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("author_id"), F("community_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    waited_until = min(period.end, timezone.now()) - FIRST_POST_WAIT
    return (
        Item.objects.filter(pk__in=first_items, created_at__lte=waited_until)
        .annotate(answered_at=first_answer_at())
        .filter(
            Q(answered_at__isnull=True)
            | Q(answered_at__gt=F("created_at") + FIRST_POST_WAIT)
        )
        .select_related("author", "community")
        .order_by("created_at", "pk")
    )


@dataclass
class UnansweredSummary:
    count: int
    oldest_at: datetime | None
    median_wait: timedelta | None  # to a first answer, questions in the period
    answered_in_period: int
    asked_in_period: int


def unanswered_questions(scope: Scope, period: Period) -> QuerySet:
    return (
        questions_in(scope)
        .filter(created_at__lt=period.end)
        .exclude(Exists(answers_to()))
        .select_related("author", "community")
        .order_by("created_at", "pk")
    )


def unanswered_summary(scope: Scope, period: Period) -> UnansweredSummary:
    """Two queries: the open count and oldest, then the waits in the period."""
    totals = unanswered_questions(scope, period).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    asked = (
        questions_in(scope)
        .filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(answered_at=first_answer_at())
        .values_list("created_at", "answered_at")
    )
    return summarise_waits(totals, asked)


def summarise_waits(totals: dict, asked) -> UnansweredSummary:
    """From the open count and oldest, and (asked, first answered) times of
    the period's questions."""
    waits = []
    asked_count = 0
    for created_at, answered_at in asked:
        asked_count += 1
        if answered_at is not None:
            waits.append(answered_at - created_at)
    return UnansweredSummary(
        count=totals["count"],
        oldest_at=totals["oldest"],
        median_wait=statistics.median(waits) if waits else None,
        answered_in_period=len(waits),
        asked_in_period=asked_count,
    )


def askers_never_answered(scope: Scope, period: Period) -> QuerySet:
    """Members with questions in scope, none of which has an answer; each
    with their latest question so a steward can go and answer it."""
    asked = questions_in(scope).filter(
        author_id=OuterRef("pk"), created_at__lt=period.end
    )
    latest = asked.order_by("-created_at", "-pk")
    question_count = asked.values("author_id").annotate(n=Count("pk")).values("n")[:1]
    return (
        User.objects.filter(Exists(asked))
        .exclude(Exists(asked.filter(Exists(answers_to()))))
        .annotate(
            questions=Subquery(question_count),
            latest_question_id=Subquery(latest.values("pk")[:1]),
            latest_question_title=Subquery(latest.values("title")[:1]),
            latest_question_at=Subquery(latest.values("created_at")[:1]),
            latest_question_slug=Subquery(latest.values("community__slug")[:1]),
        )
        .order_by("latest_question_at", "pk")
    )


# --- The exclusion radar ------------------------------------------------------


def join_requests_waiting(scope: Scope, now: datetime) -> QuerySet:
    """Active stewards of communities in scope with requests to join that
    have waited over JOIN_REQUEST_WAIT, oldest request first."""
    waiting = Membership.objects.filter(
        community_id=OuterRef("community_id"),
        status=Membership.Status.PENDING,
        created_at__lte=now - JOIN_REQUEST_WAIT,
    )
    count = waiting.values("community_id").annotate(n=Count("pk")).values("n")[:1]
    oldest = waiting.order_by("created_at").values("created_at")[:1]
    return (
        Membership.objects.filter(
            scope.q("community_id"),
            role=Membership.Role.STEWARD,
            status=Membership.Status.ACTIVE,
        )
        .filter(Exists(waiting))
        .annotate(waiting=Subquery(count), oldest_request_at=Subquery(oldest))
        .select_related("user", "community")
        .order_by("oldest_request_at", "community__name", "user__display_name", "pk")
    )


@dataclass
class StatusGap:
    community: Place | None  # None: every community in scope together
    asked_by_members: int
    median_members: timedelta | None
    asked_by_leaders: int
    median_leaders: timedelta | None

    @property
    def ratio(self) -> float | None:
        if not self.median_members or not self.median_leaders:
            return None
        return self.median_members / self.median_leaders

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio > STATUS_GAP_FLAG


def status_gaps(scope: Scope, period: Period) -> list[StatusGap]:
    """Median time to a first answer, members without a role against
    leaders, over questions asked in the period that got an answer. One
    query; the organisation gets a first row for all communities together,
    then one per community, widest gap first."""
    asked = (
        questions_in(scope)
        .filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(answered_at=first_answer_at())
        .values_list(
            "community_id",
            "community__name",
            "community__slug",
            "author__leadership_role",
            "created_at",
            "answered_at",
        )
    )
    return gaps_of(scope, asked)


def gaps_of(scope: Scope, asked) -> list[StatusGap]:
    """The status gaps of (community id, name, slug, asker's role, asked at,
    first answered at) rows, as status_gaps returns them."""
    # key -> [members asked, members waits, leaders asked, leaders waits]
    groups: dict = {}
    places = {}
    for community_id, name, slug, role, created_at, answered_at in asked:
        places[community_id] = Place(pk=community_id, name=name, slug=slug)
        keys = [community_id, None] if scope.is_organisation else [community_id]
        offset = 0 if role == LeadershipRole.NONE else 2
        for key in keys:
            group = groups.setdefault(key, [0, [], 0, []])
            group[offset] += 1
            if answered_at is not None:
                group[offset + 1].append(answered_at - created_at)
    return sort_gaps(
        [
            StatusGap(
                community=places.get(key),
                asked_by_members=g[0],
                median_members=statistics.median(g[1]) if g[1] else None,
                asked_by_leaders=g[2],
                median_leaders=statistics.median(g[3]) if g[3] else None,
            )
            for key, g in groups.items()
        ]
    )


def sort_gaps(gaps: list[StatusGap]) -> list[StatusGap]:
    """All communities together first, then the widest gap first."""
    gaps.sort(
        key=lambda g: (
            g.community is not None,
            -(g.ratio or 0),
            g.community.name if g.community else "",
        )
    )
    return gaps


@dataclass(frozen=True)
class SilentPlace:
    kind: str  # "business_unit" or "location"
    name: str
    members: int


def silent_places(scope: Scope, period: Period) -> list[SilentPlace]:
    """Business units and locations whose members in scope contributed
    nothing (no item, no reply) in the period. Two queries."""
    in_scope = Membership.objects.filter(
        scope.q("community_id"),
        user_id=OuterRef("pk"),
        status=Membership.Status.ACTIVE,
    )
    in_period = {"created_at__gte": period.start, "created_at__lt": period.end}
    contributed = Exists(
        items_in(scope).filter(author_id=OuterRef("pk"), **in_period)
    ) | Exists(replies_in(scope).filter(author_id=OuterRef("pk"), **in_period))
    members = User.objects.filter(Exists(in_scope), is_active=True).annotate(
        contributed=contributed
    )
    places = []
    for field in ("business_unit", "location"):
        rows = (
            members.exclude(**{field: ""})
            .values(field)
            .annotate(
                n=Count("pk"), contributors=Count("pk", filter=Q(contributed=True))
            )
            .filter(contributors=0)
            .order_by("-n", field)
        )
        places += [SilentPlace(field, row[field], row["n"]) for row in rows]
    return places


def unheard_members(scope: Scope, period: Period) -> QuerySet:
    """Members whose last UNHEARD_POSTS items in scope (before the period's
    end) all went without a reply from anyone else; each with the date of
    their latest post."""
    ranked = (
        items_in(scope)
        .filter(created_at__lt=period.end)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("author_id")],
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=UNHEARD_POSTS)
        .values("pk")
    )
    unheard = (
        Item.objects.filter(pk__in=ranked)
        .annotate(answered=Exists(answers_to()))
        .values("author_id")
        .annotate(
            posts=Count("pk"),
            answered_posts=Count("pk", filter=Q(answered=True)),
        )
        .filter(posts=UNHEARD_POSTS, answered_posts=0)
        .values("author_id")
    )
    latest = items_in(scope).filter(author_id=OuterRef("pk"), created_at__lt=period.end)
    return (
        User.objects.filter(pk__in=unheard)
        .annotate(
            latest_post_at=Subquery(
                latest.order_by("-created_at", "-pk").values("created_at")[:1]
            )
        )
        .order_by("-latest_post_at", "pk")
    )
