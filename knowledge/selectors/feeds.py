"""A community's feed, its hidden items, its most helpful, and the home
page's "questions you could answer" and "latest in my communities"."""

from django.db.models import Q

from communities.access import active_community_ids
from communities.models import Community
from knowledge.models import Item, ItemKind, ItemTag
from knowledge.permissions import ADOPTABLE_KINDS
from knowledge.selectors.tags import tag_versions
from knowledge.selectors.visibility import LIST_RELATED
from members.pagination import KeysetPage, Position, keyset_page
from members.versioned_cache import cached_many

FEED_TABS = ("new", "helpful", "open")
# The columns a feed's rows show (knowledge.item_rows._shown) and its keyset
# sorts by: the other ~80 of the three joined tables cost ~1 ms of CPU a page
# to select and load. A field added to the row must be added here too (the
# pinned counts of a cold feed would count a deferred load).
FEED_ROW = (
    "kind",
    "title",
    "tag_names",
    "created_at",
    "helpful_count",
    "reply_count",
    "hidden_at",
    "accepted_reply_id",
    "community_id",
    "author__display_name",
    "shared_from__community__name",
)
MOST_HELPFUL_TOP = 10


# --- Community feed ----------------------------------------------------------


def community_feed(
    *, community: Community, tab: str, position: Position, size: int
) -> KeysetPage:
    """Newest, most helpful or open questions in one community, one keyset
    page from `position`."""
    items = Item.objects.filter(community=community, hidden_at__isnull=True)
    items = items.select_related("author", "shared_from__community").only(*FEED_ROW)
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


# "Questions you could answer" look among this many of the latest items of
# each of the member's expertise tags.
ANSWERABLE_RECENT_PER_TAG = 500


def questions_you_could_answer(*, user, limit: int = 5) -> list[Item]:
    """Open questions in the member's communities tagged with their
    expertise, newest first, among the latest ANSWERABLE_RECENT_PER_TAG items
    of each of those tags.

    Each tag's open questions among its latest items (`_open_questions_of`)
    are the same for every reader, so they are cached under the tag's
    version, which every change to an item of the tag bumps (create, share,
    edit, hide, restore, accept: knowledge.services.tag_pages_changed). Who
    may see what is decided here on every view: the one query reads those
    ids again and keeps the open questions of the member's active,
    unarchived communities, so a join, a leave, an archive or a hide shows at
    once. Asked as a join of the tag links with every open question of the
    member's communities, PostgreSQL hashed all of them (12,000 rows,
    80-150 ms for a member of the largest community at full scale)."""
    tags = dict(user.expertise.values_list("id", "name"))
    if not tags:
        return []
    per_tag = cached_many(
        {
            f"open-questions-of-tag:{tag_id}": tag_versions([name])[0]
            for tag_id, name in tags.items()
        },
        _open_questions_of,
    )
    candidates = {pk for ids in per_tag.values() for pk in ids}
    if not candidates:
        return []
    return list(
        Item.objects.filter(
            pk__in=candidates,
            community_id__in=active_community_ids(user),
            community__archived_at__isnull=True,
            kind=ItemKind.QUESTION,
            accepted_reply__isnull=True,
            hidden_at__isnull=True,
        )
        .exclude(author_id=user.pk)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


def _open_questions_of(keys: list[str]) -> dict[str, list[int]]:
    """For each key "open-questions-of-tag:<id>", the ids of the open,
    visible questions among that tag's latest items: a bounded walk down each
    tag's (tag, item_created_at) index, all tags in one query."""
    tag_ids = {int(key.rsplit(":", 1)[1]): key for key in keys}
    windows = [
        ItemTag.objects.filter(tag_id=tag_id)
        .order_by("-item_created_at", "-content_object_id")
        .values("pk")[:ANSWERABLE_RECENT_PER_TAG]
        for tag_id in tag_ids
    ]
    recent = (
        windows[0].union(*windows[1:], all=True) if len(windows) > 1 else windows[0]
    )
    found = {key: [] for key in keys}
    for tag_id, item_id in ItemTag.objects.filter(
        pk__in=recent,
        content_object__kind=ItemKind.QUESTION,
        content_object__accepted_reply__isnull=True,
        content_object__hidden_at__isnull=True,
    ).values_list("tag_id", "content_object_id"):
        found[tag_ids[tag_id]].append(item_id)
    return found


def latest_in_my_communities(*, user, limit: int = 8) -> list[Item]:
    return list(
        Item.objects.filter(
            community_id__in=active_community_ids(user), hidden_at__isnull=True
        )
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )
