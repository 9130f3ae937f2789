"""Spread: how practices travel between communities ("pockets of
innovation" spreading).

- A share is an item in community B whose `shared_from` is an item of
  community A: a flow A -> B on the day it was shared.
- An adoption is community B recording that it adopted an item of A: a flow
  A -> B on the day it was recorded.
- Pockets of innovation are items adopted by two or more other communities
  whose adoption lasted: kept or adapted at the latest answered check-in
  (knowledge.adoptions; adoptions at any time, the item not hidden).
  Adoptions not yet known are shown apart, never counted as lasting.

A community dashboard counts flows into or out of its community; the names of
private communities the viewer cannot see are replaced by a neutral label.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, F, Max, Q, Value, When
from django.utils.translation import gettext as _

from communities.access import visible_communities_q
from communities.models import Community
from dashboards.periods import Period
from dashboards.scope import Scope
from knowledge.models import LASTING_ANSWERS, Adoption, Item
from knowledge.selectors.adoptions import (
    UNKNOWN,
    StickRate,
    adoptions_with_outcome,
    stick_rates,
)

# The matrix shows the most connected communities; the table lists every flow.
MATRIX_SIZE = 12


@dataclass(frozen=True)
class Place:
    pk: int
    name: str
    slug: str | None  # None when the viewer may not see the community


@dataclass
class Flow:
    source: Place
    target: Place
    shares: int = 0
    adoptions: int = 0

    @property
    def total(self) -> int:
        return self.shares + self.adoptions


@dataclass
class Spread:
    flows: list[Flow]
    matrix_places: list[Place]
    matrix: list[list[int]]  # matrix[i][j]: flows from place i to place j


def spread_flows(scope: Scope, period: Period, viewer) -> Spread:
    """Three queries: shares, adoptions, then the communities involved."""
    in_period = {"created_at__gte": period.start, "created_at__lt": period.end}
    counts = defaultdict(lambda: [0, 0])
    shares = (
        Item.objects.filter(
            scope.q("community_id") | scope.q("shared_from__community_id"),
            shared_from__isnull=False,
            hidden_at__isnull=True,
            **in_period,
        )
        .values_list("shared_from__community_id", "community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for source, target, n in shares:
        if source != target:
            counts[(source, target)][0] += n
    adoptions = (
        Adoption.objects.filter(
            scope.q("community_id") | scope.q("item__community_id"),
            item__hidden_at__isnull=True,
            **in_period,
        )
        .values_list("item__community_id", "community_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for source, target, n in adoptions:
        if source != target:
            counts[(source, target)][1] += n

    places = _places({pk for pair in counts for pk in pair}, viewer)
    flows = [
        Flow(source=places[s], target=places[t], shares=sh, adoptions=ad)
        for (s, t), (sh, ad) in counts.items()
        if s in places and t in places
    ]
    flows.sort(key=lambda f: (-f.total, f.source.name, f.target.name))
    return Spread(flows=flows, **_matrix(flows))


def _places(ids: set[int], viewer) -> dict[int, Place]:
    if not ids:
        return {}
    visible = visible_communities_q(viewer)
    qs = Community.objects.filter(pk__in=ids)
    if visible:  # an empty Q (staff: everything) cannot be a When condition
        qs = qs.annotate(
            viewer_sees=Case(When(visible, then=Value(True)), default=Value(False))
        )
    else:
        qs = qs.annotate(viewer_sees=Value(True))
    hidden_name = _("A private community")
    return {
        c.pk: Place(pk=c.pk, name=c.name, slug=c.slug)
        if c.viewer_sees
        else Place(pk=c.pk, name=hidden_name, slug=None)
        for c in qs
    }


def _matrix(flows: list[Flow]) -> dict:
    weight = defaultdict(int)
    for f in flows:
        weight[f.source] += f.total
        weight[f.target] += f.total
    top = sorted(weight, key=lambda p: (-weight[p], p.name, p.pk))[:MATRIX_SIZE]
    top.sort(key=lambda p: (p.name, p.pk))
    index = {p: i for i, p in enumerate(top)}
    matrix = [[0] * len(top) for _ in top]
    for f in flows:
        if f.source in index and f.target in index:
            matrix[index[f.source]][index[f.target]] += f.total
    return {"matrix_places": top, "matrix": matrix}


def pockets_of_innovation(scope: Scope) -> list[Item]:
    """Items from the scope that two or more other communities adopted and
    *kept* (kept or adapted at their latest answered check-in). Adoptions
    whose outcome is not yet known are counted apart, never as lasting. The
    adoptions are grouped first, so only adopted items are touched."""
    others = (
        adoptions_with_outcome(
            Adoption.objects.filter(scope.q("item__community_id")).exclude(
                community_id=F("item__community_id")
            )
        )
        .values("item_id")
        .order_by()
    )
    lasting = Q(outcome__in=LASTING_ANSWERS)
    pockets = (
        others.annotate(
            lasted=Count("community_id", filter=lasting, distinct=True),
            unknown=Count("community_id", filter=Q(outcome=UNKNOWN), distinct=True),
            last_adopted_at=Max("created_at"),
        )
        .filter(lasted__gte=2)
        .values("item_id", "lasted", "unknown", "last_adopted_at")
    )
    figures = {row["item_id"]: row for row in pockets}
    items = Item.objects.filter(
        pk__in=list(figures), hidden_at__isnull=True
    ).select_related("community")
    found = []
    for item in items:
        row = figures[item.pk]
        item.adopters = row["lasted"]
        item.unknown = row["unknown"]
        item.last_adopted_at = row["last_adopted_at"]
        found.append(item)
    found.sort(key=lambda i: (-i.adopters, -i.last_adopted_at.timestamp(), -i.pk))
    return found


@dataclass(frozen=True)
class StickRow:
    community: Community
    rate: StickRate


def stick_rate_rows(scope: Scope, viewer) -> list[StickRow]:
    """The stick rate of each community in the scope whose items others
    adopted (adoptions by communities the viewer cannot see left out), best
    known rate first. Two queries."""
    ids = scope.community_ids
    if ids is None:
        ids = Adoption.objects.values("item__community_id").distinct()
    rates = stick_rates(community_ids=ids, viewer=viewer)
    communities = Community.objects.filter(pk__in=list(rates)).order_by("name")
    rows = [StickRow(community=c, rate=rates[c.pk]) for c in communities]
    rows.sort(key=lambda r: (r.rate.rate is None, -(r.rate.rate or 0)))
    return rows
