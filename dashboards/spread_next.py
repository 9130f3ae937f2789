"""What could spread next, for internal networkers (Henschel: spread what
already works).

- Ready to spread: items marked helpful by at least READY_MARKS members in
  their own community that no other community has a shared copy of or has
  adopted, with the communities whose topics overlap the item's tags.
- Missing bridges: two communities whose topics overlap but that share no
  active member and have never shared or adopted from each other; each with
  a suggested networker (a networker taking part in one of the two, the one
  whose expertise covers most of the common topics first). Computed nightly
  for every pair; a viewer sees only pairs of communities they can see.
"""

import heapq
from collections import defaultdict
from itertools import combinations

from django.db import router
from django.db.models import Exists, F, OuterRef, QuerySet

from communities.access import (
    visible_communities_key,
    visible_communities_q,
)
from communities.models import Community, CommunityTag, Membership
from communities.selectors import COMMUNITY_NAMES_VERSION
from config import compiled_queries
from dashboards.models import MissingBridge
from knowledge.models import Adoption, Item
from knowledge.selectors.feeds import community_items_version
from members.models import ExpertiseTag, LeadershipRole
from members.versioned_cache import cached, cached_many

READY_MARKS = 3
# The most marked first; past this many a networker has enough to start with.
READY_LIMIT = 100
OVERLAP_SHOWN = 3


def ready_to_spread(viewer, *, home_only: bool, limit: int = READY_LIMIT) -> list:
    """Well-marked items not yet spread, most marked first, from the
    communities the viewer is an active member of (home_only) or every
    community they may see: two queries either way, the member's from a
    cache (`_ready_in_own_communities`)."""
    if home_only:
        return _ready_in_own_communities(viewer, limit)
    visible = _candidates().filter(
        visible_communities_q(viewer, "community__"),
        community__archived_at__isnull=True,
    )
    return _rows(list(visible.values_list("pk", flat=True)[:limit]), limit)


def _candidates() -> QuerySet:
    """Well-marked originals that no other community has a copy of or has
    adopted, most marked first."""
    spread_elsewhere = Item.objects.filter(shared_from_id=OuterRef("pk")).exclude(
        community_id=OuterRef("community_id")
    )
    adopted_elsewhere = Adoption.objects.filter(item_id=OuterRef("pk")).exclude(
        community_id=OuterRef("community_id")
    )
    return (
        Item.objects.filter(
            helpful_count__gte=READY_MARKS,
            hidden_at__isnull=True,
            shared_from__isnull=True,
        )
        .exclude(Exists(spread_elsewhere))
        .exclude(Exists(adopted_elsewhere))
        .order_by("-helpful_count", "-pk")
    )


def _ready_in_own_communities(viewer, limit: int) -> list:
    """Each community's candidates are the same for everyone, so they are
    cached per community (`_ready_of`) under its items version, which its
    marks, hides, restores and edits bump, and a share or an adoption of
    one of its items by another community (knowledge.services); the
    viewer's active communities, and whether each is archived, are read on
    every view, and the rows again by primary key and checked (hidden,
    archived, still well marked), so an entry left behind by a write round
    the services can only shorten the list, never show an item of a
    community the viewer is not in. Built on every view as a UNION of one
    walk per community, the home section of an internal networker of the
    largest community (bench5, 5 communities) cost 11-15 ms of CPU and
    three queries; now 2.3-2.7 ms and two (in-process, load 3-4)."""
    live = sorted(
        pk
        for pk, archived in compiled_queries.rows(
            "ready-to-spread-communities", _own_communities, user_id=viewer.pk
        )
        if archived is None
    )
    if not live:
        return []
    depth = max(limit, READY_LIMIT)
    per_community = cached_many(
        {f"ready-to-spread:{pk}:{depth}": community_items_version(pk) for pk in live},
        _ready_of,
    )
    best = heapq.nsmallest(
        limit,
        (entry for entries in per_community.values() for entry in entries),
    )
    rows = _rows([-negated_pk for _marks, negated_pk in best], limit)
    return [
        item
        for item in rows
        if item.hidden_at is None
        and item.community_id in live
        and item.community.archived_at is None
        and item.helpful_count >= READY_MARKS
    ]


