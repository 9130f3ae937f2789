"""Mentoring requests: ask for a mentor (any, or one directly), withdraw."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Membership
from members.permissions import check_signed_in
from members.tags import tags_normalise
from mentoring.models import MentoringRequest, Pair
from mentoring.permissions import access_request, can_withdraw
from mentoring.services.proposals import ensure_mentor_free, pair_create
from mentoring.services.welcome import connect_step
from mentoring.suggestions import matching_changed
from notifications.services import notify


@transaction.atomic
def request_create(
    *,
    acting_user,
    topics,
    goals: str,
    format: str,  # noqa: A002 - the field's name
    community=None,
    requested_mentor=None,
) -> MentoringRequest:
    """Ask for mentoring: for any broker to match, or of one mentor directly
    (then the mentor is proposed at once, the mentee having accepted)."""
    topics = tags_normalise(topics)
    if not topics:
        raise ValidationError({"topics": _("Name at least one topic.")})
    if (
        community is not None
        and not Membership.objects.filter(
            user=acting_user, community=community, status=Membership.Status.ACTIVE
        ).exists()
    ):
        raise ValidationError(
            {"community": _("Choose a community you are an active member of.")}
        )
    if requested_mentor is not None:
        ensure_mentor_free(mentor=requested_mentor, mentee=acting_user)
    req = MentoringRequest(
        mentee=acting_user,
        goals=goals.strip(),
        format=format,
        community=community,
        requested_mentor=requested_mentor,
    )
    req.full_clean(exclude=["topics"])
    req.save()
    req.topics.set(topics)
    connect_step(mentee=acting_user, community=community)
    if requested_mentor is not None:
        pair_create(req=req, mentor=requested_mentor, broker=None, note="")
    matching_changed()
    return req


@transaction.atomic
def request_withdraw(*, req: MentoringRequest, acting_user) -> MentoringRequest:
    req = MentoringRequest.objects.select_for_update().get(pk=req.pk)
    if req.status == MentoringRequest.Status.WITHDRAWN:
        return req
    if not req.is_live:
        raise ValidationError(_("A matched request cannot be withdrawn."))
    now = timezone.now()
    for pair in req.pairs.filter(status=Pair.Status.PROPOSED).select_related("mentor"):
        pair.status = Pair.Status.DECLINED
        pair.declined_at = now
        pair.declined_by = acting_user
        pair.decline_reason = _("The request was withdrawn.")
        pair.save(
            update_fields=["status", "declined_at", "declined_by", "decline_reason"]
        )
        notify(
            recipient=pair.mentor,
            kind="mentoring.withdrawn",
            message=gettext_lazy("%(name)s withdrew their mentoring request."),
            params={"name": acting_user.display_name},
            url=req.get_absolute_url(),
            actor=acting_user,
        )
    req.status = MentoringRequest.Status.WITHDRAWN
    req.save(update_fields=["status", "updated_at"])
    matching_changed()
    return req


# --- Checked entry points: every interface (page, API, task) calls these ------


def check_request_create(
    *, acting_user, requested_mentor=None, **fields
) -> MentoringRequest:
    """Ask for mentoring as `acting_user`; a mentor asked directly must be an
    active member other than oneself (404 otherwise, as on the page)."""
    check_signed_in(acting_user)
    if requested_mentor is not None and (
        not requested_mentor.is_active or requested_mentor.pk == acting_user.pk
    ):
        raise Http404
    return request_create(
        acting_user=acting_user, requested_mentor=requested_mentor, **fields
    )


@transaction.atomic
def check_request_withdraw(*, acting_user, request_id: int) -> MentoringRequest:
    """Only the mentee withdraws, while the request is live; withdrawing
    again changes nothing. 404 for those who may not see the request."""
    check_signed_in(acting_user)
    req, _pairs = access_request(acting_user, request_id)
    if not can_withdraw(acting_user, req):
        clicked_again = (
            acting_user.pk == req.mentee_id
            and req.status == MentoringRequest.Status.WITHDRAWN
        )
        if not clicked_again:
            raise PermissionDenied
    return request_withdraw(req=req, acting_user=acting_user)
