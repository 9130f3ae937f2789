"""The daily reminder: whoever owns a step that is past its due date hears
of it once. A StepReminder row (one per step, unique) is written in the same
transaction as the notification, so a second run, or two at once, tells
nobody again."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy

from communities.models import Membership
from journeys import suggestions
from journeys.models import Owner, PlanStep, StepReminder
from journeys.services.plans import story_steps_sync
from notifications.services import notify


def reminders_send(*, today=None) -> int:
    """Remind the owner of every open step due before `today` (so the day
    after its due date) that was never reminded. Returns how many."""
    today = today or timezone.localdate()
    story_steps_sync()
    overdue = (
        PlanStep.objects.filter(
            done_at__isnull=True,
            due_on__lt=today,
            plan__closed_at__isnull=True,
            reminder__isnull=True,
        )
        .select_related("plan__user", "plan__community", "owner_user")
        .order_by("pk")
    )
    sent = 0
    for step in overdue.iterator(chunk_size=500):
        if _remind(step):
            sent += 1
    return sent


def _recipient(step: PlanStep):
    """The newcomer, or the named steward while they still steward the
    community (else the steward with the fewest check-ins to hold)."""
    plan = step.plan
    if step.owner == Owner.NEWCOMER:
        return plan.user
    if (
        step.owner_user_id
        and Membership.objects.filter(
            user_id=step.owner_user_id,
            community_id=plan.community_id,
            status=Membership.Status.ACTIVE,
            role=Membership.Role.STEWARD,
        ).exists()
    ):
        return step.owner_user
    steward = suggestions.checkin_steward_for(
        community_id=plan.community_id, exclude_user_id=plan.user_id
    )
    if steward is not None:
        step.owner_user = steward
        step.save(update_fields=["owner_user"])
    return steward


def _remind(step: PlanStep) -> bool:
    recipient = _recipient(step)
    if recipient is None or not recipient.is_active:
        return False
    plan = step.plan
    values = {
        "community": plan.community.name,
        # Rendered in the recipient's language, with the message.
        "step": lazy(step.get_kind_display, str)(),
        "due": step.due_on.isoformat(),
        "newcomer": plan.user.display_name,
    }
    if step.owner == Owner.NEWCOMER:
        message = gettext_lazy(
            "%(community)s, your first 90 days: “%(step)s” was due %(due)s."
        )
        url = reverse("journeys:plan", kwargs={"slug": plan.community.slug})
    else:
        message = gettext_lazy(
            "%(newcomer)s's check-in in %(community)s was due %(due)s."
        )
        url = reverse("journeys:newcomers", kwargs={"slug": plan.community.slug})
    try:
        with transaction.atomic():
            StepReminder.objects.create(step=step, recipient=recipient)
            notify(
                recipient=recipient,
                kind="journeys.step_overdue",
                message=message,
                params=values,
                url=url,
            )
    except IntegrityError:
        return False  # another run reminded it first
    return True
