"""The leaders-and-bridges page (organisation: staff; a community: its
stewards and staff) and the networkers' "what could spread next" page: their
figures as tables (page and CSV from one definition, tables.py) and their
diagrams. Figures come from the latest nightly NetworkSnapshot; the triad
of a custom period sums the daily rollups (dashboards.rollups)."""

from collections import Counter
from functools import cached_property

from django.db.models import Exists, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from communities.access import visible_communities_q
from communities.models import Community, Membership
from dashboards import bridges, rollup_figures, spread_next, triad
from dashboards.diagrams import Bridger, network_svg, triad_svg
from dashboards.models import BridgeScore, TriadFlow
from dashboards.periods import Period
from dashboards.report.cells import community_cell, item_cell, member_cell
from dashboards.scope import Scope
from dashboards.tables import Cell, Table
from members.models import LeadershipRole, User

NETWORK_PEOPLE = 8
NETWORK_COMMUNITIES = 12


def _percent(score: float) -> str:
    return f"{score * 100:.2f}%"


class LeadersReport:
    """One scope (organisation or a community), one period, one snapshot."""

    def __init__(self, *, scope: Scope, period: Period, viewer, snapshot, community):
        self.scope = scope
        self.period = period
        self.viewer = viewer
        self.snapshot = snapshot
        self.community = community

    table_names = ("triad", "bridges", "bridges_unroled", "networkers_idle")

    # --- The triad -------------------------------------------------------

    @cached_property
    def triad(self) -> triad.Triad:
        if self.snapshot is None or not self.period.key.isdigit():
            return rollup_figures.leaders_triad(self.scope, self.period)
        flows = TriadFlow.objects.filter(
            snapshot=self.snapshot, period_days=int(self.period.key)
        )
        if self.community is not None:
            flows = flows.filter(community=self.community)
        counts = {}
        for row in flows.values("source_role", "target_role").annotate(
            **{kind: Sum(kind) for kind in triad.KINDS}
        ):
            counts[(row["source_role"], row["target_role"])] = {
                kind: row[kind] for kind in triad.KINDS
            }
        return triad.triad_from_counts(counts)

    @property
    def triad_from_snapshot(self) -> bool:
        return self.snapshot is not None and self.period.key.isdigit()

    def triad_table(self) -> Table:
        def row(edge):
            return [
                Cell(str(triad.role_plural(edge.source))),
                Cell(str(triad.role_plural(edge.target))),
                *(Cell(edge.counts[kind]) for kind in triad.KINDS),
                Cell(edge.total),
                Cell(edge.broken_text(self.period.label) if edge.broken else ""),
            ]

        return Table(
            name="triad",
            title=_("Help between leader roles"),
            caption=_(
                "From the leader who helped to the leader helped: replies, "
                "accepted answers, items marked helpful, shares, adoptions and "
                "mentoring pairs started."
            ),
            columns=[
                _("From"),
                _("To"),
                _("Replies"),
                _("Accepted answers"),
                _("Helpful marks"),
                _("Shares"),
                _("Adoptions"),
                _("Mentoring"),
                _("Total"),
                _("Broken link"),
            ],
            source=lambda: self.triad.edges,
            row=row,
            page_size=6,
            as_of=self.snapshot.built_at if self.triad_from_snapshot else None,
        )

    @property
    def broken_links(self) -> list[str]:
        return [e.broken_text(self.period.label) for e in self.triad.broken]

    def triad_svg(self):
        description = (
            " ".join(self.broken_links)
            if self.broken_links
            else _("Every leader role answered every other in %(period)s.")
            % {"period": self.period.label}
        )
        return triad_svg(
            self.triad,
            chart_id="triad-chart",
            title=_("Help between line leaders, executives and internal networkers"),
            description=description,
        )

    # --- Bridges ------------------------------------------------------------

    def _ranking(self):
        if self.snapshot is None:
            return BridgeScore.objects.none()
        return BridgeScore.objects.filter(
            snapshot=self.snapshot,
            community=self.community,  # None: the organisation's ranking
        )

    def bridge_scores(self):
        """People scoring at least BRIDGE_SHARE of the top score."""
        ranking = self._ranking()
        top = ranking.order_by("-score").values("score")[:1]
        return (
            ranking.filter(score__gte=Subquery(top) * bridges.BRIDGE_SHARE)
            .select_related("user")
            .order_by("-score", "user__display_name", "pk")
        )

    @cached_property
    def community_names(self) -> dict[int, Community]:
        """Communities the viewer may see, by id: one query, names only."""
        return {
            c.pk: c
            for c in Community.objects.filter(visible_communities_q(self.viewer)).only(
                "pk", "name", "slug"
            )
        }

    def _community_list(self, ids) -> str:
        names = self.community_names
        return ", ".join(sorted(names[pk].name for pk in ids if pk in names))

    def _bridge_row(self, score: BridgeScore):
        user = score.user
        return [
            member_cell(user),
            Cell(user.get_leadership_role_display()),
            Cell(_percent(score.score)),
            Cell(self._community_list(score.communities)),
        ]

    def bridges_table(self) -> Table:
        return Table(
            name="bridges",
            title=_("Who bridges communities"),
            caption=self._bridges_caption(),
            columns=[
                _("Member"),
                _("Leadership role"),
                _("Share of routes between communities"),
                _("Takes part in"),
            ],
            source=self.bridge_scores,
            row=self._bridge_row,
            empty=self._no_snapshot_or(_("Nobody links communities yet.")),
            as_of=self.snapshot.built_at if self.snapshot else None,
        )

    def _bridges_caption(self) -> str:
        if self.community is None:
            return _(
                "People at least %(share)s of the top score: the share of the "
                "shortest routes between communities that runs through them "
                "(replies, helpful marks, shares, adoptions and mentoring in the "
                "%(days)s days to the snapshot)."
            ) % {"share": f"{bridges.BRIDGE_SHARE:.0%}", "days": self._window_days}
        return _(
            "People at least %(share)s of the top score: the share of the "
            "shortest routes from this community to the open communities that "
            "runs through them (replies, helpful marks, shares, adoptions and "
            "mentoring in the %(days)s days to the snapshot; other private "
            "communities never count)."
        ) % {"share": f"{bridges.BRIDGE_SHARE:.0%}", "days": self._window_days}

    @property
    def _window_days(self) -> int:
        from dashboards.snapshots import BRIDGE_WINDOW_DAYS

        return BRIDGE_WINDOW_DAYS

    def _no_snapshot_or(self, text: str) -> str:
        if self.snapshot is None:
            return _("The nightly computation has not run yet.")
        return text

    def bridges_unroled_table(self) -> Table:
        return Table(
            name="bridges_unroled",
            title=_("Bridges without the role"),
            caption=_(
                "They link communities without holding the internal networker "
                "role: recognise them, or ask them to take it on."
            ),
            columns=[
                _("Member"),
                _("Leadership role"),
                _("Share of routes between communities"),
                _("Takes part in"),
            ],
            source=lambda: self.bridge_scores().exclude(
                user__leadership_role=LeadershipRole.NETWORKER
            ),
            row=self._bridge_row,
            empty=self._no_snapshot_or(_("Every bridge holds the networker role.")),
            as_of=self.snapshot.built_at if self.snapshot else None,
        )

    def networkers_idle(self):
        if self.snapshot is None:
            return User.objects.none()
        scored = self._ranking().filter(user_id=OuterRef("pk"))
        people = User.objects.filter(
            leadership_role=LeadershipRole.NETWORKER, is_active=True
        ).exclude(Exists(scored))
        if self.community is not None:
            people = people.filter(
                Exists(
                    Membership.objects.filter(
                        user_id=OuterRef("pk"),
                        community=self.community,
                        status=Membership.Status.ACTIVE,
                    )
                )
            )
        return people.order_by("display_name", "pk")

    def networkers_idle_table(self) -> Table:
        return Table(
            name="networkers_idle",
            title=_("Networkers who bridge nothing"),
            caption=_(
                "They hold the internal networker role but no route between "
                "communities runs through them."
            ),
            columns=[_("Member"), _("Business unit"), _("Location")],
            source=self.networkers_idle,
            row=lambda user: [
                member_cell(user),
                Cell(user.business_unit),
                Cell(user.location),
            ],
            empty=self._no_snapshot_or(_("Every networker links communities.")),
            as_of=self.snapshot.built_at if self.snapshot else None,
        )

    def network_svg(self):
        top = list(self.bridge_scores()[:NETWORK_PEOPLE])
        names = self.community_names
        counts = Counter(pk for s in top for pk in s.communities if pk in names)
        shown = [pk for pk, _n in counts.most_common(NETWORK_COMMUNITIES)]
        if self.community is not None and self.community.pk not in shown:
            shown = [self.community.pk] + shown[: NETWORK_COMMUNITIES - 1]
        shown.sort(key=lambda pk: names[pk].name)
        index = {pk: i for i, pk in enumerate(shown)}
        people = [
            Bridger(
                label=s.user.display_name,
                is_networker=s.user.leadership_role == LeadershipRole.NETWORKER,
                communities=[index[pk] for pk in s.communities if pk in index],
            )
            for s in top
        ]
        description = "; ".join(
            _("%(person)s links %(communities)s")
            % {
                "person": s.user.display_name,
                "communities": self._community_list(
                    [pk for pk in s.communities if pk in index]
                ),
            }
            for s in top
        ) or _("Nobody links communities yet.")
        return network_svg(
            [names[pk].name for pk in shown],
            people,
            chart_id="network-chart",
            title=_("Communities and the people who bridge them"),
            description=description,
        )

    def table(self, name: str) -> Table:
        builders = {
            "triad": self.triad_table,
            "bridges": self.bridges_table,
            "bridges_unroled": self.bridges_unroled_table,
            "networkers_idle": self.networkers_idle_table,
        }
        if name not in builders:
            raise KeyError(name)
        return builders[name]()

    def filename(self, name: str) -> str:
        where = self.community.slug if self.community else "organisation"
        return f"{where}-{name}-{self.period.end:%Y-%m-%d}"


