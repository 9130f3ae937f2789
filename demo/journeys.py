"""Newcomers' 90-day plans, tours, aspirations and stage moves for the demo.

Joining through communities.services already opened a plan for everyone who
joined as a member (demo/communities.py), dated the day of seeding; here the
plans are moved back to when each person joined (as demo/backdating.py does
for every other date), the plans of people who joined long before plans
existed are dropped, and the past is played out through the journeys
services: stewards pick tours, newcomers read them, owners mark steps done
(a few left overdue on purpose, so reminders and the Newcomers page have
something to show), members say who they want to become, and the nightly
stage computation is replayed week by week. Idempotent."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from communities.models import Community, Membership
from journeys.models import Aspiration, MemberStage, Plan, PlanStep, StepKind, TourStop
from journeys.services.aspirations import aspiration_save
from journeys.services.cohorts import cohort_snapshot_build
from journeys.services.plans import check_step_complete, plan_people_fill
from journeys.services.reminders import reminders_send
from journeys.services.stages import stage_snapshot_build
from journeys.services.tours import tour_add, tour_mark_read
from knowledge.models import Item
from members.models import User

# Plans of people who joined longer ago than this predate the feature.
KEEP_DAYS = 200
TOURS = ["shift-handover-practice", "lean-on-the-shop-floor", "onboarding-newcomers"]
# (person's e-mail name, community slug): steps left undone once due.
LEFT_OVERDUE = {
    ("oliver.brown", "lean-on-the-shop-floor"): {StepKind.NETWORKER},
    ("oliver.brown", "onboarding-newcomers"): {StepKind.TOUR},
    ("emma.stone", "onboarding-newcomers"): {StepKind.CHECKIN},
    ("li.wei", "customer-escalations"): {StepKind.TOUR},
}
# Every third older plan skipped its peer coach: cohorts differ.
ASPIRATIONS = [
    (
        "oliver.brown",
        "a shift supervisor who hands over a running line safely",
        ["shift-handover", "safety", "lean"],
        ["shift-handover-practice", "lean-on-the-shop-floor"],
    ),
    (
        "emma.stone",
        "the person colleagues call for the hardest escalations",
        ["escalations", "root-cause"],
        ["customer-escalations"],
    ),
    (
        "li.wei",
        "an analyst who helps account teams see the whole customer",
        ["key-accounts", "systems-thinking"],
        ["key-account-selling", "systems-thinking-circle"],
    ),
    (
        "sofia.rossi",
        "a researcher who brings newcomers' voices into product decisions",
        ["onboarding", "learning"],
        ["onboarding-newcomers"],
    ),
]


def seed(stdout) -> None:
    now = timezone.now()
    today = timezone.localdate()
    _date_plans(now)
    for plan in Plan.objects.filter(closed_at__isnull=True):
        plan_people_fill(plan=plan)
    _tours(today)
    _play_out(today)
    sent = reminders_send(today=today)
    for local, text, tags, slugs in ASPIRATIONS:
        user = User.objects.get(email=f"{local}@practica.local")
        if not Aspiration.objects.filter(user=user).exists():
            aspiration_save(
                acting_user=user,
                text=text,
                tags=tags,
                communities=Community.objects.filter(slug__in=slugs),
            )
    moves = _replay_stages(today)
    cohort_snapshot_build(today=today)  # what the nightly job would count
    stdout.write(
        f"Journeys: {Plan.objects.count()} plans, {sent} reminders, "
        f"{moves} stage moves."
    )


def _date_plans(now) -> None:
    """Each plan starts the day its member joined (backdating)."""
    for plan in Plan.objects.filter(created_at__gte=now - timedelta(hours=1)):
        joined = (
            Membership.objects.filter(user=plan.user, community=plan.community)
            .values_list("joined_at", flat=True)
            .first()
        )
        if joined is None or joined < now - timedelta(days=KEEP_DAYS):
            plan.delete()
            continue
        started = timezone.localdate(joined)
        shift = started - plan.started_on
        if not shift:
            continue
        Plan.objects.filter(pk=plan.pk).update(started_on=started, created_at=joined)
        for step in plan.steps.all():
            PlanStep.objects.filter(pk=step.pk).update(due_on=step.due_on + shift)


def _tours(today) -> None:
    for slug in TOURS:
        community = Community.objects.get(slug=slug)
        if TourStop.objects.filter(community=community).exists():
            continue
        steward = (
            Membership.objects.filter(
                community=community, role=Membership.Role.STEWARD, status="active"
            )
            .order_by("joined_at")
            .first()
            .user
        )
        best = Item.objects.filter(
            community=community, hidden_at__isnull=True, shared_from__isnull=True
        ).exclude(kind="question")
        for item in best.order_by("-helpful_count", "pk")[:4]:
            tour_add(acting_user=steward, community=community, item=item)


def _play_out(today) -> None:
    """Owners mark the steps whose day has come, except the ones left
    overdue; the tour is read stop by stop; a done step is dated the day
    before it was due."""
    plans = Plan.objects.select_related("user", "community").order_by("pk")
    for n, plan in enumerate(plans):
        local = plan.user.email.split("@")[0]
        keep_open = LEFT_OVERDUE.get((local, plan.community.slug), set())
        if n % 3 == 2:
            keep_open = keep_open | {StepKind.PEER}
        for step in plan.steps.filter(done_at__isnull=True, due_on__lte=today):
            if step.kind in keep_open:
                continue
            stops = TourStop.objects.filter(community=plan.community)
            if step.kind == StepKind.TOUR and stops:
                for stop in stops:
                    tour_mark_read(plan=plan, item_id=stop.item_id, by=plan.user)
            elif step.kind == StepKind.STORY:
                continue  # ticks itself when they post one
            else:
                # The check-in, and a tour with no stops, are a steward's.
                steward = step.kind in (StepKind.CHECKIN, StepKind.TOUR)
                by = _steward(plan) if steward else plan.user
                if by is None:
                    continue
                check_step_complete(acting_user=by, step_id=step.pk)
            step.refresh_from_db()
            if step.done_at is None:
                continue
            done = timezone.make_aware(
                datetime.combine(step.due_on - timedelta(days=1), time(11))
            )
            PlanStep.objects.filter(pk=step.pk).update(done_at=done)
        if not plan.steps.filter(done_at__isnull=True).exists():
            last = plan.steps.order_by("-done_at").values_list("done_at", flat=True)[0]
            Plan.objects.filter(pk=plan.pk).update(completed_at=last)


def _steward(plan):
    membership = (
        Membership.objects.filter(
            community=plan.community,
            role=Membership.Role.STEWARD,
            status=Membership.Status.ACTIVE,
        )
        .exclude(user=plan.user)
        .select_related("user")
        .order_by("joined_at")
        .first()
    )
    return membership.user if membership else None


def _replay_stages(today) -> int:
    """The nightly stage job as it would have run, weekly over half a year
    (from a baseline that counts nobody's earlier past as a move)."""
    if MemberStage.objects.exists():
        return 0
    day = today - timedelta(days=182)
    stage_snapshot_build(day=day, record_moves=False)
    moves = 0
    day += timedelta(days=7)
    while day < today:
        moves += stage_snapshot_build(day=day)
        day += timedelta(days=7)
    return moves + stage_snapshot_build(day=today)
