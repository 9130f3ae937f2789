"""The one gate on knowledge reads: items in communities the viewer may see,
hidden ones left out."""

from communities.access import communities_visible_to
from knowledge.models import Item

LIST_RELATED = ("community", "author", "shared_from__community")
# The columns a list row (knowledge.item_rows) reads, for `.only()` with
# LIST_RELATED: without the bodies, the search vector and the users' and
# communities' other columns a page of 20 rows is ~3 KB instead of ~58 KB,
# and fewer columns to compile and turn into objects.
LIST_ROW_FIELDS = (
    "community_id",
    "kind",
    "title",
    "tag_names",
    "author_id",
    "created_at",
    "hidden_at",
    "shared_from_id",
    "accepted_reply_id",
    "helpful_count",
    "reply_count",
    "community__slug",
    "community__name",
    "author__display_name",
    "shared_from__community_id",
    "shared_from__community__name",
)


def visible_items(viewer):
    """Items in communities `viewer` may see, hidden ones left out. The gate
    is a semi-join on the few hundred visible community ids rather than a
    join to every item's community: PostgreSQL hashes it once."""
    return Item.objects.filter(
        community_id__in=communities_visible_to(viewer).values("pk"),
        hidden_at__isnull=True,
    )
