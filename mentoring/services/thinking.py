"""A two-way thinking partnership (Senge: executives as thinking partners
who shift their own behaviour). Pairs in the thinking-partner format keep,
instead of goals, a shared workspace: each partner's assumptions log
(assumption, what tested it, what changed) and, after each session, each
partner's "what I will do differently" (commitments), later marked
followed up or not by their author. A partner who holds the executive
role may let their profile show how many of their commitments they
followed up (their consent, per pair).

Only the two partners write, while the pair is active; the broker and
staff read (mentoring.permissions.can_view_pair).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import LeadershipRole
from mentoring.models import Assumption, Commitment, Pair
from mentoring.permissions import can_work_on, is_party
from mentoring.services.pairs import access_pair_as, lock_pair


def ensure_thinking(pair: Pair) -> None:
    if not pair.is_thinking_partnership:
        raise ValidationError(
            _("Only a thinking partnership keeps assumptions and commitments.")
        )
    if not pair.is_active:
        raise ValidationError(_("This pair is not active, so it takes no changes."))


def can_share_followups(user, pair: Pair) -> bool:
    """Only a partner who holds the executive role decides about their own
    profile."""
    return (
        is_party(user, pair)
        and pair.is_thinking_partnership
        and user.leadership_role == LeadershipRole.EXECUTIVE
    )


@transaction.atomic
def assumption_add(
    *, pair: Pair, acting_user, assumption: str, tested_by: str = "", changed: str = ""
) -> Assumption:
    pair = lock_pair(pair)
    ensure_thinking(pair)
    entry = Assumption(
        pair=pair,
        author=acting_user,
        assumption=assumption.strip(),
        tested_by=tested_by.strip(),
        changed=changed.strip(),
    )
    entry.full_clean()
    duplicate = pair.assumptions.filter(
        author=acting_user, assumption=entry.assumption
    ).first()
    if duplicate is not None:
        return duplicate  # the same form sent twice
    entry.save()
    return entry


@transaction.atomic
def assumption_update(
    *, entry: Assumption, acting_user, tested_by: str, changed: str
) -> Assumption:
    """What tested it and what changed, filled in later by its author."""
    ensure_thinking(lock_pair(entry.pair))
    if entry.author_id != acting_user.pk:
        raise PermissionDenied
    entry.tested_by = tested_by.strip()
    entry.changed = changed.strip()
    entry.updated_at = timezone.now()
    entry.full_clean()
    entry.save(update_fields=["tested_by", "changed", "updated_at"])
    return entry


@transaction.atomic
def commitment_add(
    *, pair: Pair, acting_user, session_on: date, text: str
) -> Commitment:
    pair = lock_pair(pair)
    ensure_thinking(pair)
    if session_on > timezone.localdate():
        raise ValidationError({"session_on": _("A session cannot be in the future.")})
    commitment = Commitment(
        pair=pair, author=acting_user, session_on=session_on, text=text.strip()
    )
    commitment.full_clean()
    duplicate = pair.commitments.filter(
        author=acting_user, session_on=session_on, text=commitment.text
    ).first()
    if duplicate is not None:
        return duplicate
    commitment.save()
    return commitment


@transaction.atomic
def commitment_review(
    *, commitment: Commitment, acting_user, followed_up: bool
) -> Commitment:
    """Its author marks it followed up or not (and may change their mind)."""
    ensure_thinking(lock_pair(commitment.pair))
    if commitment.author_id != acting_user.pk:
        raise PermissionDenied
    status = (
        Commitment.Status.FOLLOWED_UP
        if followed_up
        else Commitment.Status.NOT_FOLLOWED_UP
    )
    if commitment.status != status:
        commitment.status = status
        commitment.reviewed_at = timezone.now()
        commitment.save(update_fields=["status", "reviewed_at"])
    return commitment


@transaction.atomic
def followups_share_set(*, pair: Pair, acting_user, share: bool) -> bool:
    """The executive partner's consent to show their follow-up count on
    their profile. Returns whether anything changed."""
    pair = lock_pair(pair)
    if not can_share_followups(acting_user, pair):
        raise PermissionDenied
    field = f"{pair.role_of(acting_user)}_shares_followups"
    if getattr(pair, field) == share:
        return False
    setattr(pair, field, share)
    pair.save(update_fields=[field])
    return True


# --- Checked entry points ---------------------------------------------------------


@transaction.atomic
def check_assumption_add(*, acting_user, pair_id: int, **fields) -> Assumption:
    pair = access_pair_as(acting_user, pair_id, can_work_on)
    return assumption_add(pair=pair, acting_user=acting_user, **fields)


@transaction.atomic
def check_assumption_update(
    *, acting_user, pair_id: int, assumption_id: int, tested_by: str, changed: str
) -> Assumption:
    pair = access_pair_as(acting_user, pair_id, can_work_on)
    entry = get_object_or_404(Assumption, pk=assumption_id, pair=pair)
    return assumption_update(
        entry=entry, acting_user=acting_user, tested_by=tested_by, changed=changed
    )


@transaction.atomic
def check_commitment_add(
    *, acting_user, pair_id: int, session_on: date, text: str
) -> Commitment:
    pair = access_pair_as(acting_user, pair_id, can_work_on)
    return commitment_add(
        pair=pair, acting_user=acting_user, session_on=session_on, text=text
    )


@transaction.atomic
def check_commitment_review(
    *, acting_user, pair_id: int, commitment_id: int, followed_up: bool
) -> Commitment:
    pair = access_pair_as(acting_user, pair_id, can_work_on)
    commitment = get_object_or_404(Commitment, pk=commitment_id, pair=pair)
    return commitment_review(
        commitment=commitment, acting_user=acting_user, followed_up=followed_up
    )


@transaction.atomic
def check_followups_share_set(*, acting_user, pair_id: int, share: bool) -> bool:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return followups_share_set(pair=pair, acting_user=acting_user, share=share)
