"""Knowledge: what helps, what is growing, and where one person holds it all.

- Most helpful: items (not hidden) ranked by "this helped me" marks given
  in the period.
- Rising tags: tags on items written in the period compared with the
  previous period of the same length; rising when used more often now.
- Single-expert risk: tags on questions with at least three accepted answers
  (at any time; hidden questions and hidden replies excluded) where one
  member wrote more than half of them.
- Balance: each community's items of the last 90 days by activity
  (research, capacity building, practice; knowledge.activities), flagged
  "fire-fighting only" when it shared practice and nothing else.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from communities.models import Community
from dashboards.periods import Period
from dashboards.scope import Scope
from dashboards.sources import items_in
from knowledge.activities import Balance, balances
from knowledge.models import Item, ItemKind, ItemTag

TOP_HELPFUL = 20
TOP_TAGS = 20
EXPERT_MIN_ANSWERS = 3
EXPERT_SHARE = 0.5


def most_helpful(scope: Scope, period: Period) -> QuerySet:
    """One query. Filtering marks before counting counts only the period's."""
    return (
        Item.objects.filter(
            scope.q("community_id"),
            hidden_at__isnull=True,
            helpful_marks__created_at__gte=period.start,
            helpful_marks__created_at__lt=period.end,
        )
        .annotate(marks=Count("helpful_marks"))
        .select_related("community")
        .order_by("-marks", "-pk")[:TOP_HELPFUL]
    )


@dataclass
class TagTrend:
    name: str
    current: int
    previous: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def growth(self) -> float | None:
        """Relative growth (1.0 = doubled); None when new this period."""
        if self.previous == 0:
            return None
        return self.change / self.previous


def rising_tags(scope: Scope, period: Period) -> list[TagTrend]:
    """One query over both periods; ranked by how much more a tag is used."""
    before = period.previous()
    current = Q(
        content_object__created_at__gte=period.start,
        content_object__created_at__lt=period.end,
    )
    previous = Q(
        content_object__created_at__gte=before.start,
        content_object__created_at__lt=before.end,
    )
    rows = (
        ItemTag.objects.filter(
            content_object__in=items_in(scope).filter(
                created_at__gte=before.start, created_at__lt=period.end
            )
        )
        .values("tag__name")
        .annotate(
            current=Count("pk", filter=current),
            previous=Count("pk", filter=previous),
        )
        .order_by()
    )
    return rank_trends(rows)


def rank_trends(rows) -> list[TagTrend]:
    """Rows of tag name, current and previous uses: the rising ones, ranked."""
    trends = [
        TagTrend(name=r["tag__name"], current=r["current"], previous=r["previous"])
        for r in rows
        if r["current"] > r["previous"]
    ]
    trends.sort(key=lambda t: (-t.change, -t.current, t.name))
    return trends[:TOP_TAGS]


@dataclass
class ExpertRisk:
    tag: str
    accepted_answers: int
    expert_name: str
    expert_username: str
    expert_answers: int

    @property
    def share(self) -> float:
        return self.expert_answers / self.accepted_answers


def single_expert_risks(scope: Scope) -> list[ExpertRisk]:
    """One query: accepted answers grouped by (tag, answer author)."""
    rows = (
        ItemTag.objects.filter(
            content_object__in=items_in(scope).filter(
                kind=ItemKind.QUESTION,
                accepted_reply__isnull=False,
                accepted_reply__hidden_at__isnull=True,
            )
        )
        .values(
            "tag__name",
            "content_object__accepted_reply__author_id",
            "content_object__accepted_reply__author__display_name",
            "content_object__accepted_reply__author__username",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_tag = defaultdict(list)
    for r in rows:
        per_tag[r["tag__name"]].append(r)
    risks = []
    for tag, authors in per_tag.items():
        total = sum(a["n"] for a in authors)
        top = max(
            authors,
            key=lambda a: (a["n"], -a["content_object__accepted_reply__author_id"]),
        )
        if total >= EXPERT_MIN_ANSWERS and top["n"] / total > EXPERT_SHARE:
            risks.append(
                ExpertRisk(
                    tag=tag,
                    accepted_answers=total,
                    expert_name=top[
                        "content_object__accepted_reply__author__display_name"
                    ],
                    expert_username=top[
                        "content_object__accepted_reply__author__username"
                    ],
                    expert_answers=top["n"],
                )
            )
    risks.sort(key=lambda r: (-r.share, -r.accepted_answers, r.tag))
    return risks


@dataclass(frozen=True)
class BalanceRow:
    community: object
    balance: Balance


def activity_balances(scope: Scope, *, now=None) -> list[BalanceRow]:
    """Each community of the scope (archived ones left out, unless the scope
    is that one community) with its research / capacity building / practice
    balance over the last BALANCE_DAYS; fire-fighting-only ones first. Two
    queries."""
    communities = Community.objects.filter(scope.q("pk"))
    if scope.is_organisation:
        communities = communities.filter(archived_at__isnull=True)
    communities = list(communities.order_by("name"))
    found = balances(communities=communities, now=now)
    rows = [BalanceRow(community=c, balance=found[c.pk]) for c in communities]
    rows.sort(key=lambda r: not r.balance.fire_fighting_only)
    return rows
