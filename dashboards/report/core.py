"""The Report: one scope and period, its figures computed at most once, and
its tables by name (each built by the section module that defines it)."""

from functools import cached_property

from django.utils import timezone

from dashboards import exclusion, mentoring, participation, rollup_figures, spread
from dashboards.models import cells as snapshot_cells
from dashboards.periods import Period
from dashboards.report import knowledge as knowledge_tables
from dashboards.report import left_out as left_out_tables
from dashboards.report import mentoring as mentoring_tables
from dashboards.report import participation as participation_tables
from dashboards.report import spread as spread_tables
from dashboards.scope import Scope
from dashboards.tables import Table

SECTIONS = {
    "participation": ["summary", "roles", "weekly"],
    "left_out": [
        "newcomers",
        "unanswered",
        "askers",
        # The exclusion radar.
        "join_waiting",
        "status_gap",
        "silent_places",
        "unheard",
    ],
    "spread": ["flows", "matrix", "pockets", "stick"],
    "knowledge": ["balance", "helpful", "rising", "experts"],
    "mentoring": ["mentoring_summary", "mentoring_quiet", "mentoring_brokers"],
}
ORGANISATION_TABLES = ["communities"]

# Table name -> the function that builds it from a Report.
TABLES = {
    "communities": participation_tables.communities,
    "summary": participation_tables.summary,
    "roles": participation_tables.roles,
    "weekly": participation_tables.weekly,
    "newcomers": left_out_tables.newcomers,
    "unanswered": left_out_tables.unanswered,
    "askers": left_out_tables.askers,
    "join_waiting": left_out_tables.join_waiting,
    "status_gap": left_out_tables.status_gap,
    "silent_places": left_out_tables.silent_places,
    "unheard": left_out_tables.unheard,
    "flows": spread_tables.flows,
    "matrix": spread_tables.matrix,
    "pockets": spread_tables.pockets,
    "stick": spread_tables.stick_rates,
    "balance": knowledge_tables.balance,
    "helpful": knowledge_tables.helpful,
    "rising": knowledge_tables.rising,
    "experts": knowledge_tables.experts,
    "mentoring_summary": mentoring_tables.mentoring_summary,
    "mentoring_quiet": mentoring_tables.mentoring_quiet,
    "mentoring_brokers": mentoring_tables.mentoring_brokers,
}


class Report:
    def __init__(
        self, *, scope: Scope, period: Period, viewer, community=None, snapshot=None
    ):
        self.scope = scope
        self.period = period
        self.viewer = viewer
        self.community = community
        # A dashboards.models.Snapshot: its tables replace the live ones.
        self.snapshot = snapshot
        self.now = timezone.now()

    # --- Figures (each computed at most once) ------------------------------

    @cached_property
    def participation_figures(self) -> participation.Participation:
        return rollup_figures.participation_summary(self.scope, self.period)

    @cached_property
    def unanswered_figures(self) -> exclusion.UnansweredSummary:
        return rollup_figures.unanswered_summary(self.scope, self.period)

    @cached_property
    def mentoring_figures(self) -> mentoring.MentoringSummary:
        return mentoring.mentoring_summary(self.scope, self.period)

    @cached_property
    def spread_figures(self) -> spread.Spread:
        return spread.spread_flows(self.scope, self.period, self.viewer)

    # --- Tables --------------------------------------------------------------

    @property
    def table_names(self) -> list[str]:
        names = [n for section in SECTIONS.values() for n in section]
        if self.scope.is_organisation:
            names = ORGANISATION_TABLES + names
        return names

    def table(self, name: str) -> Table:
        if name not in self.table_names:
            raise KeyError(name)
        table = TABLES[name](self)
        if self.snapshot is not None and name in self.snapshot.tables:
            table.source = self.snapshot.rows(name)
            table.row = snapshot_cells
            table.as_of = self.snapshot.built_at
        return table

    def filename(self, name: str) -> str:
        where = self.community.slug if self.community else "organisation"
        return (
            f"{where}-{name}-{self.period.start:%Y-%m-%d}-to-{self.period.end:%Y-%m-%d}"
        )

    def weekly_chart(self, weekly: Table):
        return participation_tables.weekly_chart(weekly)
