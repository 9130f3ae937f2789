"""Feedback once a pair has ended, optionally published as a story."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership
from knowledge.models import ItemKind
from knowledge.services import item_create
from members.wording import in_sentence
from mentoring.models import Feedback, Pair
from mentoring.permissions import is_party
from mentoring.services.pairs import access_pair_as, lock_pair
from notifications.services import notify


@transaction.atomic
def feedback_give(
    *,
    pair: Pair,
    acting_user,
    rating: int,
    learned: str,
    publish_in: Community | None = None,
) -> Feedback:
    """Feedback once per person after the pair ends; optionally publish what
    they learned as a story in a community where they are active."""
    pair = lock_pair(pair)
    if pair.role_of(acting_user) is None:
        raise ValidationError(_("Only the mentor and the mentee give feedback."))
    if not pair.is_ended:
        raise ValidationError(_("Feedback comes once the mentoring has ended."))
    existing = Feedback.objects.filter(pair=pair, author=acting_user).first()
    if existing is not None:
        return existing
    feedback = Feedback(
        pair=pair, author=acting_user, rating=rating, learned=learned.strip()
    )
    feedback.full_clean()
    if publish_in is not None:
        if not Membership.objects.filter(
            user=acting_user, community=publish_in, status=Membership.Status.ACTIVE
        ).exists():
            raise ValidationError(
                {
                    "publish_in": _(
                        "You can only publish in a community you are active in."
                    )
                }
            )
        feedback.published_item = item_create(
            author=acting_user,
            community=publish_in,
            kind=ItemKind.STORY,
            title=_("What I learned from %(format)s with %(other)s")
            % {
                "format": in_sentence(pair.get_format_display()),
                "other": pair.other_party(acting_user).display_name,
            },
            body=feedback.learned,
            tags=list(pair.request.topics.names()),
        )
    feedback.save()
    notify(
        recipient=pair.other_party(acting_user),
        kind="mentoring.feedback",
        message=gettext_lazy("%(name)s shared what they learned from your mentoring."),
        params={"name": acting_user.display_name},
        url=pair.get_absolute_url(),
        actor=acting_user,
    )
    return feedback


@transaction.atomic
def check_feedback_give(
    *,
    acting_user,
    pair_id: int,
    rating: int,
    learned: str,
    publish_in: Community | None = None,
) -> Feedback:
    pair = access_pair_as(acting_user, pair_id, is_party)
    return feedback_give(
        pair=pair,
        acting_user=acting_user,
        rating=rating,
        learned=learned,
        publish_in=publish_in,
    )
