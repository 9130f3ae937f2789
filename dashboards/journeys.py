"""Journeys on the dashboards: 90-day plan completion by join-month cohort
(a table, its CSV and a bar chart) and participation stage moves per month.
Staff see the organisation; a community's stewards see their community."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from dashboards.charts import Bar, bar_chart
from dashboards.scope import Scope
from dashboards.tables import Cell, Table
from journeys.figures import FORWARD_STAGES, plan_cohorts, stage_moves_by_month
from journeys.models import Stage
from members.wording import in_sentence

CHART_MONTHS = 12


class JourneysReport:
    table_names = ("cohorts", "stage_moves")

    def __init__(self, *, scope: Scope, community=None, today=None):
        self.scope = scope
        self.community = community
        self.today = today or timezone.localdate()
        self._cohorts = None
        # The night the cohorts were counted (None: counted now).
        self.counted_on = None

    @property
    def cohorts(self):
        if self._cohorts is None:
            self._cohorts, self.counted_on = plan_cohorts(
                community_ids=self.scope.community_ids, today=self.today
            )
        return self._cohorts

    def cohorts_table(self) -> Table:
        cohorts = self.cohorts  # counted_on is known from here on
        return Table(
            name="cohorts",
            title=_("90-day plans by join month"),
            columns=[
                _("Joined in"),
                _("Newcomers"),
                _("All steps done"),
                _("Left"),
                _("Steps done"),
                _("Steps"),
                _("Completion (%)"),
                _("Due steps done on time (%)"),
                _("Overdue now"),
            ],
            source=cohorts,
            row=lambda c: [
                Cell(c.month.strftime("%Y-%m")),
                Cell(c.newcomers),
                Cell(c.complete),
                Cell(c.left),
                Cell(c.steps_done),
                Cell(c.steps),
                Cell(c.completion),
                Cell(c.on_time),
                Cell(c.overdue),
            ],
            empty=_("Nobody has joined since 90-day plans began."),
            caption=_(
                "Each newcomer's plan has five steps: the tour (day 7), a check-in "
                "with a steward (14), an internal networker (30), a peer coach "
                "(60) and a story (90)."
            ),
        )

    def stage_moves_table(self) -> Table:
        def row(m):
            return [
                Cell(m.month.strftime("%Y-%m")),
                *(Cell(m.up[stage]) for stage in FORWARD_STAGES),
                Cell(m.down),
            ]

        return Table(
            name="stage_moves",
            title=_("Moves between participation stages by month"),
            columns=[
                _("Month"),
                *(
                    _("To %(stage)s") % {"stage": in_sentence(Stage(s).label)}
                    for s in FORWARD_STAGES
                ),
                _("Back a stage"),
            ],
            source=lambda: stage_moves_by_month(community_ids=self.scope.community_ids),
            row=row,
            empty=_("No stage moves yet: they are counted every night."),
            caption=_(
                "Reader, asker, answerer, storyteller, mentor or steward: a move "
                "is counted the night a member reaches a new stage in a community."
            ),
        )

    def table(self, name: str) -> Table:
        if name == "cohorts":
            return self.cohorts_table()
        if name == "stage_moves":
            return self.stage_moves_table()
        raise KeyError(name)

    def filename(self, name: str) -> str:
        where = self.community.slug if self.community else "organisation"
        return f"{where}-journeys-{name}-{self.today:%Y-%m-%d}"

    def cohort_chart(self):
        recent = list(reversed(self.cohorts[:CHART_MONTHS]))
        bars = [
            Bar(
                label=date_format(c.month, "M y"),
                value=c.completion,
                tooltip=_("%(month)s: %(pct)d%% of %(n)d newcomers' steps done")
                % {
                    "month": date_format(c.month, "F Y"),
                    "pct": c.completion,
                    "n": c.newcomers,
                },
            )
            for c in recent
        ]
        summary = "; ".join(
            f"{date_format(c.month, 'F Y')}: {c.completion}%" for c in reversed(recent)
        ) or _("no cohorts yet")
        return bar_chart(
            bars,
            chart_id="journeys-cohorts",
            title=_("Completion of 90-day plans by join month (%)"),
            description=summary,
        )
