"""The header search box: a few of each kind of thing matching what is being
typed (items, people, communities, tags), one query per group, each through
the same gates as the pages they link to."""

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from taggit.models import Tag

from communities.access import communities_visible_to
from knowledge.models import Item, ItemTag
from knowledge.selectors.visibility import visible_items
from members.models import User
from members.tags import tag_normalise

PER_GROUP = 5
# Items ranked per keystroke: the most recent matches, as search does.
TYPEAHEAD_CAP = 200
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
    handover"); only letters and digits reach the raw query."""
    words = _WORD.findall(q.lower())[:8]
    if not words:
        return None
    words[-1] += ":*"
    return SearchQuery(" & ".join(words), search_type="raw", config="english")


def typeahead_items(*, viewer, q: str, limit: int = PER_GROUP) -> list[Item]:
    query = _prefix_query(q)
    if query is None:
        return []
    newest = (
        visible_items(viewer)
        .filter(search_vector=query)
        .order_by("-created_at", "-id")
        .values("id")[:TYPEAHEAD_CAP]
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


def people_matching(*, q: str, limit: int = PER_GROUP) -> list[User]:
    """Active members by name or username: the directory is open to every
    signed-in member, so no community gate applies."""
    q = q.strip()
    if not q:
        return []
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(display_name__icontains=q) | Q(username__istartswith=q))
        .annotate(starts=_starts_first("display_name", q))
        .only("username", "display_name", "job_title")
        .order_by("starts", "display_name", "pk")[:limit]
    )


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