class SpreadNextReport:
    """Ready to spread and missing bridges, as one viewer may see them."""

    table_names = ("ready", "missing_bridges")

    def __init__(self, *, viewer, snapshot):
        self.viewer = viewer
        self.snapshot = snapshot
        self.home_only = not viewer.is_staff

    def ready_table(self) -> Table:
        table = Table(
            name="ready",
            title=_("Ready to spread"),
            caption=(
                _(
                    "Marked helpful by at least %(n)s members in your "
                    "communities, never shared or adopted elsewhere, with the "
                    "communities whose topics overlap (the %(limit)s most marked)."
                )
                if self.home_only
                else _(
                    "Marked helpful by at least %(n)s members in their "
                    "community, never shared or adopted elsewhere, with the "
                    "communities whose topics overlap (the %(limit)s most marked)."
                )
            )
            % {"n": spread_next.READY_MARKS, "limit": spread_next.READY_LIMIT},
            columns=[
                _("Item"),
                _("Community"),
                _("Helpful marks"),
                _("Topics overlap with"),
            ],
            source=lambda: spread_next.ready_to_spread(
                self.viewer, home_only=self.home_only
            ),
            empty=_("Nothing well-marked is waiting to spread."),
        )
        index = {}

        def row(item):
            if not index:
                index["topics"] = spread_next.topic_index(self.viewer)
            return [
                item_cell(item),
                community_cell(item.community),
                Cell(item.helpful_count),
                Cell(
                    ", ".join(
                        c.name for c in spread_next.overlapping(item, index["topics"])
                    )
                ),
            ]

        table.row = row
        return table

    def missing_bridges_table(self) -> Table:
        return Table(
            name="missing_bridges",
            title=_("Missing bridges"),
            caption=_(
                "Communities whose topics overlap but that share no member and "
                "have never shared or adopted from each other, with a networker "
                "who could introduce them."
            ),
            columns=[
                _("Community"),
                _("Community"),
                _("Common topics"),
                _("Suggested networker"),
            ],
            source=lambda: spread_next.missing_bridges_for(self.snapshot, self.viewer),
            row=lambda bridge: [
                community_cell(bridge.first),
                community_cell(bridge.second),
                Cell(", ".join(bridge.topic_list)),
                member_cell(bridge.networker) if bridge.networker else Cell(""),
            ],
            empty=(
                _("The nightly computation has not run yet.")
                if self.snapshot is None
                else _("Every pair of communities with common topics is connected.")
            ),
            as_of=self.snapshot.built_at if self.snapshot else None,
        )

    def filename(self, name: str) -> str:
        return f"spread-next-{name}"

    def table(self, name: str) -> Table:
        if name == "ready":
            return self.ready_table()
        if name == "missing_bridges":
            return self.missing_bridges_table()
        raise KeyError(name)
