"""The header search box: a few of each kind of thing matching what is being
typed (items, people, communities, tags), one query per group, each through
the same gates as the pages they link to."""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import router
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.lookups import IContains, IStartsWith
from taggit.models import Tag

from communities.access import communities_visible_to
from config import compiled_queries
from config.union_reads import ids_by_count
from knowledge.models import TITLE_VECTOR, Item, ItemTag
from knowledge.selectors.visibility import visible_items
from members.models import User
from members.tags import tag_normalise

PER_GROUP = 5
# Items ranked per keystroke: the most recent matches, as search does.
TYPEAHEAD_CAP = 200
# ... among the newest this many items, unless fewer than PER_GROUP of them
# match (then among all). A common word ("supplier audits") matches tens of
# thousands of items spread over the whole table, and sorting them by date
# read a heap page per match (17,000 pages, 0.4 s at 300,000 items); within
# the window the bitmap of matches is ANDed with a range of item_recent
# first, so only the window's matches are read (about 700 pages).
TYPEAHEAD_WINDOW = 2_000
# Letters of the last word typed before it is matched as a prefix.
MIN_PREFIX = 3
# Letters typed before a person's name is searched inside, not by its start.
MIN_CONTAINS = 3
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Found:
    items: list = field(default_factory=list)
    people: list = field(default_factory=list)
    communities: list = field(default_factory=list)
    tags: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.items or self.people or self.communities or self.tags)


def _prefix_query(q: str) -> SearchQuery | None:
    """Every word, the last one as a prefix ("shift hando" finds "shift
    handover") once it has MIN_PREFIX letters (before, it is left out);
    only letters and digits reach the raw query."""
    words = _WORD.findall(q.lower())[:8]
    # A prefix of one or two letters matches most of the vocabulary, and the
    # index must read every posting list it covers: wait for a third.
    if words and len(words[-1]) < MIN_PREFIX:
        words.pop()
    else:
        words[-1:] = [f"{word}:*" for word in words[-1:]]
    if not words:
        return None
    return SearchQuery(" & ".join(words), search_type="raw", config="english")


def typeahead_items(*, viewer, q: str, limit: int = PER_GROUP) -> list[Item]:
    query = _prefix_query(q)
    if query is None:
        return []
    # Titles only: the box shows titles, and "Search everything" (the
    # results page) reads the whole text.
    matches = (
        visible_items(viewer)
        .annotate(title_vector=TITLE_VECTOR)
        .filter(title_vector=query)
    )
    # The created_at of the TYPEAHEAD_WINDOW-th newest item (an index-only
    # walk of item_recent), read first so that the planner sees a value:
    # with a parameter it guesses a third of the table is newer and scans
    # every match instead of ANDing the matches with the window's range.
    edge = (
        Item.objects.order_by("-created_at", "-id")
        .values_list("created_at", flat=True)[TYPEAHEAD_WINDOW - 1 : TYPEAHEAD_WINDOW]
        .first()
    )
    window = {"created_at__gte": edge} if edge else {}
    recent = (
        matches.filter(**window)
        .order_by("-created_at", "-id")
        .values("id")[:TYPEAHEAD_CAP]
    )
    older = matches.order_by("-created_at", "-id").values("id")[:TYPEAHEAD_CAP]
    # Both are the newest matches, permissions applied in each; the second
    # runs only when the window holds fewer than PER_GROUP (decided on the
    # count read, ids_by_count), so a rare word is still found in old items.
    newest = ids_by_count(
        recent, [("SELECT id FROM probe", None), (older, f"< {PER_GROUP:d}")]
    )
    return list(
        Item.objects.filter(pk__in=newest)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .select_related("community")
        .only(
            "id",
            "title",
            "kind",
            "accepted_reply_id",
            "community__slug",
            "community__name",
        )
        .order_by("-rank", "-created_at", "-id")[:limit]
    )