def _own_communities(*, user_id):
    """(id, archived_at) of the member's active communities. Compiled once
    per process (config.compiled_queries), as the rows are."""
    return Membership.objects.filter(
        user_id=user_id, status=Membership.Status.ACTIVE
    ).values_list("community_id", "community__archived_at")


def _ready_of(keys: list[str]) -> dict[str, list[tuple[int, int]]]:
    """For each key "ready-to-spread:<community id>:<depth>", that many of
    the community's candidates as (-marks, -id), most marked first: one
    walk down each community's helpful index, merged in one query (one
    filter over all of a member's communities read and sorted 18,000 rows,
    0.45 s at full scale)."""
    wanted = {}
    for key in keys:
        _name, community_id, depth = key.split(":")
        wanted[key] = (int(community_id), int(depth))
    parts = [
        _candidates()
        .filter(community_id=community_id)
        .values_list("community_id", "pk", "helpful_count")[:depth]
        for community_id, depth in wanted.values()
    ]
    found = defaultdict(list)
    for community_id, pk, marks in parts[0].union(*parts[1:], all=True):
        found[community_id].append((-marks, -pk))
    return {
        key: sorted(found.get(community_id, []))
        for key, (community_id, _) in wanted.items()
    }


# What the lists show of an item and its community, and what is checked again.
ROW_FIELDS = {"id", "title", "tag_names", "helpful_count", "hidden_at", "community_id"}
ROW_COMMUNITY_FIELDS = {"id", "name", "slug", "archived_at"}


def _in_model_order(model, attnames: set) -> list[str]:
    """Model.from_db() takes a subset of the columns in the model's order."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in attnames]


def _rows(pks: list[int], limit: int) -> list:
    """These items (at most `limit`), most marked first, with only the
    columns the lists show loaded (as .only() would) and their community's
    name, slug and archive date. The query has one shape per `limit` (the
    ids padded with 0, which no item has), so it is compiled once per
    process (config.compiled_queries): built with the ORM on every view it
    cost a networker's home ~1.5 ms of CPU more."""
    pks = pks[:limit]
    values = {f"pk{n}": pk for n, pk in enumerate(pks + [0] * (limit - len(pks)))}
    found = compiled_queries.rows(
        f"ready-to-spread-rows:{limit}", _rows_query, **values
    )
    db = router.db_for_read(Item)
    fields = _in_model_order(Item, ROW_FIELDS)
    community_fields = _in_model_order(Community, ROW_COMMUNITY_FIELDS)
    items = []
    for row in found:
        item = Item.from_db(db, fields, row[: len(fields)])
        item.community = Community.from_db(db, community_fields, row[len(fields) :])
        items.append(item)
    items.sort(key=lambda item: (-item.helpful_count, -item.pk))
    return items


def _rows_query(**pks):
    return Item.objects.filter(pk__in=list(pks.values())).values_list(
        *_in_model_order(Item, ROW_FIELDS),
        *(
            f"community__{name}"
            for name in _in_model_order(Community, ROW_COMMUNITY_FIELDS)
        ),
    )


def topic_index(viewer) -> dict[str, list[tuple]]:
    """{tag: [(id, name, slug) of live communities the viewer may see with
    that topic]}. The same for everyone who sees the same communities, so
    cached under their key (read now: a join, a leave or a community turning
    private changes it at once) until a community is created, changed,
    archived or reopened (COMMUNITY_NAMES_VERSION); a networker's home
    built it afresh on every view (600 rows at full scale, 1.5 ms)."""

    def index():
        found = defaultdict(list)
        for tag, *community in CommunityTag.objects.filter(
            visible_communities_q(viewer, "content_object__"),
            content_object__archived_at__isnull=True,
        ).values_list(
            "tag__name",
            "content_object_id",
            "content_object__name",
            "content_object__slug",
        ):
            found[tag].append(tuple(community))
        return dict(found)

    return cached(
        f"topic-index:{visible_communities_key(viewer)}",
        [COMMUNITY_NAMES_VERSION],
        index,
    )


