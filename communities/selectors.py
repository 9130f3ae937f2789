"""Reads for communities. Each returns rows already joined, annotated or
prefetched so a page costs the same number of queries whatever its size."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from taggit.models import Tag

from communities import access
from communities.models import Community, CommunityTag, MemberCount, Membership
from communities.services.counts import members_version
from config import compiled_queries
from members.models import LeadershipRole, User
from members.pagination import RowWindow
from members.tags import tags_of
from members.versioned_cache import cached

Status = Membership.Status

# The cache version (members.versioned_cache) of communities' names, slugs
# and purposes as lists show them (the search page's filter and "communities
# matching"); community_create and community_update bump it. Who may see a
# community is never left to it: such lists are keyed by the visible set.
COMMUNITY_NAMES_VERSION = "community-names"
Role = Membership.Role

# Size and activity sort only the communities whose figures the member may
# see: a private community they are not in comes after those, by name, so its
# place in the list cannot reveal how big or busy it is.
SORTS = {
    "activity": (F("seen_activity").desc(nulls_last=True),),
    "size": (
        F("seen_size").desc(nulls_last=True),
        F("seen_activity").desc(nulls_last=True),
    ),
    "newest": ("-created_at",),
}
DEFAULT_SORT = "activity"
# The three kinds of leader a healthy community of leaders needs (Senge).
LEADERSHIP_ROLES = (
    LeadershipRole.LINE_LEADER,
    LeadershipRole.EXECUTIVE,
    LeadershipRole.NETWORKER,
)


def newcomer_cutoff():
    return timezone.now() - timedelta(days=settings.PRACTICA_NEWCOMER_DAYS)


def active_member_count():
    """Annotation: a community's active members (its "size"), from the
    counters the membership services keep (a few index rows, not a count of
    every membership)."""
    counts = (
        MemberCount.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(n=Sum("active"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


# --- The list -------------------------------------------------------------------


def community_list(
    *,
    user,
    q: str = "",
    tag: str = "",
    sort: str = DEFAULT_SORT,
    prefetch_tags: bool = True,
) -> QuerySet:
    """Every community (private ones too: the page shows them by name and
    purpose only), the member's own first, then by `sort`. Without
    `prefetch_tags`, read a page's topics with topics_by_community()."""
    mine = Membership.objects.filter(community=OuterRef("pk"), user_id=user.pk)
    inside = access.visible_communities_q(user) or Q(pk__isnull=False)  # staff: all
    qs = Community.objects.annotate(
        size=active_member_count(),
        my_status=Subquery(mine.values("status")[:1]),
        is_mine=Exists(mine.filter(status=Status.ACTIVE)),
        seen_size=Case(When(inside, then=F("size")), default=None),
        seen_activity=Case(When(inside, then=F("last_activity_at")), default=None),
    )
    if prefetch_tags:
        qs = qs.prefetch_related("tags")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    if tag:
        # A private community's tags are part of its insides.
        qs = qs.filter(inside, tags__slug=tag)
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    return qs.order_by(F("is_mine").desc(), *order, "name", "pk")


# What a card of the list shows of a community (communities/list_cards.py)
# and of the viewer's standing in it.
LIST_CARD_FIELDS = (
    "name",
    "slug",
    "purpose",
    "visibility",
    "archived_at",
    "last_activity_at",
)
LIST_CARD_STANDING = ("size", "my_status", "is_mine")


def community_list_rows(*, user, q: str, tag: str, sort: str, page: str | None):
    """The rows the list's paginator pages, for page `page` (its query
    parameter) of the list searched for `q` and `tag`: the unsearched
    list's first page from community_list_first_page, anything else from
    community_list."""
    if q or tag or page not in (None, "", "1"):
        return community_list(user=user, q=q, tag=tag, sort=sort, prefetch_tags=False)
    return community_list_first_page(user=user, sort=sort, size=settings.PAGE_SIZE)


