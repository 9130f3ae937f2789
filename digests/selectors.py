"""Reads about digests."""

from communities.models import Community
from digests.models import Digest


def latest_digest(*, community: Community) -> Digest | None:
    """The community's newest digest with something in it (callers check
    the viewer may see the community's content)."""
    return (
        Digest.objects.filter(community=community, has_news=True)
        .only("pk", "community_id")
        .order_by("-start", "period")
        .first()
    )
