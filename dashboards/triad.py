"""Leaders relying on one another (Senge): the six directed flows between
line leaders, executives and internal networkers.

A flow goes from the person who helped to the person helped:

- replies: the replier -> the item's author;
- answers: the author of an accepted answer -> the asker;
- marks: an item's author -> the member who marked it helpful;
- shares: the original's author -> the member who shared it elsewhere;
- adoptions: the item's author -> the member who recorded the adoption;
- mentoring: the mentor -> the mentee, for pairs that started.

Only flows between two different roles count (line leader to line leader is
not one of the six), hidden items and replies never do, and a community's
flows are those that happened in it (mentoring: pairs whose request names
it). An edge with nothing in it, or with help but no answer, is a broken
link and is named.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.periods import Period
from dashboards.scope import Scope
from knowledge.models import Adoption, HelpfulMark, Item, ItemKind, Reply
from members.models import LeadershipRole
from mentoring.models import Pair

ROLES = (LeadershipRole.LINE_LEADER, LeadershipRole.EXECUTIVE, LeadershipRole.NETWORKER)
EDGES = [(s, t) for s in ROLES for t in ROLES if s != t]
KINDS = ("replies", "answers", "marks", "shares", "adoptions", "mentoring")


def role_plural(role: str) -> str:
    return {
        LeadershipRole.LINE_LEADER: _("Line leaders"),
        LeadershipRole.EXECUTIVE: _("Executives"),
        LeadershipRole.NETWORKER: _("Internal networkers"),
    }[role]


@dataclass
class Edge:
    source: str
    target: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def answered(self) -> int:
        return self.counts["replies"] + self.counts["answers"]

    @property
    def broken(self) -> bool:
        return self.answered == 0

    def broken_text(self, period_label: str) -> str:
        names = {
            "source": role_plural(self.source),
            "target": role_plural(self.target).lower(),
            "period": period_label,
        }
        if self.total == 0:
            return (
                _(
                    "%(source)s never answered, helped or mentored %(target)s in "
                    "%(period)s."
                )
                % names
            )
        return _("%(source)s never answered %(target)s in %(period)s.") % names


@dataclass
class Triad:
    edges: list[Edge]

    def edge(self, source: str, target: str) -> Edge:
        return next(e for e in self.edges if (e.source, e.target) == (source, target))

    @property
    def broken(self) -> list[Edge]:
        return [e for e in self.edges if e.broken]

    @property
    def total(self) -> int:
        return sum(e.total for e in self.edges)


def empty_triad() -> Triad:
    return Triad([Edge(s, t) for s, t in EDGES])


def triad_from_counts(counts: dict) -> Triad:
    """counts: {(source_role, target_role): {kind: n}}."""
    triad = empty_triad()
    for edge in triad.edges:
        for kind, n in counts.get((edge.source, edge.target), {}).items():
            edge.counts[kind] += n
    return triad


def _flow_queries(scope: Scope, since: datetime, until: datetime):
    """(kind, queryset of community, source role, target role, time) for every
    flow in [since, until) in the scope; the caller counts per window."""
    replies = Reply.objects.filter(
        scope.q("item__community_id"),
        hidden_at__isnull=True,
        item__hidden_at__isnull=True,
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(author_id=F("item__author_id"))
    yield (
        "replies",
        replies,
        "item__community_id",
        "author__leadership_role",
        "item__author__leadership_role",
        "created_at",
    )
    answers = Item.objects.filter(
        scope.q("community_id"),
        kind=ItemKind.QUESTION,
        hidden_at__isnull=True,
        accepted_reply__hidden_at__isnull=True,
        accepted_reply__created_at__gte=since,
        accepted_reply__created_at__lt=until,
    ).exclude(accepted_reply__author_id=F("author_id"))
    yield (
        "answers",
        answers,
        "community_id",
        "accepted_reply__author__leadership_role",
        "author__leadership_role",
        "accepted_reply__created_at",
    )
    marks = HelpfulMark.objects.filter(
        scope.q("item__community_id"),
        item__hidden_at__isnull=True,
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(user_id=F("item__author_id"))
    yield (
        "marks",
        marks,
        "item__community_id",
        "item__author__leadership_role",
        "user__leadership_role",
        "created_at",
    )
    shares = Item.objects.filter(
        scope.q("community_id"),
        shared_from__isnull=False,
        shared_by__isnull=False,
        hidden_at__isnull=True,
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(shared_by_id=F("shared_from__author_id"))
    yield (
        "shares",
        shares,
        "community_id",
        "shared_from__author__leadership_role",
        "shared_by__leadership_role",
        "created_at",
    )
    adoptions = Adoption.objects.filter(
        scope.q("community_id"),
        recorded_by__isnull=False,
        item__hidden_at__isnull=True,
        created_at__gte=since,
        created_at__lt=until,
    ).exclude(recorded_by_id=F("item__author_id"))
    yield (
        "adoptions",
        adoptions,
        "community_id",
        "item__author__leadership_role",
        "recorded_by__leadership_role",
        "created_at",
    )
    pairs = Pair.objects.filter(
        scope.q("request__community_id"),
        started_at__gte=since,
        started_at__lt=until,
    )
    yield (
        "mentoring",
        pairs,
        "request__community_id",
        "mentor__leadership_role",
        "mentee__leadership_role",
        "started_at",
    )


def triad_counts(scope: Scope, windows: dict) -> dict:
    """Six queries, each grouped by community and role pair with one count
    per window. windows: {key: (start, end)}. Returns
    {(community_id or None, key): {(source, target): {kind: n}}}."""
    since = min(start for start, _end in windows.values())
    until = max(end for _start, end in windows.values())
    leaders = [str(r) for r in ROLES]
    found: dict = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(KINDS, 0)))
    for kind, qs, community, source, target, at in _flow_queries(scope, since, until):
        rows = (
            qs.filter(**{f"{source}__in": leaders, f"{target}__in": leaders})
            .exclude(**{source: F(target)})
            .values_list(community, source, target)
            .annotate(
                **{
                    f"n_{key}": Count(
                        "pk", filter=Q(**{f"{at}__gte": start, f"{at}__lt": end})
                    )
                    for key, (start, end) in windows.items()
                }
            )
            .order_by()
        )
        for row in rows:
            community_id, src, dst = row[:3]
            for key, n in zip(windows, row[3:], strict=True):
                if n:
                    found[(community_id, key)][(src, dst)][kind] += n
    return {key: dict(edges) for key, edges in found.items()}


def daily_counts(since: datetime, until: datetime) -> dict:
    """Every community's flows in [since, until) per day (in the current
    time zone): {(day, community_id, source, target): {kind: n}}. Six
    queries (the rollup job keeps them, dashboards.rollups)."""
    leaders = [str(r) for r in ROLES]
    tz = timezone.get_current_timezone()
    found: dict = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    flows = _flow_queries(Scope.organisation(), since, until)
    for kind, qs, community, source, target, at in flows:
        rows = (
            qs.filter(**{f"{source}__in": leaders, f"{target}__in": leaders})
            .exclude(**{source: F(target)})
            .annotate(day=TruncDate(at, tzinfo=tz))
            .values_list("day", community, source, target)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for day, community_id, src, dst, n in rows:
            found[(day, community_id, src, dst)][kind] += n
    return dict(found)


def live_triad(scope: Scope, period: Period) -> Triad:
    """The triad for any period, counted now (custom periods)."""
    counts = triad_counts(scope, {"p": (period.start, period.end)})
    total: dict = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for (_community, _key), edges in counts.items():
        for pair, kinds in edges.items():
            for kind, n in kinds.items():
                total[pair][kind] += n
    return triad_from_counts(total)
