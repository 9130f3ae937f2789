"""What members are told: a community's latest digest, a member's
notifications."""

from communities.models import Community
from knowledge.models import Digest
from members.models import Notification

# --- Digests -----------------------------------------------------------------


def latest_digest(*, community: Community) -> Digest | None:
    """The community's newest digest with something in it (callers check
    the viewer may see the community's content)."""
    return (
        Digest.objects.filter(community=community, has_news=True)
        .only("pk", "community_id")
        .order_by("-start", "period")
        .first()
    )


# --- Notifications -----------------------------------------------------------


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
