"""Reads of journeys: plans, tours, stages; already select_related so a
page's query count does not grow with its rows."""

from datetime import timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from communities.models import Membership
from journeys.models import (
    PLAN_DAYS,
    Aspiration,
    MemberStage,
    Plan,
    PlanStep,
    TourRead,
    TourStop,
)
from knowledge.models import Item, ItemKind

# Newcomers are those whose plan began this long ago at most (its 90 days
# and a month's grace for overdue steps).
NEWCOMER_WINDOW_DAYS = PLAN_DAYS + 30


STEP_RELATED = ("person", "via_community", "owner_user", "completed_by")


def _steps():
    return Prefetch(
        "steps",
        queryset=PlanStep.objects.select_related(*STEP_RELATED).order_by("due_on"),
    )


def plan_of(*, user, community) -> Plan | None:
    return (
        Plan.objects.filter(user_id=user.pk, community=community)
        .prefetch_related(_steps())
        .first()
    )


def plans_version(user_id: int) -> str:
    """The cache version (members.versioned_cache) of a member's plans as
    their home panel shows them: bumped by journeys.services.plans when a
    plan opens, reopens or closes and when a step is done."""
    return f"journeys-plans:{user_id}"


def open_plans_of(*, user, today=None) -> list[Plan]:
    """The member's open plans of the last NEWCOMER_WINDOW_DAYS, newest
    first, with how many steps are done."""
    today = today or timezone.localdate()
    return list(
        Plan.objects.filter(
            user_id=user.pk,
            closed_at__isnull=True,
            started_on__gte=today - timedelta(days=NEWCOMER_WINDOW_DAYS),
        )
        .select_related("community")
        .annotate(
            done=Count("steps", filter=Q(steps__done_at__isnull=False)),
            total=Count("steps"),
        )
        .order_by("-started_on", "-pk")
    )


def newcomer_plans(*, community, today=None):
    """The community's plans of the last NEWCOMER_WINDOW_DAYS, open ones
    with an overdue step first, then open ones by newest, then closed ones;
    steps prefetched."""
    today = today or timezone.localdate()
    overdue = PlanStep.objects.filter(
        plan_id=OuterRef("pk"), done_at__isnull=True, due_on__lt=today
    )
    return (
        Plan.objects.filter(
            community=community,
            started_on__gte=today - timedelta(days=NEWCOMER_WINDOW_DAYS),
        )
        .select_related("user")
        .annotate(has_overdue=Exists(overdue))
        .annotate(
            is_closed=ExpressionWrapper(
                Q(closed_at__isnull=False), output_field=BooleanField()
            )
        )
        .prefetch_related(_steps())
        .order_by("is_closed", "-has_overdue", "-started_on", "pk")
    )


def tour_of(*, community) -> list[TourStop]:
    return list(
        TourStop.objects.filter(community=community, item__hidden_at__isnull=True)
        .select_related("item", "item__community")
        .order_by("position", "pk")
    )


def tour_read_ids(*, plan) -> set[int]:
    return set(TourRead.objects.filter(plan=plan).values_list("item_id", flat=True))


TOUR_CANDIDATES = 30


def tour_candidates(*, community, exclude_ids) -> list[Item]:
    """What stewards may pick for the tour: the community's own items (not
    questions), most helpful first."""
    return list(
        Item.objects.filter(
            community=community, hidden_at__isnull=True, shared_from__isnull=True
        )
        .exclude(kind=ItemKind.QUESTION)
        .exclude(pk__in=exclude_ids)
        .only("pk", "title", "kind", "helpful_count")
        .order_by("-helpful_count", "-created_at", "-pk")[:TOUR_CANDIDATES]
    )


def aspiration_of(*, user) -> Aspiration | None:
    return (
        Aspiration.objects.filter(user_id=user.pk)
        .prefetch_related("communities")
        .first()
    )


def stages_of(*, user) -> list[Membership]:
    """The member's active memberships, each with `.stage` (a MemberStage or
    None when the nightly job has not seen it yet), by community name."""
    memberships = list(
        Membership.objects.filter(user_id=user.pk, status=Membership.Status.ACTIVE)
        .select_related("community")
        .order_by("community__name")
    )
    stages = {
        s.community_id: s
        for s in MemberStage.objects.filter(
            user_id=user.pk, community_id__in=[m.community_id for m in memberships]
        )
    }
    for membership in memberships:
        membership.stage = stages.get(membership.community_id)
    return memberships
