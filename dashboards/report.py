"""A dashboard: the figures for one scope and period, laid out as tables.

Figures are computed lazily, so a CSV download runs only the queries its
table needs. Each table is defined once here and rendered both on the page
and as CSV (tables.py), so the two never disagree.

Sections, in page order: participation, left out, spread, knowledge,
mentoring.
"""

from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import exclusion, knowledge, mentoring, participation, spread
from dashboards.charts import Bar, bar_chart
from dashboards.links import (
    community_dashboard_url,
    community_url,
    item_url,
    member_url,
    pair_url,
)
from dashboards.models import cells as snapshot_cells
from dashboards.periods import Period
from dashboards.scope import Scope
from dashboards.tables import Cell, Table
from mentoring.permissions import can_view_pair

SECTIONS = {
    "participation": ["summary", "roles", "weekly"],
    "left_out": ["newcomers", "unanswered", "askers"],
    "spread": ["flows", "matrix", "pockets"],
    "knowledge": ["helpful", "rising", "experts"],
    "mentoring": ["mentoring_summary", "mentoring_quiet", "mentoring_brokers"],
}
ORGANISATION_TABLES = ["communities"]


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return ""
    hours = value.total_seconds() / 3600
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", round(hours)) % {"n": round(hours)}
    days = round(hours / 24)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def _item_cell(item) -> Cell:
    return Cell(
        item.title,
        item_url(community_slug=item.community.slug, pk=item.pk, title=item.title),
    )


def _member_cell(user) -> Cell:
    return Cell(user.display_name, member_url(user.username))


def _community_cell(community) -> Cell:
    return Cell(community.name, community_url(community.slug))


