"""A community's feed, its hidden items, its most helpful, and the home
page's "questions you could answer" and "latest in my communities"."""

from django.db.models import Q

from communities.access import active_community_ids
from communities.models import Community
from knowledge.models import Item, ItemKind, ItemTag
from knowledge.permissions import ADOPTABLE_KINDS
from knowledge.selectors.visibility import LIST_RELATED
from members.pagination import KeysetPage, Position, keyset_page

FEED_TABS = ("new", "helpful", "open")
MOST_HELPFUL_TOP = 10


# --- Community feed ----------------------------------------------------------


def community_feed(
    *, community: Community, tab: str, position: Position, size: int
) -> KeysetPage:
    """Newest, most helpful or open questions in one community, one keyset
    page from `position`."""
    items = Item.objects.filter(community=community, hidden_at__isnull=True)
    items = items.select_related("author", "shared_from__community")
    if tab == "open":
        items = items.filter(kind=ItemKind.QUESTION, accepted_reply__isnull=True)
    order = ("helpful_count", "id") if tab == "helpful" else ("created_at", "id")
    page = keyset_page(items, position, size=size, order=order)
    for row in page:
        row.community = community  # spares a join; get_absolute_url needs it
    return page


def hidden_items(*, community: Community, position: Position, size: int):
    items = Item.objects.filter(community=community, hidden_at__isnull=False)
    return keyset_page(
        items.select_related("author", "hidden_by", "community"),
        position,
        size=size,
    )


def most_helpful_items(*, community: Community, limit: int = MOST_HELPFUL_TOP):
    return list(
        Item.objects.filter(
            community=community,
            hidden_at__isnull=True,
            kind__in=ADOPTABLE_KINDS,
            helpful_count__gt=0,
        )
        .select_related("community", "author")
        .order_by("-helpful_count", "-id")[:limit]
    )


def is_among_most_helpful(item: Item) -> bool:
    if item.helpful_count == 0 or item.kind not in ADOPTABLE_KINDS or item.is_hidden:
        return False
    ahead = Item.objects.filter(
        community_id=item.community_id,
        hidden_at__isnull=True,
        kind__in=ADOPTABLE_KINDS,
    ).filter(
        Q(helpful_count__gt=item.helpful_count)
        | Q(helpful_count=item.helpful_count, id__gt=item.pk)
    )
    return ahead.count() < MOST_HELPFUL_TOP


# --- Home page ---------------------------------------------------------------


def questions_you_could_answer(*, user, limit: int = 5) -> list[Item]:
    """Open questions in the member's communities tagged with their expertise.

    Walked from the tag links newest first (itemtag_tag_latest), then read by
    id: asked as one `id IN (every matching question)` query, PostgreSQL
    joined every item of the organisation before filtering (0.4 s at full
    scale for a member with a popular expertise)."""
    expertise = list(user.expertise.names())
    if not expertise:
        return []
    links = (
        ItemTag.objects.filter(
            tag__name__in=expertise,
            content_object__community_id__in=active_community_ids(user),
            content_object__community__archived_at__isnull=True,
            content_object__kind=ItemKind.QUESTION,
            content_object__accepted_reply__isnull=True,
            content_object__hidden_at__isnull=True,
        )
        .exclude(content_object__author_id=user.pk)
        .order_by("-item_created_at", "-content_object_id")
        .values_list("content_object_id", flat=True)
    )
    # A question tagged with two of the member's skills links twice.
    ids = list(dict.fromkeys(links[: limit * len(expertise)]))[:limit]
    if not ids:
        return []
    return list(
        Item.objects.filter(pk__in=ids)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")
    )


def latest_in_my_communities(*, user, limit: int = 8) -> list[Item]:
    return list(
        Item.objects.filter(
            community_id__in=active_community_ids(user), hidden_at__isnull=True
        )
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )
