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
from dashboards.sources import answers_to, first_answer_at, items_in, questions_in
from knowledge.models import Item
from members.models import User

FIRST_POST_WAIT = timedelta(days=7)


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
