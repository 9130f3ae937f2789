"""Reads from knowledge. Every list filters through communities.access, so
private content has one gate; querysets come back already joined.

Public reads other apps may use:
- tag_expertise_scores(tags=, viewer=, user_ids=): helpful marks received and
  accepted answers per member per tag.
- experts_for_tag(tag=, viewer=): members ranked on one tag.
- most_helpful_items(community=): the "read" step of the newcomer checklist.
- visible_items(viewer): items a member may see (not hidden).
"""

import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from taggit.models import Tag

from communities.access import (
    active_community_ids,
    communities_visible_to,
    visible_communities_q,
)
from communities.models import Community, Membership
from knowledge.models import (
    Adoption,
    HelpfulMark,
    Item,
    ItemKind,
    ItemTag,
    Reply,
)
from knowledge.permissions import ADOPTABLE_KINDS
from members.models import User

FEED_TABS = ("new", "helpful", "open")
MOST_HELPFUL_TOP = 10
# Search ranks at most this many of the most recent matches.
SEARCH_CAP = 1000
# "Who knows most" on a tag page weighs this many of the tag's latest items.
EXPERTS_RECENT_ITEMS = 2000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Sentinels PostgreSQL puts around matches; swapped for <mark> after escaping.
_HL_START, _HL_STOP = "\x02", "\x03"

LIST_RELATED = ("community", "author", "shared_from__community")


def visible_items(viewer):
    """Items in communities `viewer` may see, hidden ones left out. The gate
    is a semi-join on the few hundred visible community ids rather than a
    join to every item's community: PostgreSQL hashes it once."""
    return Item.objects.filter(
        community_id__in=communities_visible_to(viewer).values("pk"),
        hidden_at__isnull=True,
    )


