"""The one gate on knowledge reads: items in communities the viewer may see,
hidden ones left out."""

from communities.access import communities_visible_to
from knowledge.models import Item

LIST_RELATED = ("community", "author", "shared_from__community")


def visible_items(viewer):
    """Items in communities `viewer` may see, hidden ones left out. The gate
    is a semi-join on the few hundred visible community ids rather than a
    join to every item's community: PostgreSQL hashes it once."""
    return Item.objects.filter(
        community_id__in=communities_visible_to(viewer).values("pk"),
        hidden_at__isnull=True,
    )
