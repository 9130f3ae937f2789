"""A community's feed, its hidden items, its most helpful, and the home
page's "questions you could answer" and "latest in my communities"."""

import hashlib
from typing import NamedTuple

from django.db.models import Q

from communities.models import Community, Membership
from config import compiled_queries
from knowledge.models import Item, ItemKind, ItemTag
from knowledge.permissions import ADOPTABLE_KINDS
from knowledge.selectors.tags import tag_versions
from knowledge.selectors.visibility import LIST_ROW_FIELDS
from members.models import ExpertiseTag
from members.pagination import (
    KeysetPage,
    Position,
    first_page,
    first_window,
    keyset_page,
)
from members.versioned_cache import cached, cached_many

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
    page from `position`. The first page, which nearly every view asks for,
    is a query compiled once per process (config.compiled_queries): building
    it with the ORM cost ~1 ms of CPU a view, three times running it."""
    order = ("helpful_count", "id") if tab == "helpful" else ("created_at", "id")
    if position.is_top:
        rows = compiled_queries.instances(
            f"community-feed:{tab}:{size}",
            lambda community_id: first_window(
                _feed_items(community_id, tab), size=size, order=order
            ),
            only=FEED_ROW,
            community_id=community.pk,
        )
        page = first_page(rows, size=size, order=order)
    else:
        items = _feed_items(community.pk, tab)
        items = items.select_related("author", "shared_from__community").only(*FEED_ROW)
        page = keyset_page(items, position, size=size, order=order)
    for row in page:
        row.community = community  # spares a join; get_absolute_url needs it
    return page


def _feed_items(community_id: int, tab: str):
    items = Item.objects.filter(community_id=community_id, hidden_at__isnull=True)
    if tab == "open":
        items = items.filter(kind=ItemKind.QUESTION, accepted_reply__isnull=True)
    return items


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
QUESTIONS_SHOWN = 5
LATEST_SHOWN = 8

# What home_items reads of each item: an item row's columns
# (knowledge.item_rows) and what it checks again on every view.
HOME_ROW_FIELDS = (*LIST_ROW_FIELDS, "community__archived_at")


def community_items_version(community_id: int) -> str:
    """The cache version (members.versioned_cache) of which items a
    community's lists hold: bumped with its items' tag pages
    (knowledge.services.tag_pages_changed: create, share, edit, hide,
    restore, accept, marks), and when one of its items is shared into or
    adopted by another community (its "ready to spread" candidates and
    stick rate change)."""
    return f"community-items:{community_id}"


class HomeItems(NamedTuple):
    questions: list[Item]  # open questions the member could answer
    latest: list[Item]  # latest in the member's communities
    has_expertise: bool


def home_items(*, user) -> HomeItems:
    """The home page's "questions you could answer" (open questions in the
    member's communities tagged with their expertise, newest first, among
    the latest ANSWERABLE_RECENT_PER_TAG items of each of those tags) and
    "latest in my communities".

    Which items each list holds is cached per member, keyed by their active
    communities with whether each is archived and by their expertise tags
    (read on every view: a join, a leave, an archive or a new skill changes
    the key at once), under the versions of those communities' items and of
    those tags, which every create, share, edit, hide, restore and accept
    bumps. The rows themselves are read again on every view by primary key
    (so an edit, a new reply or a rename shows at once) and checked again:
    a hidden item, an answered question or a community left never shows,
    even from an entry that a write round the services left behind."""
    memberships = compiled_queries.rows(
        "home-memberships",
        lambda user_id: Membership.objects.filter(
            user_id=user_id, status=Membership.Status.ACTIVE
        ).values_list("community_id", "community__archived_at"),
        user_id=user.pk,
    )
    tags = dict(
        compiled_queries.rows(
            "home-expertise",
            lambda user_id: (
                ExpertiseTag.objects.filter(content_object_id=user_id)
                .order_by("pk")
                .values_list("tag_id", "tag__name")
            ),
            user_id=user.pk,
        )
    )
    if not memberships:
        return HomeItems([], [], bool(tags))
    community_ids = sorted(pk for pk, _ in memberships)
    unarchived = sorted(pk for pk, archived in memberships if archived is None)
    shape = (community_ids, unarchived, sorted(tags), QUESTIONS_SHOWN, LATEST_SHOWN)
    digest = hashlib.sha256(repr(shape).encode()).hexdigest()[:32]
    question_ids, latest_ids = cached(
        f"home-items:{user.pk}:{digest}",
        [
            *(community_items_version(pk) for pk in community_ids),
            *tag_versions(tags.values()),
        ],
        lambda: (
            _question_ids(user, tags=tags, community_ids=unarchived),
            _latest_ids(community_ids),
        ),
    )
    ids = {*question_ids, *latest_ids}
    rows = {
        item.pk: item
        for item in (
            compiled_queries.instances(
                "home-items",
                lambda ids: Item.objects.filter(compiled_queries.any_of("pk", ids)),
                only=HOME_ROW_FIELDS,
                ids=compiled_queries.id_array(ids),
            )
            if ids
            else ()
        )
    }
    active, open_communities = set(community_ids), set(unarchived)
    questions = [
        item
        for pk in question_ids
        if (item := rows.get(pk)) is not None
        and item.hidden_at is None
        and item.is_open_question
        and item.community_id in open_communities
        and item.author_id != user.pk
    ]
    latest = [
        item
        for pk in latest_ids
        if (item := rows.get(pk)) is not None
        and item.hidden_at is None
        and item.community_id in active
    ]
    return HomeItems(questions, latest, bool(tags))


def questions_you_could_answer(*, user) -> list[Item]:
    return home_items(user=user).questions


def _question_ids(user, *, tags: dict[int, str], community_ids: list[int]) -> list:
    """Each tag's open questions among its latest items (`_open_questions_of`)
    are the same for every reader, so they are cached under the tag's
    version. Asked as a join of the tag links with every open question of the
    member's communities, PostgreSQL hashed all of them (12,000 rows,
    80-150 ms for a member of the largest community at full scale)."""
    if not tags or not community_ids:
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
            community_id__in=community_ids,
            kind=ItemKind.QUESTION,
            accepted_reply__isnull=True,
            hidden_at__isnull=True,
        )
        .exclude(author_id=user.pk)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:QUESTIONS_SHOWN]
    )


def _latest_ids(community_ids: list[int]) -> list:
    return list(
        Item.objects.filter(community_id__in=community_ids, hidden_at__isnull=True)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:LATEST_SHOWN]
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