# --- Keyset pagination -------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Position after the last row shown: (sort value, id)."""

    value: int
    id: int

    def encode(self) -> str:
        return f"{self.value}_{self.id}"

    @classmethod
    def decode(cls, raw: str | None):
        if not raw:
            return None
        value, _sep, pk = raw.partition("_")
        try:
            return cls(int(value), int(pk))
        except ValueError:
            return None


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def keyset_page(queryset, *, order: str, cursor: Cursor | None, size: int):
    """One page of `queryset` ordered newest first ("created") or most
    helpful first ("helpful"), after `cursor`. Returns (rows, next_cursor)."""
    field = "created_at" if order == "created" else "helpful_count"
    if cursor is not None:
        try:
            value = _moment(cursor.value) if field == "created_at" else cursor.value
        except OverflowError:
            value = None
        if value is not None:
            queryset = queryset.filter(
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": cursor.id})
            )
    rows = list(queryset.order_by(f"-{field}", "-id")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        value = (
            _micros(last.created_at) if field == "created_at" else last.helpful_count
        )
        next_cursor = Cursor(value, last.pk)
    return rows, next_cursor


# --- Community feed ----------------------------------------------------------


def community_feed(*, community: Community, tab: str, cursor, size: int):
    """Newest, most helpful or open questions in one community."""
    items = Item.objects.filter(community=community, hidden_at__isnull=True)
    items = items.select_related("author", "shared_from__community")
    if tab == "open":
        items = items.filter(kind=ItemKind.QUESTION, accepted_reply__isnull=True)
    rows, next_cursor = keyset_page(
        items,
        order="helpful" if tab == "helpful" else "created",
        cursor=cursor,
        size=size,
    )
    for row in rows:
        row.community = community  # spares a join; get_absolute_url needs it
    return rows, next_cursor


def hidden_items(*, community: Community, cursor, size: int):
    items = Item.objects.filter(community=community, hidden_at__isnull=False)
    return keyset_page(
        items.select_related("author", "hidden_by", "community"),
        order="created",
        cursor=cursor,
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


# --- Item page ---------------------------------------------------------------


def item_replies(*, item: Item):
    return list(
        Reply.objects.filter(item=item)
        .select_related("author", "hidden_by")
        .order_by("created_at", "id")
    )


def has_marked_helpful(*, item: Item, user) -> bool:
    return HelpfulMark.objects.filter(item=item, user_id=user.pk).exists()


def item_adoptions(*, item: Item, viewer) -> tuple[list[Adoption], int]:
    """Adoptions the viewer may read, and how many more happened in private
    communities they cannot see (counted, never named)."""
    adoptions = Adoption.objects.filter(item=item).select_related(
        "community", "recorded_by"
    )
    gate = visible_communities_q(viewer, "community__")
    if gate:  # an empty Q means "sees everything" (staff)
        adoptions = adoptions.annotate(
            visible=ExpressionWrapper(gate, output_field=BooleanField())
        )
    else:
        adoptions = adoptions.annotate(visible=Value(True))
    adoptions = list(adoptions.order_by("-created_at"))
    shown = [a for a in adoptions if a.visible]
    return shown, len(adoptions) - len(shown)


def item_shares(*, item: Item, viewer) -> list[Item]:
    """Linked copies of `item` the viewer may see."""
    return list(
        visible_items(viewer)
        .filter(shared_from=item)
        .select_related("community", "shared_by")
        .order_by("created_at")
    )


def _target_communities(user, item):
    return (
        Community.objects.filter(
            memberships__user_id=user.pk,
            memberships__status=Membership.Status.ACTIVE,
            archived_at__isnull=True,
        )
        .exclude(pk=item.community_id)
        .order_by("name")
    )


def share_targets(*, user, item: Item):
    """Communities `user` may share `item` into (not yet shared there)."""
    taken = Item.objects.filter(shared_from=item).values("community_id")
    return _target_communities(user, item).exclude(pk__in=taken)


def adoption_targets(*, user, item: Item):
    taken = Adoption.objects.filter(item=item).values("community_id")
    return _target_communities(user, item).exclude(pk__in=taken)


# --- Home page ---------------------------------------------------------------


def questions_you_could_answer(*, user, limit: int = 5) -> list[Item]:
    """Open questions in the member's communities tagged with their expertise."""
    expertise = list(user.expertise.names())
    if not expertise:
        return []
    ids = (
        Item.objects.filter(
            community_id__in=active_community_ids(user),
            community__archived_at__isnull=True,
            kind=ItemKind.QUESTION,
            accepted_reply__isnull=True,
            hidden_at__isnull=True,
            tags__name__in=expertise,
        )
        .exclude(author_id=user.pk)
        .values("id")
    )
    return list(
        Item.objects.filter(pk__in=ids)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


def latest_in_my_communities(*, user, limit: int = 8) -> list[Item]:
    return list(
        Item.objects.filter(
            community_id__in=active_community_ids(user), hidden_at__isnull=True
        )
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")[:limit]
    )


# --- Tags --------------------------------------------------------------------


def _tags_q(tags: list[str], prefix: str = "") -> Q:
    """Links to the named tags, by tag id. One tag compares with a scalar
    subquery, so PostgreSQL walks the (tag, item) index in item order."""
    tag_ids = Tag.objects.filter(name__in=tags).values("id")
    if len(tags) == 1:
        return Q(**{f"{prefix}tag_id": Subquery(tag_ids[:1])})
    return Q(**{f"{prefix}tag_id__in": tag_ids})


def _tag_links(*, tags: list[str], viewer):
    """Links from the tags to items `viewer` may see (not hidden)."""
    links = ItemTag.objects.filter(
        _tags_q(tags), content_object__hidden_at__isnull=True
    )
    if viewer is not None:
        links = links.filter(
            content_object__community_id__in=communities_visible_to(viewer).values("pk")
        )
    return links


def tag_items(*, tag: str, viewer, cursor, size: int):
    """A tag's items newest first, keyset-paginated. The page is found on the
    tag links' (tag, item_created_at, item) index and stops after one page,
    however common or rare the tag is; then only those items are fetched."""
    links = _tag_links(tags=[tag], viewer=viewer)
    if cursor is not None:
        try:
            moment = _moment(cursor.value)
        except OverflowError:
            moment = None
        if moment is not None:
            links = links.filter(
                Q(item_created_at__lt=moment)
                | Q(item_created_at=moment, content_object_id__lt=cursor.id)
            )
    page_ids = links.order_by("-item_created_at", "-content_object_id").values(
        "content_object_id"
    )[: size + 1]
    rows = list(
        Item.objects.filter(pk__in=page_ids)
        .select_related(*LIST_RELATED)
        .order_by("-created_at", "-id")
    )
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        next_cursor = Cursor(_micros(rows[-1].created_at), rows[-1].pk)
    return rows, next_cursor


def tag_expertise_scores(
    *,
    tags,
    viewer=None,
    user_ids=None,
    recent_items: int | None = None,
    community_ids=None,
) -> dict:
    """{(user_id, tag): {"helpful": n, "accepted": m}} for the given tags:
    helpful marks received on a member's items with the tag, and their
    accepted answers on questions with the tag. With a `viewer`, only
    communities they may see count; without, everything (for background jobs
    and staff dashboards). `community_ids` (ids or a subquery) narrows to
    those communities, e.g. what every reader of a digest may see. With
    `recent_items`, only the latest that many items carrying the tags count,
    so a page's cost stays flat however much the organisation has written on
    a popular tag."""
    tags = list(tags)
    links = _tag_links(tags=tags, viewer=viewer)
    if community_ids is not None:
        links = links.filter(content_object__community_id__in=community_ids)
    scores = defaultdict(lambda: {"helpful": 0, "accepted": 0})
    if recent_items is not None:
        # A bounded walk down the (tag, item) index; summed here, not in SQL,
        # so PostgreSQL never plans a join against every link of the tag.
        rows = links.order_by("-item_created_at", "-content_object_id").values_list(
            "tag__name",
            "content_object__author_id",
            "content_object__helpful_count",
            "content_object__accepted_reply__author_id",
            "content_object__accepted_reply__hidden_at",
        )[:recent_items]
        wanted = None if user_ids is None else set(user_ids)
        for name, author_id, helpful, answerer_id, answer_hidden in rows:
            if helpful and (wanted is None or author_id in wanted):
                scores[(author_id, name)]["helpful"] += helpful
            counts = answerer_id and answer_hidden is None
            if counts and (wanted is None or answerer_id in wanted):
                scores[(answerer_id, name)]["accepted"] += 1
        return dict(scores)
    helpful = links.filter(content_object__helpful_count__gt=0)
    accepted = links.filter(
        content_object__accepted_reply__isnull=False,
        content_object__accepted_reply__hidden_at__isnull=True,
    )
    if user_ids is not None:
        helpful = helpful.filter(content_object__author_id__in=user_ids)
        accepted = accepted.filter(
            content_object__accepted_reply__author_id__in=user_ids
        )
    for row in helpful.values(
        user=F("content_object__author_id"), name=F("tag__name")
    ).annotate(n=Sum("content_object__helpful_count")):
        scores[(row["user"], row["name"])]["helpful"] = row["n"]
    for row in accepted.values(
        user=F("content_object__accepted_reply__author_id"), name=F("tag__name")
    ).annotate(n=Count("id")):
        scores[(row["user"], row["name"])]["accepted"] = row["n"]
    return dict(scores)


def experts_for_tag(*, tag: str, viewer, limit: int = 10) -> list[User]:
    """Members who know most about `tag`: helpful marks received plus accepted
    answers (an accepted answer weighs as three marks), on the latest
    EXPERTS_RECENT_ITEMS items with the tag that `viewer` may see. Each user
    carries .helpful, .accepted and .score."""
    scores = tag_expertise_scores(
        tags=[tag], viewer=viewer, recent_items=EXPERTS_RECENT_ITEMS
    )
    ranked = sorted(
        (
            (v["helpful"] + 3 * v["accepted"], user_id, v)
            for (user_id, _t), v in scores.items()
        ),
        key=lambda row: (-row[0], row[1]),
    )[:limit]
    users = User.objects.in_bulk([user_id for _s, user_id, _v in ranked])
    experts = []
    for score, user_id, values in ranked:
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        user.helpful, user.accepted, user.score = (
            values["helpful"],
            values["accepted"],
            score,
        )
        experts.append(user)
    return experts


# --- Search ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    """Ids of the matches, best first, at most SEARCH_CAP of them; `capped`
    says more matched than that (the page then shows "1,000+ results")."""

    ids: list
    capped: bool

    @property
    def count(self) -> int:
        return len(self.ids)


def _search_query(q: str):
    return SearchQuery(q, search_type="websearch", config="english")


def search_items(
    *,
    viewer,
    q: str,
    community: Community | None = None,
    kind: str = "",
    tag: str = "",
    author: User | None = None,
    open_only: bool = False,
    cap: int | None = None,
) -> SearchResults:
    """What `viewer` may see matching `q` and the filters: on PostgreSQL the
    stored vector (title A, tags B, body C), ranked; newest first without words.

    A common word can match a third of the organisation's items, and ranking
    them all reads every matching row. So the candidates are the `cap` most
    recent matches (an index walk that stops early), ranked among themselves:
    the cost follows the cap, not the size of the match set."""
    cap = cap or SEARCH_CAP
    q = q.strip()
    ranked = bool(q)

    def where(prefix: str = "") -> Q:
        """The filters on an item reached through `prefix`."""
        found = Q()
        if community is not None:
            found &= Q(**{f"{prefix}community_id": community.pk})
        if kind:
            found &= Q(**{f"{prefix}kind": kind})
        if author is not None:
            found &= Q(**{f"{prefix}author_id": author.pk})
        if open_only:
            found &= Q(
                **{
                    f"{prefix}kind": ItemKind.QUESTION,
                    f"{prefix}accepted_reply__isnull": True,
                }
            )
        if ranked:
            found &= Q(**{f"{prefix}search_vector": _search_query(q)})
        return found

    if tag:
        # Walk the tag's links newest first: a rare tag never scans every item.
        newest = (
            _tag_links(tags=[tag], viewer=viewer)
            .filter(where("content_object__"))
            .order_by("-item_created_at", "-content_object_id")
            .values_list("content_object_id", "item_created_at")
        )
        candidates = newest.values("content_object_id")[: cap + 1]
    else:
        newest = (
            visible_items(viewer)
            .filter(where())
            .order_by("-created_at", "-id")
            .values_list("id", "created_at")
        )
        candidates = newest.values("id")[: cap + 1]
    if ranked:
        rows = list(
            Item.objects.filter(pk__in=candidates)
            .annotate(rank=SearchRank(F("search_vector"), _search_query(q)))
            .order_by("-rank", "-created_at", "-id")
            .values_list("id", "created_at")
        )
    else:
        rows = list(newest[: cap + 1])
    capped = len(rows) > cap
    if capped:
        # The one candidate past the cap is the oldest, wherever it ranked.
        rows.remove(min(rows, key=lambda row: (row[1], row[0])))
    ids = [pk for pk, _created in rows]
    return SearchResults(ids=ids, capped=capped)


def _plain_text(body_html):
    """The rendered body without its tags (entities stay, unescaped later):
    a snippet shows "Context A pump ran hot", not "## Context … *almost*".
    Only computed for the page's rows, inside the one query that reads them."""
    return Func(
        body_html,
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
    )


def _readable(text: str) -> str:
    return " ".join(html.unescape(text).split())


def search_page_items(*, ids, q: str) -> list[Item]:
    """The rows of one page of search results, in the order of `ids`, with a
    highlighted headline computed for these rows only."""
    items = Item.objects.filter(pk__in=ids).select_related(*LIST_RELATED)
    q = q.strip()
    if q:
        items = items.annotate(
            headline=SearchHeadline(
                _plain_text(F("body_html")),
                _search_query(q),
                config="english",
                start_sel=_HL_START,
                stop_sel=_HL_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
            )
        )
    by_id = {item.pk: item for item in items}
    return [by_id[pk] for pk in ids if pk in by_id]


def search_snippet(item: Item, q: str) -> str:
    """Safe HTML: the text escaped, only <mark> highlights allowed."""
    headline = getattr(item, "headline", None)
    if headline is not None:
        marked = (
            escape(_readable(headline))
            .replace(_HL_START, "<mark>")
            .replace(_HL_STOP, "</mark>")
        )
    else:
        text = _readable(strip_tags(item.body_html))
        text = text[:240] + ("…" if len(text) > 240 else "")
        marked = escape(text)
        needle = escape(q.strip())
        if needle:
            marked = re.sub(
                re.escape(needle),
                lambda m: f"<mark>{m.group(0)}</mark>",
                marked,
                flags=re.I,
            )
    return mark_safe(nh3.clean(marked, tags={"mark"}, attributes={}))  # noqa: S308


# --- Profile -----------------------------------------------------------------

PROFILE_ITEMS = 5


def contributions_of(*, member, viewer, limit: int = PROFILE_ITEMS):
    """A member's latest items and latest accepted answers, only where
    `viewer` may look (hidden items and answers left out)."""
    items = list(
        visible_items(viewer)
        .filter(author_id=member.pk)
        .select_related("community")
        .order_by("-created_at", "-id")[:limit]
    )
    answered = list(
        visible_items(viewer)
        .filter(
            accepted_reply__author_id=member.pk,
            accepted_reply__hidden_at__isnull=True,
        )
        .select_related("community")
        .order_by("-accepted_reply__created_at", "-id")[:limit]
    )
    return items, answered