def overlapping(item, index: dict) -> list[Community]:
    """Up to OVERLAP_SHOWN other communities whose topics share most tags
    with the item's, most first."""
    counts = defaultdict(int)
    found = {}
    for tag in item.tag_list:
        for pk, name, slug in index.get(tag, ()):
            if pk != item.community_id:
                counts[pk] += 1
                found[pk] = (name, slug)
    best = sorted(counts, key=lambda pk: (-counts[pk], found[pk][0]))
    return [
        Community(pk=pk, name=found[pk][0], slug=found[pk][1])
        for pk in best[:OVERLAP_SHOWN]
    ]


def missing_bridges_compute() -> list[dict]:
    """Every pair of live communities with common topics, no common active
    member and no share or adoption between them (four queries)."""
    topics = defaultdict(set)
    for pk, tag in CommunityTag.objects.filter(
        content_object__archived_at__isnull=True
    ).values_list("content_object_id", "tag__name"):
        topics[pk].add(tag)
    by_tag = defaultdict(set)
    for pk, tags in topics.items():
        for tag in tags:
            by_tag[tag].add(pk)
    candidates = defaultdict(set)
    for tag, pks in by_tag.items():
        for a, b in combinations(sorted(pks), 2):
            candidates[(a, b)].add(tag)
    if not candidates:
        return []
    # Two communities with a common active member, each pair once.
    common_members = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            user__memberships__status=Membership.Status.ACTIVE,
            user__memberships__community_id__gt=F("community_id"),
        )
        .values_list("community_id", "user__memberships__community_id")
        .distinct()
        .order_by()
    )
    connected = set(common_members)
    flows = Item.objects.filter(shared_from__isnull=False).values_list(
        "community_id", "shared_from__community_id"
    )
    adoptions = Adoption.objects.values_list("community_id", "item__community_id")
    for qs in (flows, adoptions):
        for a, b in qs.distinct().order_by():
            connected.add((min(a, b), max(a, b)))
    networkers = defaultdict(list)
    for community_id, user_id in (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            user__leadership_role=LeadershipRole.NETWORKER,
            user__is_active=True,
        )
        .values_list("community_id", "user_id")
        .order_by("user_id")
    ):
        networkers[community_id].append(user_id)
    expertise = defaultdict(set)
    for user_id, tag in ExpertiseTag.objects.filter(
        content_object__leadership_role=LeadershipRole.NETWORKER
    ).values_list("content_object_id", "tag__name"):
        expertise[user_id].add(tag)
    found = []
    for (a, b), common in candidates.items():
        if (a, b) in connected:
            continue
        people = networkers.get(a, []) + networkers.get(b, [])
        suggested = min(
            people,
            key=lambda p: (-len(expertise.get(p, set()) & common), p),
            default=None,
        )
        found.append(
            {
                "first_id": a,
                "second_id": b,
                "topics": " ".join(sorted(common))[:500],
                "overlap": len(common),
                "networker_id": suggested,
            }
        )
    return found


def missing_bridges_for(snapshot, viewer) -> QuerySet:
    """The snapshot's missing bridges between two communities the viewer may
    see, widest overlap first."""
    if snapshot is None:
        return MissingBridge.objects.none()
    return (
        MissingBridge.objects.filter(
            visible_communities_q(viewer, "first__"),
            visible_communities_q(viewer, "second__"),
            snapshot=snapshot,
        )
        .select_related("first", "second", "networker")
        .order_by("-overlap", "first__name", "second__name", "pk")
    )
