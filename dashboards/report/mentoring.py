"""Mentoring tables: figures, quiet pairs, matches per broker."""

from django.utils.translation import gettext as _

from dashboards import mentoring as figures
from dashboards.links import member_url, pair_url
from dashboards.report.cells import duration_text, member_cell, percent
from dashboards.tables import Cell, Table
from mentoring.permissions import can_view_pair


def mentoring_summary(report) -> Table:
    return Table(
        name="mentoring_summary",
        title=_("Mentoring figures"),
        caption=_mentoring_caption(report),
        columns=[_("Figure"), _("Value")],
        source=lambda: _mentoring_rows(report),
    )


def _mentoring_rows(report) -> list:
    m = report.mentoring_figures
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
            % {"days": figures.reminder_days()},
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


def _mentoring_caption(report) -> str:
    if report.scope.is_organisation:
        return _("Every mentoring request and pair in the organisation.")
    return _(
        "Requests filed with this community, and requests naming no "
        "community from its active members; pairs follow their request."
    )


def mentoring_quiet(report) -> Table:
    def row(pair):
        may_open = can_view_pair(report.viewer, pair)
        return [
            Cell(
                _("%(mentor)s and %(mentee)s")
                % {
                    "mentor": pair.mentor.display_name,
                    "mentee": pair.mentee.display_name,
                },
                pair_url(pair.pk) if may_open else None,
            ),
            member_cell(pair.mentor),
            member_cell(pair.mentee),
            member_cell(pair.broker) if pair.broker else Cell(_("Direct")),
            Cell(pair.started_at),
            Cell(pair.last_checkin_at),
            Cell((report.now - pair.quiet_from).days),
        ]

    return Table(
        name="mentoring_quiet",
        title=_("Pairs without a recent check-in"),
        caption=_(
            "Active pairs with no check-in for %(days)s days or more, quiet "
            "longest first. A word from the broker or a steward helps."
        )
        % {"days": figures.reminder_days()},
        columns=[
            _("Pair"),
            _("Mentor"),
            _("Mentee"),
            _("Broker"),
            _("Started"),
            _("Last check-in"),
            _("Days quiet"),
        ],
        source=figures.quiet_pairs(report.scope),
        row=row,
        empty=_("Every active pair has checked in recently."),
    )


def mentoring_brokers(report) -> Table:
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
        source=lambda: figures.matches_per_broker(report.scope, report.period),
        row=row,
        empty=_("No match was proposed in this period."),
    )
