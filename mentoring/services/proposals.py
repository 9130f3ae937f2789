"""Proposing a mentor for a request: by a broker, or asked directly."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.events import event_emit
from members.permissions import check_signed_in
from mentoring.models import MentoringRequest, MentorOffer, Pair
from mentoring.permissions import access_request, check_broker
from mentoring.suggestions import matching_changed
from notifications.services import notify


def live_load(mentor) -> int:
    return Pair.objects.filter(mentor=mentor, status__in=Pair.LIVE).count()


def ensure_mentor_free(*, mentor, mentee) -> MentorOffer:
    if mentor.pk == mentee.pk:
        raise ValidationError(_("Nobody can mentor themselves."))
    offer = MentorOffer.objects.filter(user=mentor).first()
    if offer is None or not offer.available or not mentor.is_active:
        raise ValidationError(
            _("%(name)s is not taking mentees at the moment.")
            % {"name": mentor.display_name}
        )
    if live_load(mentor) >= offer.capacity:
        raise ValidationError(
            _("%(name)s has no room for another mentee right now.")
            % {"name": mentor.display_name}
        )
    if Pair.objects.filter(mentor=mentor, mentee=mentee, status__in=Pair.LIVE).exists():
        raise ValidationError(
            _("%(mentor)s and %(mentee)s are already paired.")
            % {"mentor": mentor.display_name, "mentee": mentee.display_name}
        )
    return offer


def pair_create(*, req, mentor, broker, note: str) -> Pair:
    now = timezone.now()
    direct = broker is None
    try:
        with transaction.atomic():
            pair = Pair.objects.create(
                request=req,
                mentor=mentor,
                mentee=req.mentee,
                broker=broker,
                note=note.strip(),
                format=req.format,
                proposed_at=now,
                # Asking a mentor directly is the mentee's acceptance.
                mentee_accepted_at=now if direct else None,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This request or these two people already have a live proposal.")
        ) from exc
    req.status = MentoringRequest.Status.PROPOSED
    req.save(update_fields=["status", "updated_at"])
    matching_changed()
    event_emit(event="mentoring.pair_created", object_id=pair.pk)
    url = pair.get_absolute_url()
    if direct:
        notify(
            recipient=mentor,
            kind="mentoring.asked",
            message=gettext_lazy("%(name)s asked you to be their mentor."),
            params={"name": req.mentee.display_name},
            url=url,
            actor=req.mentee,
        )
    else:
        for person, other in ((mentor, req.mentee), (req.mentee, mentor)):
            notify(
                recipient=person,
                kind="mentoring.proposed",
                message=gettext_lazy("%(broker)s suggests you work with %(other)s."),
                params={"broker": broker.display_name, "other": other.display_name},
                url=url,
                actor=broker,
            )
    return pair


@transaction.atomic
def match_propose(
    *, req: MentoringRequest, mentor, acting_user, note: str = ""
) -> Pair:
    """A broker (`acting_user`) proposes `mentor` for an open request."""
    req = (
        MentoringRequest.objects.select_for_update()
        .select_related("mentee")
        .get(pk=req.pk)
    )
    if req.status != MentoringRequest.Status.OPEN:
        raise ValidationError(_("This request is no longer waiting for a mentor."))
    ensure_mentor_free(mentor=mentor, mentee=req.mentee)
    return pair_create(req=req, mentor=mentor, broker=acting_user, note=note)


@transaction.atomic
def check_match_propose(*, acting_user, request_id: int, mentor, note: str = ""):
    """Brokers (managers) only: 403 for anyone else, before anything is read."""
    check_signed_in(acting_user)
    check_broker(acting_user)
    req, _pairs = access_request(acting_user, request_id)
    return match_propose(req=req, mentor=mentor, acting_user=acting_user, note=note)
