"""A member's mentor offer: whether, how much and how they mentor."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.model_update import model_update
from members.permissions import check_signed_in
from members.tags import tags_normalise
from mentoring.models import FORMAT_FIELDS, MentorOffer
from mentoring.suggestions import matching_changed


@transaction.atomic
def offer_save(
    *,
    acting_user,
    available: bool,
    capacity: int,
    topics=None,
    formats=(),
) -> MentorOffer:
    """Create or update a member's mentor offer. Topics default to the
    member's expertise the first time."""
    formats = set(formats)
    if not formats:
        raise ValidationError({"formats": _("Choose at least one format.")})
    data = {"available": available, "capacity": capacity}
    for fmt, field in FORMAT_FIELDS.items():
        data[field] = fmt in formats
    offer = MentorOffer.objects.filter(user=acting_user).first()
    creating = offer is None
    if creating:
        offer = MentorOffer(user=acting_user, **data)
        offer.full_clean()
        offer.save()
    else:
        model_update(instance=offer, fields=list(data), data=data)
    if topics is None and creating:
        topics = list(acting_user.expertise.names())
    if topics is not None:
        offer.topics.set(tags_normalise(topics))
    matching_changed()
    return offer


def check_offer_save(*, acting_user, **fields) -> MentorOffer:
    """Every signed-in member may offer to mentor; nobody else."""
    check_signed_in(acting_user)
    return offer_save(acting_user=acting_user, **fields)
