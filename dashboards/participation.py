"""Participation: who takes part, newcomers, the periphery, leader roles and
how evenly the work is shared.

Definitions (shown on the page too):
- A member is an active member (of the community, or of any community for
  the organisation) who had joined by the end of the period. Deactivated
  accounts are left out.
- A contribution is an item (not a share) or a reply, not hidden, written in
  the period.
- A newcomer joined within PRACTICA_NEWCOMER_DAYS before the period's end;
  for the organisation: whose first community membership began then.
- Peripheral members are members with no contribution in the period.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Community, Membership
from dashboards.periods import Period
from dashboards.scope import Scope
from dashboards.sources import items_in, replies_in
from members.models import LeadershipRole, User

LEADER_ROLES = (
    LeadershipRole.LINE_LEADER,
    LeadershipRole.EXECUTIVE,
    LeadershipRole.NETWORKER,
)
# Short names for table cells ("no executive").
ROLE_SHORT = {
    LeadershipRole.LINE_LEADER: gettext_lazy("line leader"),
    LeadershipRole.EXECUTIVE: gettext_lazy("executive"),
    LeadershipRole.NETWORKER: gettext_lazy("networker"),
}


@dataclass
class RoleCoverage:
    role: str
    label: str
    present: int  # members holding the role
    active: int  # of whom contributed in the period


@dataclass
class Equity:
    contributors: int
    top_count: int  # how many people make up the top 10%
    top_share: float | None  # fraction of contributions they made
    gini: float | None


@dataclass
class Week:
    start: datetime
    end: datetime
    contributions: int


@dataclass
class Participation:
    members: int = 0
    contributing_members: int = 0
    newcomers: int = 0
    contributing_newcomers: int = 0
    contributions: int = 0
    roles: list[RoleCoverage] = field(default_factory=list)
    equity: Equity | None = None
    weeks: list[Week] = field(default_factory=list)

    @property
    def peripheral(self) -> int:
        return self.members - self.contributing_members

    def add_role_row(self, row: dict) -> None:
        self.members += row["members"]
        self.contributing_members += row["contributors"]
        self.newcomers += row["newcomers"]
        self.contributing_newcomers += row["newcomers_contributed"]


# --- Equity: pure functions over per-person counts -------------------------


def gini(counts: Sequence[int]) -> float | None:
    """Gini coefficient of contribution counts, one count per person.

    With x sorted ascending and i = 1..n:
        G = 2 * sum(i * x_i) / (n * sum(x)) - (n + 1) / n
    0 means everyone contributed equally; (n - 1) / n means one person did
    everything (e.g. [0, 0, 0, 4] gives 0.75). None when nobody contributed.
    """
    values = sorted(counts)
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return None
    weighted = sum(i * x for i, x in enumerate(values, start=1))
    return 2 * weighted / (n * total) - (n + 1) / n


def top_share(counts: Sequence[int], fraction: float = 0.1) -> tuple[int, float | None]:
    """(k, share): the k = ceil(fraction * contributors) most active
    contributors and the fraction of all contributions they made."""
    values = sorted((c for c in counts if c > 0), reverse=True)
    if not values:
        return 0, None
    k = math.ceil(fraction * len(values))
    return k, sum(values[:k]) / sum(values)


# --- Queries ---------------------------------------------------------------


def _in_period(period: Period) -> dict:
    return {"created_at__gte": period.start, "created_at__lt": period.end}


def _newcomer_cutoff(period: Period) -> datetime:
    return period.end - timedelta(days=settings.PRACTICA_NEWCOMER_DAYS)


def _joined_by(end: datetime) -> Q:
    # Memberships without a date predate the field: long-standing members.
    return Q(joined_at__lte=end) | Q(joined_at__isnull=True)


def participation_summary(scope: Scope, period: Period) -> Participation:
    """Headline figures, role coverage, equity and the weekly series.
    Five queries whatever the size of the scope."""
    memberships = Membership.objects.filter(
        scope.q("community_id"),
        user_id=OuterRef("pk"),
        status=Membership.Status.ACTIVE,
    )
    cutoff = _newcomer_cutoff(period)
    is_member = Exists(memberships.filter(_joined_by(period.end)))
    is_newcomer = Exists(
        memberships.filter(joined_at__gt=cutoff, joined_at__lte=period.end)
    ) & ~Exists(memberships.filter(_joined_by(cutoff)))
    contributed = Exists(
        items_in(scope).filter(author_id=OuterRef("pk"), **_in_period(period))
    ) | Exists(replies_in(scope).filter(author_id=OuterRef("pk"), **_in_period(period)))
    role_rows = (
        User.objects.filter(is_member, is_active=True)
        .values("leadership_role")
        .annotate(
            members=Count("pk"),
            contributors=Count("pk", filter=contributed),
            newcomers=Count("pk", filter=is_newcomer),
            newcomers_contributed=Count("pk", filter=is_newcomer & contributed),
        )
        .order_by()
    )
    return assemble(
        role_rows,
        contributions_per_person(scope, period),
        contributions_per_week(scope, period),
    )


def assemble(role_rows, per_person: dict, weeks: list[Week]) -> Participation:
    """The figures from rows of members per leader role, contributions per
    person and the weekly series (counted live here, or from the rollups)."""
    result = Participation()
    by_role = {}
    for row in role_rows:
        result.add_role_row(row)
        by_role[row["leadership_role"]] = row
    result.roles = [
        RoleCoverage(
            role=role.value,
            label=role.label,
            present=by_role.get(role, {}).get("members", 0),
            active=by_role.get(role, {}).get("contributors", 0),
        )
        for role in LEADER_ROLES
    ]
    result.contributions = sum(per_person.values())
    # Everyone who could have contributed: contributors plus silent members.
    counts = list(per_person.values()) + [0] * result.peripheral
    top_count, share = top_share(counts)
    result.equity = Equity(
        contributors=len(per_person),
        top_count=top_count,
        top_share=share,
        gini=gini(counts),
    )
    result.weeks = weeks
    return result


def contributions_per_person(scope: Scope, period: Period) -> Counter:
    """{author id: contributions in the period}. Two grouped queries."""
    counts = Counter()
    for qs in (
        items_in(scope).filter(**_in_period(period)),
        replies_in(scope).filter(**_in_period(period)),
    ):
        for author_id, n in (
            qs.values_list("author_id").annotate(n=Count("pk")).order_by()
        ):
            counts[author_id] += n
    return counts


def contributions_per_week(scope: Scope, period: Period) -> list[Week]:
    """Contributions in seven-day windows ending at the period's end (at least
    twelve). One conditional aggregate per table: two queries."""
    windows = period.week_windows()
    totals = [0] * len(windows)
    since = {"created_at__gte": windows[0][0], "created_at__lt": windows[-1][1]}
    for qs in (items_in(scope).filter(**since), replies_in(scope).filter(**since)):
        row = qs.aggregate(
            **{
                f"w{i}": Count(
                    "pk", filter=Q(created_at__gte=start, created_at__lt=end)
                )
                for i, (start, end) in enumerate(windows)
            }
        )
        for i in range(len(windows)):
            totals[i] += row[f"w{i}"]
    return [
        Week(start=start, end=end, contributions=total)
        for (start, end), total in zip(windows, totals, strict=True)
    ]


@dataclass
class CommunityRow:
    community: Community
    members: int = 0
    contributing_members: int = 0
    newcomers: int = 0
    contributing_newcomers: int = 0
    contributions: int = 0
    roles_present: set = field(default_factory=set)
    roles_active: set = field(default_factory=set)

    @property
    def peripheral(self) -> int:
        return self.members - self.contributing_members

    def add_group(self, g: dict) -> None:
        """Add a row of counts for one leader role in this community."""
        self.members += g["members"]
        self.contributing_members += g["contributors"]
        self.newcomers += g["newcomers"]
        self.contributing_newcomers += g["newcomers_contributed"]
        role = g["user__leadership_role"]
        if role in LEADER_ROLES:
            self.roles_present.add(role)
            if g["contributors"]:
                self.roles_active.add(role)

    def role_gaps(self, roles: set) -> str:
        """The leader roles missing from `roles`, short enough for a table
        cell: "all three", "no executive", "no line leader, no networker",
        "none"."""
        missing = [r for r in LEADER_ROLES if r not in roles]
        if not missing:
            return _("all three")
        if len(missing) == len(LEADER_ROLES):
            return _("none")
        return ", ".join(_("no %(role)s") % {"role": ROLE_SHORT[r]} for r in missing)


def participation_by_community(period: Period) -> list[CommunityRow]:
    """Headline figures for every community, for the organisation's table.
    Four queries whatever the number of communities."""
    cutoff = _newcomer_cutoff(period)
    is_newcomer = Q(joined_at__gt=cutoff, joined_at__lte=period.end)
    everything = Scope.organisation()
    contributed = Exists(
        items_in(everything).filter(
            author_id=OuterRef("user_id"),
            community_id=OuterRef("community_id"),
            **_in_period(period),
        )
    ) | Exists(
        replies_in(everything).filter(
            author_id=OuterRef("user_id"),
            item__community_id=OuterRef("community_id"),
            **_in_period(period),
        )
    )
    rows = {c.pk: CommunityRow(community=c) for c in Community.objects.order_by("name")}
    grouped = (
        Membership.objects.filter(
            _joined_by(period.end),
            status=Membership.Status.ACTIVE,
            user__is_active=True,
        )
        .values("community_id", "user__leadership_role")
        .annotate(
            members=Count("pk"),
            contributors=Count("pk", filter=contributed),
            newcomers=Count("pk", filter=is_newcomer),
            newcomers_contributed=Count("pk", filter=is_newcomer & contributed),
        )
        .order_by()
    )
    for g in grouped:
        row = rows.get(g["community_id"])
        if row is None:  # created while we were counting
            continue
        row.add_group(g)
    for qs, path in (
        (items_in(everything), "community_id"),
        (replies_in(everything), "item__community_id"),
    ):
        for community_id, n in (
            qs.filter(**_in_period(period))
            .values_list(path)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if community_id in rows:
                rows[community_id].contributions += n
    return list(rows.values())
