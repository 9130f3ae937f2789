"""\"I want to become…\": a member's own aspiration."""

from django.db import transaction
from django.utils import timezone

from communities.access import communities_visible_to
from journeys.models import Aspiration
from members.permissions import check_signed_in
from members.tags import tags_normalise


@transaction.atomic
def aspiration_save(
    *, acting_user, text: str, tags: list[str], communities
) -> Aspiration:
    """Set (or, with empty text, clear) the member's aspiration. Only
    communities they may see are kept."""
    check_signed_in(acting_user)
    text = (text or "").strip()
    if not text:
        Aspiration.objects.filter(user=acting_user).delete()
        return None
    aspiration, _created = Aspiration.objects.update_or_create(
        user=acting_user,
        defaults={
            "text": text[:300],
            "tags": tags_normalise(tags),
            "updated_at": timezone.now(),
        },
    )
    ids = [c.pk for c in communities]
    visible = communities_visible_to(acting_user).filter(pk__in=ids)
    aspiration.communities.set(visible)
    return aspiration