def _starts_first(field_name: str, q: str):
    return Case(
        When(**{f"{field_name}__istartswith": q}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


# What a person found shows (a name, a job title, a link by username).
_PERSON_COLUMNS = [
    f.attname
    for f in User._meta.concrete_fields
    if f.attname in {"id", "username", "display_name", "job_title"}
]


def _people_query(*, q: str, contains: bool, limit: int):
    """`q` is a parameter, escaped for LIKE in SQL (the lookups do so for an
    expression), so the query keeps one shape per (contains, limit) and is
    compiled once per process (config.compiled_queries): people_matching
    took 1.1-1.2 ms of CPU through the ORM, 0.2-0.3 ms compiled; the query
    runs in ~0.1-2 ms. The same indexes answer it (member_name_trgm,
    member_handle_upper_prefix: EXPLAIN before and after)."""
    typed = Value(q)
    name = (
        IContains(F("display_name"), typed)
        if contains
        else IStartsWith(F("display_name"), typed)
    )
    return (
        User.objects.filter(is_active=True)
        .filter(Q(name) | Q(IStartsWith(F("username"), typed)))
        .annotate(
            starts=Case(
                When(IStartsWith(F("display_name"), typed), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "display_name", "pk")
        .values_list(*_PERSON_COLUMNS)[:limit]
    )


def people_matching(*, q: str, limit: int = PER_GROUP) -> list[User]:
    """Active members by name (containing `q`, or starting with it when it
    is shorter than MIN_CONTAINS) or username (starting with it): the
    directory is open to every signed-in member, so no community gate
    applies. On members' trigram and pattern indexes, whatever their number.
    Read fresh on every call: a member who joins, leaves or is renamed shows
    so at once."""
    q = q.strip()
    if not q:
        return []
    # One or two letters hold no trigram, so "contains" would read every
    # member; a name starting with them is what such a prefix is typed for.
    contains = len(q) >= MIN_CONTAINS
    found = compiled_queries.rows(
        f"people-matching:{int(contains)}:{int(limit)}",
        lambda **stand_in: _people_query(contains=contains, limit=limit, **stand_in),
        q=q,
    )
    db = router.db_for_read(User)
    return [User.from_db(db, _PERSON_COLUMNS, row) for row in found]


def communities_matching(*, viewer, q: str, limit: int = PER_GROUP):
    """Communities whose name or purpose matches, among those `viewer` may
    see inside: a private one is found only by its members (and staff)."""
    q = q.strip()
    if not q:
        return []
    return list(
        communities_visible_to(viewer)
        .filter(Q(name__icontains=q) | Q(purpose__icontains=q))
        .annotate(starts=_starts_first("name", q))
        .only("slug", "name", "purpose", "visibility")
        .order_by("starts", "name", "pk")[:limit]
    )


def tags_matching(*, viewer, q: str, limit: int = PER_GROUP) -> list[Tag]:
    """Tags starting with what is typed that are on an item `viewer` may
    see: a tag used only inside a private community does not find it."""
    name = tag_normalise(q)
    if not name:
        return []
    # A join per link, walked on the tag's index: the first visible item
    # ends it (a semi-join on every visible item would hash 300,000 rows).
    on_visible = ItemTag.objects.filter(
        tag_id=OuterRef("pk"),
        content_object__hidden_at__isnull=True,
        content_object__community_id__in=communities_visible_to(viewer).values("pk"),
    )
    return list(
        Tag.objects.filter(name__startswith=name)
        .filter(Exists(on_visible))
        .order_by("name")[:limit]
    )


def typeahead(*, viewer, q: str) -> Found:
    """Four queries, whatever the data size (none for a blank box)."""
    if not q.strip():
        return Found()
    return Found(
        items=typeahead_items(viewer=viewer, q=q),
        people=people_matching(q=q),
        communities=communities_matching(viewer=viewer, q=q),
        tags=tags_matching(viewer=viewer, q=q),
    )
