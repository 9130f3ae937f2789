"""A member's account deactivated (members.deactivation hook, registered in
MentoringConfig.ready): what they had open in mentoring is withdrawn; pairs,
goals, check-ins and feedback stay as the record of what happened."""

from django.utils.translation import gettext as _

from mentoring.models import MentoringRequest, MentorOffer, Pair
from mentoring.services.pairs import pair_decline
from mentoring.services.requests import request_withdraw
from mentoring.suggestions import matching_changed


def mentoring_withdraw_for(*, member) -> None:
    """Their mentor offer is no longer available, their open requests are
    withdrawn (proposed mentors are told), and proposals waiting for them as
    a mentor are declined (the requests open again for another mentor)."""
    offer = MentorOffer.objects.filter(user_id=member.pk, available=True).first()
    if offer is not None:
        offer.available = False
        offer.save(update_fields=["available", "updated_at"])
        matching_changed()
    live = MentoringRequest.objects.filter(
        mentee_id=member.pk,
        status__in=[MentoringRequest.Status.OPEN, MentoringRequest.Status.PROPOSED],
    )
    for req in live:
        request_withdraw(req=req, acting_user=member)
    proposed = Pair.objects.filter(mentor_id=member.pk, status=Pair.Status.PROPOSED)
    for pair in proposed:
        pair_decline(
            pair=pair,
            acting_user=member,
            reason=_("The mentor is no longer with the organisation."),
        )