def community_list_first_page(*, user, sort: str, size: int) -> RowWindow:
    """The unsearched list's first `size` communities, as community_list
    orders them, with what their cards show, and how many there are: the
    page nearly every view asks for, its rows from a query compiled once per
    process (config.compiled_queries; building community_list's annotated
    queryset cost more CPU than running it). Other pages, a search and a
    topic go through community_list."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    staff = bool(user.is_staff)
    rows = compiled_queries.instances(
        f"community-list:{sort}:{'staff' if staff else 'member'}:{size}",
        lambda user_id: community_list(
            user=User(pk=user_id, is_staff=staff), sort=sort, prefetch_tags=False
        )[:size],
        only=LIST_CARD_FIELDS,
        extra=LIST_CARD_STANDING,
        user_id=user.pk,
    )
    count = Community.objects.count()
    # A community made or deleted between the two reads: the count agrees
    # with the rows read (a short page is the whole list).
    count = len(rows) if len(rows) < size else max(count, len(rows))
    return RowWindow(count, 0, rows)


def topics_by_community(community_ids) -> dict[int, list[tuple[str, str]]]:
    """{community id: [(tag slug, name), ...] by name} in one query."""
    return tags_of(CommunityTag, community_ids)


def popular_tags(*, user, limit: int = 30) -> list[Tag]:
    """Topics to filter by, from communities whose insides `user` may see.
    Cached per set of visible communities until a community's topics change
    (community create and update bump COMMUNITY_NAMES_VERSION)."""
    return cached(
        f"topic-filter:{limit}:{access.visible_communities_key(user)}",
        [COMMUNITY_NAMES_VERSION],
        lambda: list(
            Tag.objects.filter(
                communities_communitytag_items__content_object__in=(
                    access.communities_visible_to(user).values("pk")
                )
            )
            .annotate(n=Count("communities_communitytag_items"))
            .order_by("-n", "name")[:limit]
        ),
    )


# --- One community ------------------------------------------------------------------


def community_topics(community) -> list[dict]:
    """The community's topics ({"slug", "name"}, by name) for its page's
    header: cached until a community is created or updated (the services
    that set topics bump COMMUNITY_NAMES_VERSION). Looked up only for a
    community the page has let the viewer see."""
    return cached(
        f"community-topics:{community.pk}",
        [COMMUNITY_NAMES_VERSION],
        lambda: [
            {"slug": tag.slug, "name": tag.name}
            for tag in community.tags.order_by("name")
        ],
    )


def community_stewards(community) -> list[Membership]:
    return list(
        Membership.objects.filter(
            community=community, status=Status.ACTIVE, role=Role.STEWARD
        )
        .select_related("user")
        .order_by("user__display_name", "pk")
    )


@dataclass
class RoleGroup:
    role: str
    label: str
    count: int = 0
    members: list = field(default_factory=list)


@dataclass
class MemberOverview:
    total: int
    groups: list[RoleGroup]
    # Labels of the leadership roles nobody in the community holds.
    missing: list[str]


def member_overview(community, *, per_group: int = 8) -> MemberOverview:
    """Active members grouped by leadership role: a count and the first few
    of each group (stewards first, then by name; shown by name), in two
    queries whatever the size. The counts are the services' counters; which
    members make the sample is cached until the community's members change
    (their ids only: names and faces are read fresh)."""
    counts = dict(
        MemberCount.objects.filter(community=community, active__gt=0).values_list(
            "leadership_role", "active"
        )
    )
    groups = {role: RoleGroup(role=role, label=role.label) for role in LeadershipRole}
    for role, n in counts.items():
        if role in groups:
            groups[role].count = n
    for membership in _overview_sample(community, per_group):
        group = groups.get(membership.user.leadership_role)
        if group is not None and len(group.members) < per_group:
            group.members.append(membership)
    return MemberOverview(
        total=sum(counts.values()),
        groups=[groups[role] for role in LeadershipRole],
        missing=[role.label for role in LEADERSHIP_ROLES if not counts.get(role)],
    )


def _sample_order(membership):
    return (membership.user.display_name, membership.pk)


def _overview_sample(community, per_group: int) -> list[Membership]:
    """The first `per_group` active members of each leadership role. Computed
    (a window over every active membership) only when the community's
    members changed (communities.services.counts.members_changed); otherwise
    the cached ids are read back by primary key."""
    computed = []

    def compute():
        steward_first = Case(
            When(role=Role.STEWARD, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        computed.extend(
            Membership.objects.filter(community=community, status=Status.ACTIVE)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("user__leadership_role")],
                    order_by=[
                        steward_first.asc(),
                        F("user__display_name").asc(),
                        F("pk").asc(),
                    ],
                )
            )
            .filter(rank__lte=per_group)
            .select_related("user")
        )
        return [membership.pk for membership in computed]

    ids = cached(
        f"community-overview:{community.pk}:{per_group}",
        [members_version(community.pk)],
        compute,
    )
    if not computed:
        # A cached sample: its rows read fresh (a member who left since is
        # left out; a new name shows at once).
        computed = list(
            Membership.objects.filter(pk__in=ids, status=Status.ACTIVE).select_related(
                "user"
            )
        )
    return sorted(computed, key=_sample_order)


def community_members(community, *, q: str = "", role: str = "") -> QuerySet:
    """Active members for the members page: stewards first, then by name."""
    qs = (
        Membership.objects.filter(community=community, status=Status.ACTIVE)
        .select_related("user")
        .annotate(
            steward_first=Case(
                When(role=Role.STEWARD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )
    if q:
        qs = qs.filter(
            Q(user__display_name__icontains=q) | Q(user__job_title__icontains=q)
        )
    if role in LeadershipRole.values:
        qs = qs.filter(user__leadership_role=role)
    return qs.order_by("steward_first", "user__display_name", "pk")


@dataclass
class Newcomers:
    """What stewards see about people finding their feet."""

    days: int
    recent_count: int
    quiet_count: int
    recent: list[Membership]
    # Newcomers who have not introduced themselves or posted yet.
    quiet: list[Membership]


def newcomers_for_stewards(community, *, limit: int = 10) -> Newcomers:
    newcomers = Membership.objects.filter(
        community=community, status=Status.ACTIVE, joined_at__gte=newcomer_cutoff()
    )
    counts = newcomers.aggregate(
        recent=Count("pk"), quiet=Count("pk", filter=Q(introduced_at__isnull=True))
    )
    ordered = newcomers.select_related("user").order_by("-joined_at", "-pk")
    return Newcomers(
        days=settings.PRACTICA_NEWCOMER_DAYS,
        recent_count=counts["recent"],
        quiet_count=counts["quiet"],
        recent=list(ordered[:limit]) if counts["recent"] else [],
        quiet=(
            list(ordered.filter(introduced_at__isnull=True)[:limit])
            if counts["quiet"]
            else []
        ),
    )


def pending_requests(community) -> QuerySet:
    return (
        Membership.objects.filter(community=community, status=Status.PENDING)
        .select_related("user")
        .order_by("updated_at", "pk")
    )


def open_invitations(community) -> QuerySet:
    return (
        Membership.objects.filter(community=community, status=Status.INVITED)
        .select_related("user", "invited_by")
        .order_by("-updated_at", "-pk")
    )


# --- A member's own communities ------------------------------------------------------


def my_communities(user) -> QuerySet:
    """Communities where `user` is active, most recently active first, with
    what the home panel shows of them and nothing else (the long
    descriptions are not read for a list of names)."""
    return (
        Community.objects.filter(
            memberships__user_id=user.pk, memberships__status=Status.ACTIVE
        )
        .only("name", "slug", "archived_at", "last_activity_at")
        .annotate(size=active_member_count())
        .order_by("-last_activity_at", "pk")
    )


def last_joined(user) -> Membership | None:
    """The membership `user` most recently became active in."""
    return (
        Membership.objects.filter(user_id=user.pk, status=Status.ACTIVE)
        .select_related("community")
        .order_by("-joined_at", "-pk")
        .first()
    )


def my_invitations(user) -> QuerySet:
    return (
        Membership.objects.filter(
            user_id=user.pk, status=Status.INVITED, community__archived_at__isnull=True
        )
        .select_related("community", "invited_by")
        .order_by("-updated_at", "-pk")
    )


def my_pending_requests(user) -> QuerySet:
    return (
        Membership.objects.filter(user_id=user.pk, status=Status.PENDING)
        .select_related("community")
        .order_by("-updated_at", "-pk")
    )


# --- The first visit -------------------------------------------------------------


def communities_for_tags(*, user, tag_slugs: list[str], limit: int = 12) -> list:
    """Communities to join on a first visit: those whose topics meet the
    member's expertise and interests, most topics in common first. A private
    community's topics are part of its insides, so it is found only by its
    name or purpose (both listed). With no tags, or nothing in common, the
    busiest open communities. Archived ones are left out. Each row carries
    `matched` (topics in common), `size` and `my_status`."""
    mine = Membership.objects.filter(community=OuterRef("pk"), user_id=user.pk)
    inside = access.visible_communities_q(user) or Q(pk__isnull=False)  # staff: all
    common = (
        CommunityTag.objects.filter(
            content_object=OuterRef("pk"), tag__slug__in=tag_slugs
        )
        .order_by()
        .values("content_object")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        Community.objects.filter(archived_at__isnull=True)
        .annotate(
            size=active_member_count(),
            my_status=Subquery(mine.values("status")[:1]),
            matched=Case(
                When(inside, then=Coalesce(Subquery(common), Value(0))),
                default=Value(0),
            ),
            seen_size=Case(When(inside, then=F("size")), default=None),
        )
        .prefetch_related("tags")
    )
    named = Q()
    for slug in tag_slugs:
        words = slug.replace("-", " ")
        named |= Q(name__icontains=words) | Q(purpose__icontains=words)
    found = []
    if tag_slugs:
        found = list(
            qs.filter(Q(matched__gt=0) | named).order_by(
                F("matched").desc(), F("seen_size").desc(nulls_last=True), "name"
            )[:limit]
        )
    if not found:
        found = list(
            qs.filter(visibility="open").order_by(F("size").desc(), "name")[:limit]
        )
    return found
