"""Who may see and do what in mentoring.

A pair's goals, check-ins and feedback belong to the two people, the broker
who proposed it and staff; everyone else gets 404, as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from members.permissions import is_manager
from mentoring.models import MentoringRequest, Pair


def can_broker(user) -> bool:
    """Managers (line leaders, executives, staff) propose matches."""
    return is_manager(user)


def can_view_pair(user, pair) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_staff or user.pk in (pair.mentor_id, pair.mentee_id, pair.broker_id)


def can_respond(user, pair) -> bool:
    """Accept or decline a proposal: either of the two people, once."""
    return (
        user.is_authenticated
        and pair.is_proposed
        and pair.role_of(user) is not None
        and not pair.has_accepted(user)
    )


def can_work_on(user, pair) -> bool:
    """Goals and check-ins: the two people, while the pair is active."""
    return user.is_authenticated and pair.is_active and pair.role_of(user) is not None


def is_party(user, pair) -> bool:
    """The mentor or the mentee (whatever the pair's state: the services
    explain what the state allows)."""
    return user.is_authenticated and pair.role_of(user) is not None


def can_try_ending(user, pair) -> bool:
    """Complete or close: the people or the broker; on an ended pair the
    service explains."""
    return is_party(user, pair) or (user.is_authenticated and user.pk == pair.broker_id)


def can_end(user, pair) -> bool:
    """Complete or close early: the two people or the broker, while active."""
    return (
        user.is_authenticated
        and pair.is_active
        and (pair.role_of(user) is not None or user.pk == pair.broker_id)
    )


def can_give_feedback(user, pair, given: bool = False) -> bool:
    return (
        user.is_authenticated
        and pair.is_ended
        and pair.role_of(user) is not None
        and not given
    )


def can_view_request(user, req, pairs=()) -> bool:
    """The mentee, brokers, staff, and any mentor it was proposed to."""
    if not user.is_authenticated:
        return False
    if user.pk == req.mentee_id or user.is_staff or can_broker(user):
        return True
    if user.pk == req.requested_mentor_id:
        return True
    return any(user.pk == pair.mentor_id for pair in pairs)


def can_withdraw(user, req) -> bool:
    return user.is_authenticated and user.pk == req.mentee_id and req.is_live


def can_propose(user, req) -> bool:
    return can_broker(user) and req.status == MentoringRequest.Status.OPEN


def check_broker(user) -> None:
    if not can_broker(user):
        raise PermissionDenied


def access_pair(user, pk, *, for_update: bool = False) -> Pair:
    """Fetch a pair for its page or an action, or 404 for outsiders."""
    qs = Pair.objects.select_related("mentor", "mentee", "broker", "request")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    pair = get_object_or_404(qs, pk=pk)
    if not can_view_pair(user, pair):
        raise Http404
    return pair


def access_pair_for(user, pk, allowed, *, for_update: bool = False) -> Pair:
    """Fetch a pair to act on: 404 for outsiders, 403 unless `allowed(user,
    pair)` (e.g. is_party)."""
    pair = access_pair(user, pk, for_update=for_update)
    if not allowed(user, pair):
        raise PermissionDenied
    return pair


def access_request(user, pk) -> tuple[MentoringRequest, list[Pair]]:
    req = get_object_or_404(
        MentoringRequest.objects.select_related(
            "mentee", "community", "requested_mentor"
        ),
        pk=pk,
    )
    pairs = list(
        req.pairs.select_related("mentor", "broker", "declined_by").order_by(
            "-proposed_at", "-pk"
        )
    )
    if not can_view_request(user, req, pairs):
        raise Http404
    return req, pairs
