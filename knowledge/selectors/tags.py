"""Tag pages and expertise: a tag's items, and who knows most about a tag."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from taggit.models import Tag

from communities.access import (
    communities_visible_to,
    visible_communities_key,
    visible_communities_key_of,
    visible_community_ids_text,
)
from config import compiled_queries
from knowledge.models import Item, ItemTag, Reply
from knowledge.selectors.visibility import LIST_RELATED, LIST_ROW_FIELDS
from members.models import User
from members.pagination import (
    KeysetPage,
    Position,
    first_page,
    first_window,
    keyset_page,
)
from members.versioned_cache import cached

# "Who knows most" on a tag page weighs this many of the tag's latest items.
EXPERTS_RECENT_ITEMS = 2000


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


def _marked_replies(item_ref: str) -> ArraySubquery:
    """[[reply author id, helpful marks], ...] of the item's visible replies
    that were marked helpful: a few rows on a small partial index, read in
    the same query as the item."""
    return ArraySubquery(
        Reply.objects.filter(
            item_id=OuterRef(item_ref), helpful_count__gt=0, hidden_at__isnull=True
        )
        .order_by()
        .values(
            pair=Func(
                F("author_id"),
                F("helpful_count"),
                function="ARRAY",
                template="%(function)s[%(expressions)s]::bigint[]",
                output_field=ArrayField(BigIntegerField()),
            )
        )
    )


def tag_items(*, tag: str, viewer, position: Position, size: int) -> KeysetPage:
    """A tag's items newest first, one keyset page from `position`. The page
    is found on the tag links' (tag, item_created_at, item) index and stops
    after one page, however common or rare the tag is; then only those items
    are fetched, in the same query. The first page, which nearly every view
    asks for, is a query compiled once per process (config.
    compiled_queries): building it with the ORM cost ~2 ms of CPU a view,
    more than running it."""
    if position.is_top and viewer.is_authenticated:
        staff = viewer.is_staff
        rows = compiled_queries.instances(
            f"tag-page:{'staff' if staff else 'member'}:{size}",
            functools.partial(_first_tag_items, size=size),
            only=LIST_ROW_FIELDS,
            tag=tag,
            **({} if staff else {"viewer_id": viewer.pk}),
        )
        return first_page(rows, size=size, row_key=_item_key)
    return keyset_page(
        _tag_links(tags=[tag], viewer=viewer),
        position,
        size=size,
        order=("item_created_at", "content_object_id"),
        rows_of=_items_of,
        row_key=_item_key,
    )


def _items_of(links):
    return (
        Item.objects.filter(pk__in=links.values("content_object_id"))
        .select_related(*LIST_RELATED)
        .only(*LIST_ROW_FIELDS)
    )


def _item_key(item) -> tuple:
    return (item.created_at, item.pk)


def _first_tag_items(*, size: int, tag: str, viewer_id: int | None = None):
    """tag_items()'s first page for a member (`viewer_id`) or for staff
    (None), as a queryset whose shape depends only on that and `size`. Only
    the viewer's id and staff flag decide what they may see
    (visible_communities_q), so an unsaved user stands in for them."""
    viewer = User(pk=viewer_id, is_staff=viewer_id is None)
    window = first_window(
        _tag_links(tags=[tag], viewer=viewer),
        size=size,
        order=("item_created_at", "content_object_id"),
    )
    return _items_of(window)


def tag_expertise_scores(
    *,
    tags,
    viewer=None,
    user_ids=None,
    recent_items: int | None = None,
    community_ids=None,
) -> dict:
    """{(user_id, tag): {"helpful": n, "accepted": m}} for the given tags:
    helpful marks received on a member's items with the tag and on their
    replies to items with the tag, and their accepted answers on questions
    with the tag. With a `viewer`, only
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
        rows = (
            links.order_by("-item_created_at", "-content_object_id")
            .annotate(reply_marks=_marked_replies("content_object_id"))
            .values_list(
                "tag__name",
                "content_object__author_id",
                "content_object__helpful_count",
                "content_object__accepted_reply__author_id",
                "content_object__accepted_reply__hidden_at",
                "reply_marks",
            )[:recent_items]
        )
        wanted = None if user_ids is None else set(user_ids)
        for name, author_id, helpful, answerer_id, answer_hidden, marked in rows:
            if helpful and (wanted is None or author_id in wanted):
                scores[(author_id, name)]["helpful"] += helpful
            counts = answerer_id and answer_hidden is None
            if counts and (wanted is None or answerer_id in wanted):
                scores[(answerer_id, name)]["accepted"] += 1
            for replier_id, marks in marked or ():
                if wanted is None or replier_id in wanted:
                    scores[(replier_id, name)]["helpful"] += marks
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
    # One filter() call, so every condition applies to the same reply.
    marked = {
        "content_object__replies__helpful_count__gt": 0,
        "content_object__replies__hidden_at__isnull": True,
    }
    if user_ids is not None:
        marked["content_object__replies__author_id__in"] = user_ids
    for row in (
        links.filter(**marked)
        .values(user=F("content_object__replies__author_id"), name=F("tag__name"))
        .annotate(n=Sum("content_object__replies__helpful_count"))
    ):
        scores[(row["user"], row["name"])]["helpful"] += row["n"]
    return dict(scores)


def tag_versions(names) -> list[str]:
    """The cache versions (members.versioned_cache) of these tags' pages."""
    return [f"tag:{name}" for name in names]


@dataclass(frozen=True)
class VisibleCommunities:
    """The communities `viewer` may see inside: their ids, and a short key
    for them (viewers who see the same communities share cached figures)."""

    key: str
    ids: frozenset


def visible_communities(viewer) -> VisibleCommunities:
    """Which communities `viewer` may see inside, read now: joining, leaving
    or a community turning private changes the key at once. The key is
    communities.access.visible_communities_key's, from the same one query."""
    ids = visible_community_ids_text(viewer)
    return VisibleCommunities(
        key=visible_communities_key_of(ids),
        ids=frozenset(int(pk) for pk in ids.split(",") if pk),
    )


def experts_for_tag(*, tag: str, viewer, limit: int = 10) -> list[User]:
    """Members who know most about `tag`: helpful marks received (on their
    items and their replies) plus accepted answers (an accepted answer weighs
    as three marks), on the latest EXPERTS_RECENT_ITEMS items with the tag
    that `viewer` may see. Each user carries .helpful, .accepted and .score.

    The ranking is cached per tag and set of visible communities until the
    knowledge services change something the tag's items show
    (knowledge.services.tag_pages_changed); the members themselves are read
    fresh, so a name change or a deactivation shows at once."""

    def ranking():
        scores = tag_expertise_scores(
            tags=[tag], viewer=viewer, recent_items=EXPERTS_RECENT_ITEMS
        )
        return sorted(
            (
                (v["helpful"] + 3 * v["accepted"], user_id, v["helpful"], v["accepted"])
                for (user_id, _t), v in scores.items()
            ),
            key=lambda row: (-row[0], row[1]),
        )[:limit]

    ranked = cached(
        f"tag-experts:{tag}:{limit}:{visible_communities_key(viewer)}",
        tag_versions([tag]),
        ranking,
    )
    users = User.objects.only("username", "display_name", "is_active").in_bulk(
        [user_id for _s, user_id, _h, _a in ranked]
    )
    experts = []
    for score, user_id, helpful, accepted in ranked:
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        user.helpful, user.accepted, user.score = helpful, accepted, score
        experts.append(user)
    return experts
