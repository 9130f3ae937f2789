"""Mentoring: how requests flow to matches, and how pairs fare.

Which mentoring belongs to a community (decided for issue 7): a request
counts for the community it was filed with; a request that names no
community counts for every community its mentee is an active member of
(so a steward sees their own people's mentoring, and a request filed with
another community stays there). A pair counts where its request counts.
The organisation counts everything.

- Waiting: requests open or with a match proposed, now; the oldest of them.
- Median wait: from request to match (matched_at), over requests matched in
  the period.
- Active pairs, now; quiet pairs: active pairs with no check-in (or, if
  none yet, no start) for MENTORING_REMINDER_DAYS, the same rule as the
  reminder job.
- Completion rate: of pairs that ended in the period, completed /
  (completed + closed early). Declined proposals never started and do not
  count.
- Average rating: feedback given in the period (1 to 5).
- Matches per broker: pairs proposed in the period, per broker (None for
  members who asked a mentor directly), with how many both people accepted,
  were declined, and have been completed.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Exists, Min, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Membership
from dashboards.periods import Period
from dashboards.scope import Scope
from mentoring.models import Feedback, MentoringRequest, Pair
from mentoring.services.reminders import reminder_days


def requests_in(scope: Scope) -> QuerySet:
    if scope.is_organisation:
        return MentoringRequest.objects.all()
    mentee_belongs = Exists(
        Membership.objects.filter(
            user_id=OuterRef("mentee_id"),
            community_id__in=scope.community_ids,
            status=Membership.Status.ACTIVE,
        )
    )
    return MentoringRequest.objects.filter(
        Q(community_id__in=scope.community_ids)
        | (Q(community__isnull=True) & mentee_belongs)
    )


def pairs_in(scope: Scope) -> QuerySet:
    if scope.is_organisation:
        return Pair.objects.all()
    return Pair.objects.filter(request_id__in=requests_in(scope).values("pk"))


def _in_period(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def quiet_since(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=reminder_days())


@dataclass
class MentoringSummary:
    waiting: int
    oldest_waiting_at: datetime | None
    matched: int  # requests matched in the period
    median_wait: timedelta | None
    active_pairs: int
    quiet_pairs: int
    completed: int  # pairs that ended in the period
    closed_early: int
    ratings: int  # feedback given in the period
    average_rating: float | None

    @property
    def completion_rate(self) -> float | None:
        ended = self.completed + self.closed_early
        return self.completed / ended if ended else None


def mentoring_summary(scope: Scope, period: Period) -> MentoringSummary:
    """Four queries: requests waiting, waits to a match, pairs, feedback."""
    live = Q(
        status__in=[MentoringRequest.Status.OPEN, MentoringRequest.Status.PROPOSED]
    )
    requests = requests_in(scope).aggregate(
        waiting=Count("pk", filter=live), oldest=Min("created_at", filter=live)
    )
    waits = [
        matched_at - created_at
        for created_at, matched_at in requests_in(scope)
        .filter(_in_period("matched_at", period))
        .values_list("created_at", "matched_at")
    ]
    active = Q(status=Pair.Status.ACTIVE)
    ended = _in_period("ended_at", period)
    pairs = (
        pairs_in(scope)
        .annotate(quiet_from=Coalesce("last_checkin_at", "started_at"))
        .aggregate(
            active=Count("pk", filter=active),
            quiet=Count("pk", filter=active & Q(quiet_from__lt=quiet_since())),
            completed=Count("pk", filter=ended & Q(status=Pair.Status.COMPLETED)),
            closed=Count("pk", filter=ended & Q(status=Pair.Status.CLOSED)),
        )
    )
    feedback = Feedback.objects.filter(
        _in_period("created_at", period), pair__in=pairs_in(scope)
    ).aggregate(n=Count("pk"), average=Avg("rating"))
    return MentoringSummary(
        waiting=requests["waiting"],
        oldest_waiting_at=requests["oldest"],
        matched=len(waits),
        median_wait=statistics.median(waits) if waits else None,
        active_pairs=pairs["active"],
        quiet_pairs=pairs["quiet"],
        completed=pairs["completed"],
        closed_early=pairs["closed"],
        ratings=feedback["n"],
        average_rating=feedback["average"],
    )


def quiet_pairs(scope: Scope) -> QuerySet:
    """Active pairs without a recent check-in, quiet longest first."""
    return (
        pairs_in(scope)
        .filter(status=Pair.Status.ACTIVE)
        .annotate(quiet_from=Coalesce("last_checkin_at", "started_at"))
        .filter(quiet_from__lt=quiet_since())
        .select_related("mentor", "mentee", "broker")
        .order_by("quiet_from", "pk")
    )


@dataclass
class BrokerRow:
    broker_id: int | None  # None: members who asked a mentor directly
    name: str
    username: str
    proposed: int
    accepted: int
    declined: int
    completed: int


def matches_per_broker(scope: Scope, period: Period) -> list[BrokerRow]:
    """One grouped query over the pairs proposed in the period."""
    rows = (
        pairs_in(scope)
        .filter(_in_period("proposed_at", period))
        .values("broker_id", "broker__display_name", "broker__username")
        .annotate(
            proposed=Count("pk"),
            accepted=Count("pk", filter=Q(started_at__isnull=False)),
            declined=Count("pk", filter=Q(status=Pair.Status.DECLINED)),
            completed=Count("pk", filter=Q(status=Pair.Status.COMPLETED)),
        )
        .order_by()
    )
    result = [
        BrokerRow(
            broker_id=r["broker_id"],
            name=r["broker__display_name"] or "",
            username=r["broker__username"] or "",
            proposed=r["proposed"],
            accepted=r["accepted"],
            declined=r["declined"],
            completed=r["completed"],
        )
        for r in rows
    ]
    # Brokers first (most proposals first), direct requests last.
    result.sort(
        key=lambda b: (b.broker_id is None, -b.proposed, b.name, b.broker_id or 0)
    )
    return result
