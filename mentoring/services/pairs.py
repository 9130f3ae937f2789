"""A pair's life: accept or decline the proposal, complete or close early."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.events import event_emit
from members.permissions import check_signed_in
from mentoring.models import MentoringRequest, Pair
from mentoring.permissions import access_pair_for, can_try_ending, is_party
from mentoring.services.welcome import connect_step
from mentoring.suggestions import matching_changed
from notifications.services import notify


def lock_pair(pair: Pair) -> Pair:
    return (
        Pair.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee", "broker", "request")
        .get(pk=pair.pk)
    )


def tell_pair(
    pair: Pair,
    *,
    acting_user,
    kind: str,
    message,
    params: dict | None = None,
    include_broker=True,
):
    """Tell the other person (and the broker) what `acting_user` did."""
    recipients = [pair.mentor, pair.mentee]
    if include_broker and pair.broker is not None:
        recipients.append(pair.broker)
    for person in recipients:
        notify(
            recipient=person,
            kind=kind,
            message=message,
            params=params,
            url=pair.get_absolute_url(),
            actor=acting_user,
        )


@transaction.atomic
def pair_accept(*, pair: Pair, acting_user) -> Pair:
    pair = lock_pair(pair)
    role = pair.role_of(acting_user)
    if role is None:
        raise ValidationError(_("Only the mentor and the mentee can accept."))
    if pair.is_active or (pair.is_proposed and pair.has_accepted(acting_user)):
        return pair  # already done: a double submit changes nothing
    if not pair.is_proposed:
        raise ValidationError(
            _("This proposal is closed and can no longer be accepted.")
        )
    now = timezone.now()
    field = f"{role}_accepted_at"
    setattr(pair, field, now)
    fields = [field]
    matching_changed()
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = Pair.Status.ACTIVE
        pair.started_at = now
        fields += ["status", "started_at"]
        req = pair.request
        req.status = MentoringRequest.Status.MATCHED
        req.matched_at = now
        req.save(update_fields=["status", "matched_at", "updated_at"])
        pair.save(update_fields=fields)
        connect_step(mentee=pair.mentee, community=req.community)
        tell_pair(
            pair,
            acting_user=acting_user,
            kind="mentoring.active",
            message=gettext_lazy("%(mentor)s and %(mentee)s are now a mentoring pair."),
            params={
                "mentor": pair.mentor.display_name,
                "mentee": pair.mentee.display_name,
            },
        )
    else:
        pair.save(update_fields=fields)
        tell_pair(
            pair,
            acting_user=acting_user,
            kind="mentoring.accepted",
            message=gettext_lazy("%(name)s accepted the mentoring proposal."),
            params={"name": acting_user.display_name},
        )
    return pair


@transaction.atomic
def pair_decline(*, pair: Pair, acting_user, reason: str = "") -> Pair:
    """Either person declines a proposal; the request goes back to open."""
    pair = lock_pair(pair)
    if pair.role_of(acting_user) is None:
        raise ValidationError(_("Only the mentor and the mentee can decline."))
    if pair.status == Pair.Status.DECLINED:
        return pair
    if not pair.is_proposed:
        raise ValidationError(_("Only a proposal can be declined."))
    pair.status = Pair.Status.DECLINED
    pair.declined_at = timezone.now()
    pair.declined_by = acting_user
    pair.decline_reason = reason.strip()[:300]
    pair.save(update_fields=["status", "declined_at", "declined_by", "decline_reason"])
    matching_changed()
    req = pair.request
    if req.status == MentoringRequest.Status.PROPOSED:
        req.status = MentoringRequest.Status.OPEN
        req.save(update_fields=["status", "updated_at"])
    tell_pair(
        pair,
        acting_user=acting_user,
        kind="mentoring.declined",
        message=gettext_lazy(
            "%(name)s declined the mentoring proposal; the request is open again."
        ),
        params={"name": acting_user.display_name},
    )
    return pair


@transaction.atomic
def pair_complete(*, pair: Pair, acting_user) -> Pair:
    pair = lock_pair(pair)
    if pair.status == Pair.Status.COMPLETED:
        return pair
    if not pair.is_active:
        raise ValidationError(_("Only an active pair can be completed."))
    pair.status = Pair.Status.COMPLETED
    pair.ended_at = timezone.now()
    pair.save(update_fields=["status", "ended_at"])
    matching_changed()
    event_emit(event="mentoring.pair_closed", object_id=pair.pk)
    tell_pair(
        pair,
        acting_user=acting_user,
        kind="mentoring.completed",
        message=gettext_lazy("Your mentoring is complete. Share what you learned."),
    )
    return pair


@transaction.atomic
def pair_close(*, pair: Pair, acting_user, reason: str) -> Pair:
    pair = lock_pair(pair)
    if pair.status == Pair.Status.CLOSED:
        return pair
    if not pair.is_active:
        raise ValidationError(_("Only an active pair can be closed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why you are closing early.")})
    pair.status = Pair.Status.CLOSED
    pair.ended_at = timezone.now()
    pair.closed_reason = reason[:300]
    pair.save(update_fields=["status", "ended_at", "closed_reason"])
    matching_changed()
    event_emit(event="mentoring.pair_closed", object_id=pair.pk)
    tell_pair(
        pair,
        acting_user=acting_user,
        kind="mentoring.closed",
        message=gettext_lazy("%(name)s closed the mentoring early: %(reason)s"),
        params={"name": acting_user.display_name, "reason": pair.closed_reason},
    )
    return pair


# --- Checked entry points: every interface (page, API, task) calls these ------


def access_pair_as(acting_user, pair_id: int, allowed) -> Pair:
    """Lock the pair and check `acting_user` may act on it (404 for
    outsiders, 403 unless `allowed`)."""
    check_signed_in(acting_user)
    return access_pair_for(acting_user, pair_id, allowed, for_update=True)


@transaction.atomic
def check_pair_accept(*, acting_user, pair_id: int) -> Pair:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return pair_accept(pair=pair, acting_user=acting_user)


@transaction.atomic
def check_pair_decline(*, acting_user, pair_id: int, reason: str = "") -> Pair:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return pair_decline(pair=pair, acting_user=acting_user, reason=reason)


@transaction.atomic
def check_pair_complete(*, acting_user, pair_id: int) -> Pair:
    pair = access_pair_as(acting_user, pair_id, can_try_ending)
    return pair_complete(pair=pair, acting_user=acting_user)


@transaction.atomic
def check_pair_close(*, acting_user, pair_id: int, reason: str) -> Pair:
    pair = access_pair_as(acting_user, pair_id, can_try_ending)
    return pair_close(pair=pair, acting_user=acting_user, reason=reason)
