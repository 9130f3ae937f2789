"""Who a newcomer's plan is with: the steward for the check-in, an internal
networker from another community, a peer coach.

Privacy: the networker is found only through OPEN communities. A plan is
read by the newcomer and by the community's stewards, and neither may be
able to see a private community, so a private community's members are never
suggested through it (its tags never reach outside either)."""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from communities.models import CommunityTag, Membership, Visibility
from journeys.models import StepKind
from members.models import ExpertiseTag, InterestTag, LeadershipRole

Status = Membership.Status
Role = Membership.Role

# A peer joined within this many days of the newcomer.
PEER_WINDOW_DAYS = 60
PEER_CANDIDATES = 200


def checkin_steward_for(*, community_id: int, exclude_user_id: int | None = None):
    """The community's active steward with the fewest open check-ins to hold
    (the longest-serving first on a tie); None if there is none."""
    open_checkins = Count(
        "user__journeys_owned_steps",
        filter=Q(
            user__journeys_owned_steps__kind=StepKind.CHECKIN,
            user__journeys_owned_steps__done_at__isnull=True,
            user__journeys_owned_steps__plan__closed_at__isnull=True,
        ),
    )
    membership = (
        Membership.objects.filter(
            community_id=community_id,
            status=Status.ACTIVE,
            role=Role.STEWARD,
            user__is_active=True,
        )
        .exclude(user_id=exclude_user_id)
        .annotate(load=open_checkins)
        .select_related("user")
        .order_by("load", "joined_at", "pk")
        .first()
    )
    return membership.user if membership else None


def networker_for(*, community_id: int, user_id: int):
    """(networker, their community): an internal networker who is an active
    member of another open community sharing the most topics with this one,
    and not already a member here. (None, None) when there is none."""
    tag_ids = CommunityTag.objects.filter(content_object_id=community_id).values(
        "tag_id"
    )
    ranked = list(
        CommunityTag.objects.filter(
            tag_id__in=tag_ids,
            content_object__visibility=Visibility.OPEN,
            content_object__archived_at__isnull=True,
        )
        .exclude(content_object_id=community_id)
        .values("content_object_id")
        .annotate(shared=Count("tag_id"))
        .order_by("-shared", "content_object_id")
        .values_list("content_object_id", flat=True)[:50]
    )
    if not ranked:
        return None, None
    here = Membership.objects.filter(
        community_id=community_id, status=Status.ACTIVE
    ).values("user_id")
    candidates = (
        Membership.objects.filter(
            community_id__in=ranked,
            status=Status.ACTIVE,
            user__is_active=True,
            user__leadership_role=LeadershipRole.NETWORKER,
        )
        .exclude(user_id=user_id)
        .exclude(user_id__in=here)
        .select_related("user", "community")
        .order_by("pk")
    )
    rank = {cid: i for i, cid in enumerate(ranked)}
    best = min(candidates, key=lambda m: (rank[m.community_id], m.pk), default=None)
    if best is None:
        return None, None
    return best.user, best.community


def peer_for(*, community_id: int, user, started: datetime):
    """A member of the community (not a steward) who joined within
    PEER_WINDOW_DAYS before the newcomer or shares their interests; most
    shared interests first, then the closest join date."""
    interest_ids = set(
        InterestTag.objects.filter(content_object_id=user.pk).values_list(
            "tag_id", flat=True
        )
    )
    sharing = Q(
        user_id__in=InterestTag.objects.filter(tag_id__in=interest_ids).values(
            "content_object_id"
        )
    ) | Q(
        user_id__in=ExpertiseTag.objects.filter(tag_id__in=interest_ids).values(
            "content_object_id"
        )
    )
    recent = Q(joined_at__gte=started - timedelta(days=PEER_WINDOW_DAYS))
    condition = recent | sharing if interest_ids else recent
    candidates = list(
        Membership.objects.filter(
            condition,
            community_id=community_id,
            status=Status.ACTIVE,
            role=Role.MEMBER,
            user__is_active=True,
        )
        .exclude(user_id=user.pk)
        .select_related("user")
        .order_by("-joined_at", "pk")[:PEER_CANDIDATES]
    )
    if not candidates:
        return None
    ids = [m.user_id for m in candidates]
    tags_of: dict[int, set] = {}
    for model in (InterestTag, ExpertiseTag):
        for uid, tid in model.objects.filter(
            content_object_id__in=ids, tag_id__in=interest_ids
        ).values_list("content_object_id", "tag_id"):
            tags_of.setdefault(uid, set()).add(tid)

    def score(m):
        gap = abs((started - (m.joined_at or started)).total_seconds())
        return (-len(tags_of.get(m.user_id, ())), gap, m.pk)

    return min(candidates, key=score).user
