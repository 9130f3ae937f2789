"""The work of an active pair: goals and check-ins."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.versioned_cache import bump
from mentoring.models import CheckIn, Goal, Pair
from mentoring.permissions import is_party
from mentoring.selectors import CHECKIN_VERSION
from mentoring.services.pairs import access_pair_as, lock_pair
from notifications.services import notify


def ensure_active(pair: Pair) -> None:
    if not pair.is_active:
        raise ValidationError(_("This pair is not active, so it takes no changes."))


@transaction.atomic
def goal_add(*, pair: Pair, acting_user, text: str) -> Goal:
    pair = lock_pair(pair)
    ensure_active(pair)
    if pair.is_thinking_partnership:
        raise ValidationError(
            _(
                "A thinking partnership keeps assumptions and commitments "
                "instead of goals."
            )
        )
    goal = Goal(pair=pair, text=text.strip(), created_by=acting_user)
    goal.full_clean()
    existing = pair.goals.filter(text=goal.text).first()
    if existing is not None:
        return existing  # the same goal submitted twice
    goal.save()
    return goal


@transaction.atomic
def goal_set_done(*, goal: Goal, acting_user, done: bool) -> Goal:
    ensure_active(lock_pair(goal.pair))
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.done != done:
        goal.done = done
        goal.done_at = timezone.now() if done else None
        goal.save(update_fields=["done", "done_at"])
    return goal


@transaction.atomic
def checkin_add(
    *,
    pair: Pair,
    acting_user,
    on: date,
    notes: str,
    progress: int,
    next_step: str = "",
) -> CheckIn:
    pair = lock_pair(pair)
    ensure_active(pair)
    if on > timezone.localdate():
        raise ValidationError({"date": _("A check-in cannot be in the future.")})
    checkin = CheckIn(
        pair=pair,
        author=acting_user,
        date=on,
        notes=notes.strip(),
        progress=progress,
        next_step=next_step.strip(),
    )
    checkin.full_clean()
    duplicate = pair.checkins.filter(
        author=acting_user, date=on, notes=checkin.notes, progress=progress
    ).first()
    if duplicate is not None:
        return duplicate  # the same form submitted twice
    checkin.save()
    pair.last_checkin_at = timezone.now()
    pair.save(update_fields=["last_checkin_at"])
    bump(CHECKIN_VERSION)  # the home panel's "last check-in"
    notify(
        recipient=pair.other_party(acting_user),
        kind="mentoring.checkin",
        message=gettext_lazy("%(name)s logged a check-in (%(progress)s%%)."),
        params={"name": acting_user.display_name, "progress": progress},
        url=pair.get_absolute_url(),
        actor=acting_user,
    )
    return checkin


# --- Checked entry points: every interface (page, API, task) calls these ------


@transaction.atomic
def check_goal_add(*, acting_user, pair_id: int, text: str) -> Goal:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return goal_add(pair=pair, acting_user=acting_user, text=text)


@transaction.atomic
def check_goal_set_done(*, acting_user, pair_id: int, goal_id: int, done: bool):
    """A goal of another pair is 404."""
    pair = access_pair_as(acting_user, pair_id, is_party)
    goal = get_object_or_404(Goal, pk=goal_id, pair=pair)
    return goal_set_done(goal=goal, acting_user=acting_user, done=done)


@transaction.atomic
def check_checkin_add(
    *,
    acting_user,
    pair_id: int,
    on: date,
    notes: str,
    progress: int,
    next_step: str = "",
) -> CheckIn:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return checkin_add(
        pair=pair,
        acting_user=acting_user,
        on=on,
        notes=notes,
        progress=progress,
        next_step=next_step,
    )