def _place_cell(place) -> Cell:
    return Cell(place.name, community_url(place.slug) if place.slug else None)


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
        return participation.participation_summary(self.scope, self.period)

    @cached_property
    def unanswered_figures(self) -> exclusion.UnansweredSummary:
        return exclusion.unanswered_summary(self.scope, self.period)

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
        table = getattr(self, f"_table_{name}")()
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

    def _table_summary(self) -> Table:
        return Table(
            name="summary",
            title=_("Headline figures"),
            columns=[_("Figure"), _("Value")],
            source=self._summary_rows,
        )

    def _summary_rows(self) -> list:
        p, u = self.participation_figures, self.unanswered_figures
        equity = p.equity
        rows = [
            (_("Members"), p.members),
            (_("Members who contributed"), p.contributing_members),
            (_("Contributions (items and replies)"), p.contributions),
            (
                _("Newcomers (first %(days)s days)")
                % {"days": settings.PRACTICA_NEWCOMER_DAYS},
                p.newcomers,
            ),
            (_("Newcomers who contributed"), p.contributing_newcomers),
            (_("Peripheral members (no contribution)"), p.peripheral),
            (
                ngettext(
                    "Share of contributions by the top 10%% (%(n)s person)",
                    "Share of contributions by the top 10%% (%(n)s people)",
                    equity.top_count,
                )
                % {"n": equity.top_count},
                percent(equity.top_share),
            ),
            (
                _("Gini coefficient (0 = equal, 1 = one person)"),
                "" if equity.gini is None else f"{equity.gini:.2f}",
            ),
            (_("Questions without an answer"), u.count),
            (
                _("Oldest unanswered question"),
                u.oldest_at.date() if u.oldest_at else "",
            ),
            (
                _("Median time to a first answer (questions in the period)"),
                duration_text(u.median_wait),
            ),
        ]
        return rows

    def _table_roles(self) -> Table:
        def row(cov):
            if cov.active:
                status = _("Active")
            elif cov.present:
                status = _("Present, not contributing")
            else:
                status = _("Missing")
            return [
                Cell(str(cov.label)),
                Cell(cov.present),
                Cell(cov.active),
                Cell(status),
            ]

        return Table(
            name="roles",
            title=_("Leader roles"),
            caption=_(
                "Senge's three kinds of leader: is each among the members, and did "
                "they contribute in the period?"
            ),
            columns=[
                _("Leadership role"),
                _("Members holding it"),
                _("Of whom contributed"),
                _("Coverage"),
            ],
            source=lambda: self.participation_figures.roles,
            row=row,
        )

    def _table_weekly(self) -> Table:
        return Table(
            name="weekly",
            title=_("Contributions per week"),
            columns=[_("Week from"), _("Week to"), _("Contributions")],
            source=lambda: self.participation_figures.weeks,
            row=lambda w: [
                Cell(timezone.localtime(w.start).date()),
                Cell(timezone.localtime(w.end - timedelta(seconds=1)).date()),
                Cell(w.contributions),
            ],
            page_size=200,
        )

    def weekly_chart(self, weekly: Table):
        """The chart of the weekly table's rows (live or from a snapshot):
        week from (a date), week to, contributions."""
        weeks = [(cells[0].value, cells[2].value) for cells in weekly.all_rows()]
        bars = [
            Bar(
                label=f"{start:%d %b}",
                value=n,
                tooltip=ngettext(
                    "Week from %(day)s: %(n)s contribution",
                    "Week from %(day)s: %(n)s contributions",
                    n,
                )
                % {"day": f"{start:%d %b %Y}", "n": n},
            )
            for start, n in weeks
        ]
        total = sum(n for _start, n in weeks)
        busiest_start, busiest = max(weeks, key=lambda w: w[1])
        return bar_chart(
            bars,
            chart_id="weekly-chart",
            title=_("Contributions per week, last %(n)s weeks") % {"n": len(weeks)},
            description=_(
                "%(total)s contributions over %(n)s weeks; the busiest week "
                "(from %(day)s) had %(max)s. The table below lists every week."
            )
            % {
                "total": total,
                "n": len(weeks),
                "day": f"{busiest_start:%d %b %Y}",
                "max": busiest,
            },
        )

    def _table_communities(self) -> Table:
        def row(r):
            c = r.community
            status = [str(c.get_visibility_display()).split(":")[0]]
            if c.is_archived:
                status.append(_("archived"))
            return [
                Cell(c.name, community_dashboard_url(c.slug)),
                Cell(r.members),
                Cell(r.contributing_members),
                Cell(r.contributions),
                Cell(r.newcomers),
                Cell(r.contributing_newcomers),
                Cell(r.peripheral),
                Cell(r.role_gaps(r.roles_present)),
                Cell(r.role_gaps(r.roles_active)),
                Cell(", ".join(status)),
            ]

        return Table(
            name="communities",
            title=_("Every community"),
            columns=[
                _("Community"),
                _("Members"),
                _("Members who contributed"),
                _("Contributions"),
                _("Newcomers"),
                _("Newcomers who contributed"),
                _("Peripheral"),
                _("Leader roles present"),
                _("Leader roles contributing"),
                _("Status"),
            ],
            source=lambda: participation.participation_by_community(self.period),
            row=row,
            empty=_("No communities yet."),
            page_size=50,
        )

    def _table_newcomers(self) -> Table:
        return Table(
            name="newcomers",
            title=_("Newcomers whose first post waited a week"),
            caption=_(
                "Their first post got no answer within 7 days. A reply now still "
                "draws them in."
            ),
            columns=[_("Newcomer"), _("Community"), _("First post"), _("Posted")],
            source=exclusion.newcomers_unanswered(self.scope, self.period),
            row=lambda item: [
                _member_cell(item.author),
                _community_cell(item.community),
                _item_cell(item),
                Cell(item.created_at),
            ],
            empty=_("Every newcomer's first post got an answer within a week."),
        )

    def _table_unanswered(self) -> Table:
        return Table(
            name="unanswered",
            title=_("Questions without an answer"),
            caption=_("Oldest first."),
            columns=[
                _("Question"),
                _("Community"),
                _("Asked by"),
                _("Asked"),
                _("Days waiting"),
            ],
            source=exclusion.unanswered_questions(self.scope, self.period),
            row=lambda item: [
                _item_cell(item),
                _community_cell(item.community),
                _member_cell(item.author),
                Cell(item.created_at),
                Cell((self.now - item.created_at).days),
            ],
            empty=_("Every question has an answer."),
        )

    def _table_askers(self) -> Table:
        return Table(
            name="askers",
            title=_("Members who asked and never got an answer"),
            caption=_("None of their questions has a reply from someone else."),
            columns=[
                _("Member"),
                _("Questions asked"),
                _("Latest question"),
                _("Asked"),
            ],
            source=exclusion.askers_never_answered(self.scope, self.period),
            row=lambda user: [
                _member_cell(user),
                Cell(user.questions),
                Cell(
                    user.latest_question_title,
                    item_url(
                        community_slug=user.latest_question_slug,
                        pk=user.latest_question_id,
                        title=user.latest_question_title,
                    ),
                ),
                Cell(user.latest_question_at),
            ],
            empty=_("Everyone who asked got an answer."),
        )

    def _table_flows(self) -> Table:
        return Table(
            name="flows",
            title=_("Shares and adoptions between communities"),
            columns=[_("From"), _("To"), _("Shares"), _("Adoptions"), _("Total")],
            source=lambda: self.spread_figures.flows,
            row=lambda f: [
                _place_cell(f.source),
                _place_cell(f.target),
                Cell(f.shares),
                Cell(f.adoptions),
                Cell(f.total),
            ],
            empty=_("Nothing was shared or adopted between communities."),
        )

    def _table_matrix(self) -> Table:
        places = self.spread_figures.matrix_places
        return Table(
            name="matrix",
            title=_("Who learns from whom"),
            caption=_(
                "Shares plus adoptions from the community in the row to the "
                "community in the column (the %(n)s most connected)."
            )
            % {"n": spread.MATRIX_SIZE},
            columns=[_("From \\ to")] + [p.name for p in places],
            source=lambda: list(zip(places, self.spread_figures.matrix, strict=True)),
            row=lambda pair: [Cell(pair[0].name)] + [Cell(n) for n in pair[1]],
            empty=_("Nothing was shared or adopted between communities."),
            page_size=spread.MATRIX_SIZE,
        )

    def _table_pockets(self) -> Table:
        return Table(
            name="pockets",
            title=_("Pockets of innovation"),
            caption=_("Items adopted by two or more other communities."),
            columns=[
                _("Item"),
                _("From community"),
                _("Adopted by (communities)"),
                _("Last adopted"),
            ],
            source=spread.pockets_of_innovation(self.scope),
            row=lambda item: [
                _item_cell(item),
                _community_cell(item.community),
                Cell(item.adopters),
                Cell(item.last_adopted_at),
            ],
            empty=_("No item has been adopted by two communities yet."),
        )

    def _table_helpful(self) -> Table:
        return Table(
            name="helpful",
            title=_("Most helpful"),
            caption=_("Items ranked by “this helped me” marks given in the period."),
            columns=[_("Item"), _("Community"), _("Helpful marks")],
            source=knowledge.most_helpful(self.scope, self.period),
            row=lambda item: [
                _item_cell(item),
                _community_cell(item.community),
                Cell(item.marks),
            ],
            empty=_("Nobody marked anything helpful in this period."),
        )

    def _table_rising(self) -> Table:
        return Table(
            name="rising",
            title=_("Rising tags"),
            caption=_("Tags on new items, compared with the previous %(days)s days.")
            % {"days": self.period.days},
            columns=[
                _("Tag"),
                _("Uses this period"),
                _("Uses previous period"),
                _("Change"),
                _("Growth"),
            ],
            source=lambda: knowledge.rising_tags(self.scope, self.period),
            row=lambda t: [
                Cell(t.name),
                Cell(t.current),
                Cell(t.previous),
                Cell(t.change),
                Cell(_("new") if t.growth is None else f"+{percent(t.growth)}"),
            ],
            empty=_("No tag is used more than in the previous period."),
        )

    def _table_experts(self) -> Table:
        return Table(
            name="experts",
            title=_("Single-expert risk"),
            caption=_(
                "Tags where one member wrote more than half of the accepted "
                "answers (at least %(min)s). If they leave, the knowledge goes "
                "with them: pair them with a mentee."
            )
            % {"min": knowledge.EXPERT_MIN_ANSWERS},
            columns=[
                _("Tag"),
                _("Accepted answers"),
                _("Expert"),
                _("Expert's answers"),
                _("Share"),
            ],
            source=lambda: knowledge.single_expert_risks(self.scope),
            row=lambda r: [
                Cell(r.tag),
                Cell(r.accepted_answers),
                Cell(r.expert_name, member_url(r.expert_username)),
                Cell(r.expert_answers),
                Cell(percent(r.share)),
            ],
            empty=_("No tag depends on a single expert."),
        )

    def _table_mentoring_summary(self) -> Table:
        return Table(
            name="mentoring_summary",
            title=_("Mentoring figures"),
            caption=self._mentoring_caption(),
            columns=[_("Figure"), _("Value")],
            source=self._mentoring_rows,
        )

    def _mentoring_rows(self) -> list:
        m = self.mentoring_figures
        rows = [
            (_("Requests waiting for a match (now)"), m.waiting),
            (
                _("Waiting since (oldest request)"),
                m.oldest_waiting_at.date() if m.oldest_waiting_at else "",
            ),
            (_("Requests matched in the period"), m.matched),
            (_("Median wait from request to match"), duration_text(m.median_wait)),
            (_("Active pairs (now)"), m.active_pairs),
            (
                _("Active pairs without a check-in for %(days)s days")
                % {"days": mentoring.reminder_days()},
                m.quiet_pairs,
            ),
            (_("Pairs completed in the period"), m.completed),
            (_("Pairs closed early in the period"), m.closed_early),
            (_("Completion rate (completed / ended)"), percent(m.completion_rate)),
            (_("Feedback given in the period"), m.ratings),
            (
                _("Average rating (1 to 5)"),
                "" if m.average_rating is None else f"{m.average_rating:.1f}",
            ),
        ]
        return rows

    def _mentoring_caption(self) -> str:
        if self.scope.is_organisation:
            return _("Every mentoring request and pair in the organisation.")
        return _(
            "Requests filed with this community, and requests naming no "
            "community from its active members; pairs follow their request."
        )

    def _table_mentoring_quiet(self) -> Table:
        def row(pair):
            may_open = can_view_pair(self.viewer, pair)
            return [
                Cell(
                    _("%(mentor)s and %(mentee)s")
                    % {
                        "mentor": pair.mentor.display_name,
                        "mentee": pair.mentee.display_name,
                    },
                    pair_url(pair.pk) if may_open else None,
                ),
                _member_cell(pair.mentor),
                _member_cell(pair.mentee),
                _member_cell(pair.broker) if pair.broker else Cell(_("Direct")),
                Cell(pair.started_at),
                Cell(pair.last_checkin_at),
                Cell((self.now - pair.quiet_from).days),
            ]

        return Table(
            name="mentoring_quiet",
            title=_("Pairs without a recent check-in"),
            caption=_(
                "Active pairs with no check-in for %(days)s days or more, quiet "
                "longest first. A word from the broker or a steward helps."
            )
            % {"days": mentoring.reminder_days()},
            columns=[
                _("Pair"),
                _("Mentor"),
                _("Mentee"),
                _("Broker"),
                _("Started"),
                _("Last check-in"),
                _("Days quiet"),
            ],
            source=mentoring.quiet_pairs(self.scope),
            row=row,
            empty=_("Every active pair has checked in recently."),
        )

    def _table_mentoring_brokers(self) -> Table:
        def row(b):
            who = (
                Cell(b.name, member_url(b.username))
                if b.broker_id
                else Cell(_("Asked a mentor directly"))
            )
            return [
                who,
                Cell(b.proposed),
                Cell(b.accepted),
                Cell(b.declined),
                Cell(b.completed),
            ]

        return Table(
            name="mentoring_brokers",
            title=_("Matches per broker"),
            caption=_("Pairs proposed in the period and what became of them."),
            columns=[
                _("Broker"),
                _("Proposed"),
                _("Accepted by both"),
                _("Declined"),
                _("Completed"),
            ],
            source=lambda: mentoring.matches_per_broker(self.scope, self.period),
            row=row,
            empty=_("No match was proposed in this period."),
        )
