"""A newcomer's 90-day plan: opened in the transaction that makes the
membership active (communities.listeners), closed when it ends, its steps
completed by the people in it."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from journeys import suggestions
from journeys.models import (
    STEP_DAYS,
    STEP_OWNERS,
    Owner,
    Plan,
    PlanStep,
    StepKind,
)
from journeys.permissions import can_complete_step
from journeys.selectors import plans_version
from knowledge.models import Item, ItemKind
from members.permissions import check_signed_in
from members.versioned_cache import bump


class StepError(Exception):
    """A step that cannot be completed that way; the message says why."""


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@transaction.atomic
def plan_open_for(*, membership: Membership) -> Plan | None:
    """Open the member's plan for the community they just joined. Rejoining
    reopens the plan they had (never a second one); stewards get none."""
    if membership.role == Membership.Role.STEWARD:
        return None
    plan = (
        Plan.objects.select_for_update()
        .filter(user_id=membership.user_id, community_id=membership.community_id)
        .first()
    )
    if plan is not None:
        if plan.closed_at is not None:
            plan.closed_at = None
            plan.save(update_fields=["closed_at"])
            bump(plans_version(plan.user_id))
        return plan
    joined = membership.joined_at or timezone.now()
    started_on = timezone.localdate(joined)
    plan = Plan.objects.create(
        user_id=membership.user_id,
        community_id=membership.community_id,
        started_on=started_on,
    )
    user = membership.user
    steward = suggestions.checkin_steward_for(
        community_id=membership.community_id, exclude_user_id=user.pk
    )
    networker, via = suggestions.networker_for(
        community_id=membership.community_id, user_id=user.pk
    )
    peer = suggestions.peer_for(
        community_id=membership.community_id, user=user, started=joined
    )
    people = {
        StepKind.CHECKIN: (steward, None),
        StepKind.NETWORKER: (networker, via),
        StepKind.PEER: (peer, None),
    }
    steps = []
    for kind, days in STEP_DAYS.items():
        person, community = people.get(kind, (None, None))
        owner = STEP_OWNERS[kind]
        steps.append(
            PlanStep(
                plan=plan,
                kind=kind,
                owner=owner,
                owner_user=steward if owner == Owner.STEWARD else user,
                person=person,
                via_community=community,
                due_on=started_on + timedelta(days=days),
            )
        )
    PlanStep.objects.bulk_create(steps)
    bump(plans_version(plan.user_id))
    return plan


@transaction.atomic
def plan_people_fill(*, plan: Plan) -> int:
    """Suggest the people a plan still lacks (no steward, networker or peer
    could be found when it opened): for steps not yet done. Returns how
    many it filled."""
    steps = plan.steps.filter(
        done_at__isnull=True,
        person__isnull=True,
        kind__in=(StepKind.CHECKIN, StepKind.NETWORKER, StepKind.PEER),
    )
    filled = 0
    for step in steps:
        via = None
        if step.kind == StepKind.CHECKIN:
            person = suggestions.checkin_steward_for(
                community_id=plan.community_id, exclude_user_id=plan.user_id
            )
        elif step.kind == StepKind.NETWORKER:
            person, via = suggestions.networker_for(
                community_id=plan.community_id, user_id=plan.user_id
            )
        else:
            person = suggestions.peer_for(
                community_id=plan.community_id,
                user=plan.user,
                started=_day_start(plan.started_on),
            )
        if person is None:
            continue
        step.person, step.via_community = person, via
        fields = ["person", "via_community"]
        if step.owner == Owner.STEWARD:
            step.owner_user = person
            fields.append("owner_user")
        step.save(update_fields=fields)
        filled += 1
    return filled


@transaction.atomic
def plan_close_for(*, membership: Membership) -> int:
    """The member left (or was removed): their plan stops, its reminders too."""
    closed = Plan.objects.filter(
        user_id=membership.user_id,
        community_id=membership.community_id,
        closed_at__isnull=True,
    ).update(closed_at=timezone.now())
    if closed:
        bump(plans_version(membership.user_id))
    return closed


def _complete(step: PlanStep, *, by, at=None) -> bool:
    """Mark one step done (locked by the caller); close the plan's journey
    when it was the last. False when it was done already."""
    if step.done_at is not None:
        return False
    step.done_at = at or timezone.now()
    step.completed_by = by
    step.save(update_fields=["done_at", "completed_by"])
    _plan_check_complete(step.plan_id, at=step.done_at)
    bump(plans_version(step.plan.user_id))
    return True


def _plan_check_complete(plan_id: int, *, at) -> None:
    if not PlanStep.objects.filter(plan_id=plan_id, done_at__isnull=True).exists():
        Plan.objects.filter(pk=plan_id, completed_at__isnull=True).update(
            completed_at=at
        )


@transaction.atomic
def check_step_complete(*, acting_user, step_id: int) -> bool:
    """Mark a step done: the newcomer or a steward of the community, as
    permissions.can_complete_step says. 404 for anyone else."""
    check_signed_in(acting_user)
    step = (
        PlanStep.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__community")
        .filter(pk=step_id)
        .first()
    )
    if step is None or not can_complete_step(acting_user, step, viewing=True):
        raise Http404
    if not can_complete_step(acting_user, step):
        raise PermissionDenied
    if step.plan.closed_at is not None:
        raise StepError(_("This plan is closed."))
    newcomer = step.plan.user_id == acting_user.pk
    if step.kind == StepKind.STORY and newcomer and not _story_posted(step.plan):
        raise StepError(
            _("Post your story in %(name)s first: it ticks itself then.")
            % {"name": step.plan.community.name}
        )
    return _complete(step, by=acting_user)


def _story_posted(plan: Plan) -> bool:
    return _stories(plan.user_id, plan.community_id, plan.started_on).exists()


def _stories(user_id, community_id, started_on):
    return Item.objects.filter(
        author_id=user_id,
        community_id=community_id,
        kind=ItemKind.STORY,
        hidden_at__isnull=True,
        created_at__gte=_day_start(started_on),
    )


def story_steps_sync(*, plan_ids=None) -> int:
    """Tick the "what I learned" step of every open plan whose newcomer has
    posted a story in the community since the plan began. One UPDATE; safe
    to run any number of times. Returns how many it ticked."""
    story = Item.objects.filter(
        author_id=OuterRef("plan__user_id"),
        community_id=OuterRef("plan__community_id"),
        kind=ItemKind.STORY,
        hidden_at__isnull=True,
        created_at__date__gte=OuterRef("plan__started_on"),
    )
    steps = PlanStep.objects.filter(
        kind=StepKind.STORY, done_at__isnull=True, plan__closed_at__isnull=True
    ).filter(Exists(story))
    if plan_ids is not None:
        steps = steps.filter(plan_id__in=plan_ids)
    ticked = list(steps.values_list("pk", "plan_id", "plan__user_id"))
    if not ticked:
        return 0
    now = timezone.now()
    with transaction.atomic():
        for step_pk, plan_id, user_id in ticked:
            PlanStep.objects.filter(pk=step_pk, done_at__isnull=True).update(
                done_at=now, completed_by_id=user_id
            )
            _plan_check_complete(plan_id, at=now)
        bump(*(plans_version(user_id) for _, _, user_id in ticked))
    return len(ticked)
