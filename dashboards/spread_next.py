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

from collections import defaultdict
from itertools import combinations

from django.db.models import Exists, F, OuterRef, QuerySet

from communities.access import (
    active_community_ids,
    visible_communities_key,
    visible_communities_q,
)
from communities.models import Community, CommunityTag, Membership
from communities.selectors import COMMUNITY_NAMES_VERSION
from dashboards.models import MissingBridge
from knowledge.models import Adoption, Item
from members.models import ExpertiseTag, LeadershipRole
from members.versioned_cache import cached

READY_MARKS = 3
# The most marked first; past this many a networker has enough to start with.
READY_LIMIT = 100
OVERLAP_SHOWN = 3


def ready_to_spread(viewer, *, home_only: bool, limit: int = READY_LIMIT) -> list:
    """Well-marked items not yet spread, most marked first, from the
    communities the viewer is an active member of (home_only) or every
    community they may see. Three queries.

    For a member, each community's most marked items are walked down its
    own helpful index and the lists merged (UNION ALL): one filter over all
    their communities read and sorted 18,000 rows, 0.45 s at full scale."""
    spread_elsewhere = Item.objects.filter(shared_from_id=OuterRef("pk")).exclude(
        community_id=OuterRef("community_id")
    )
    adopted_elsewhere = Adoption.objects.filter(item_id=OuterRef("pk")).exclude(
        community_id=OuterRef("community_id")
    )
    candidates = (
        Item.objects.filter(
            helpful_count__gte=READY_MARKS,
            hidden_at__isnull=True,
            shared_from__isnull=True,
            community__archived_at__isnull=True,
        )
        .exclude(Exists(spread_elsewhere))
        .exclude(Exists(adopted_elsewhere))
        .order_by("-helpful_count", "-pk")
        .values_list("pk", flat=True)
    )
    if home_only:
        communities = list(
            active_community_ids(viewer)
            .order_by("community_id")
            .values_list("community_id", flat=True)
        )
        parts = [candidates.filter(community_id=pk)[:limit] for pk in communities]
        if not parts:
            return []
        pks = list(parts[0].union(*parts[1:], all=True))
    else:
        visible = candidates.filter(visible_communities_q(viewer, "community__"))
        pks = list(visible[:limit])
    return list(
        Item.objects.filter(pk__in=pks)
        .select_related("community")
        # Only what the lists show.
        .only(
            "pk",
            "title",
            "tag_names",
            "helpful_count",
            "community_id",
            "community__name",
            "community__slug",
        )
        .order_by("-helpful_count", "-pk")[:limit]
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
