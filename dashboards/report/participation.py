"""Participation tables: headline figures, leader roles, contributions per
week (and its chart), every community."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import rollup_figures as figures
from dashboards.charts import Bar, bar_chart
from dashboards.links import community_dashboard_url
from dashboards.report.cells import duration_text, percent
from dashboards.tables import Cell, Table


def summary(report) -> Table:
    return Table(
        name="summary",
        title=_("Headline figures"),
        columns=[_("Figure"), _("Value")],
        source=lambda: _summary_rows(report),
    )


def _summary_rows(report) -> list:
    p, u = report.participation_figures, report.unanswered_figures
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


def roles(report) -> Table:
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
        source=lambda: report.participation_figures.roles,
        row=row,
    )


def weekly(report) -> Table:
    return Table(
        name="weekly",
        title=_("Contributions per week"),
        columns=[_("Week from"), _("Week to"), _("Contributions")],
        source=lambda: report.participation_figures.weeks,
        row=lambda w: [
            Cell(timezone.localtime(w.start).date()),
            Cell(timezone.localtime(w.end - timedelta(seconds=1)).date()),
            Cell(w.contributions),
        ],
        # One page for the longest custom period (three years, 157 weeks): the
        # chart reads every week, from the cache as well (table_cache).
        page_size=200,
    )


def weekly_chart(weekly: Table):
    """The chart of the weekly table's rows (live or from a snapshot):
    week from (a date), week to, contributions."""
    weeks = [(cells[0].value, cells[2].value) for cells in weekly.all_rows()]
    bars = [
        Bar(
            label=date_format(start, "d M"),
            value=n,
            tooltip=ngettext(
                "Week from %(day)s: %(n)s contribution",
                "Week from %(day)s: %(n)s contributions",
                n,
            )
            % {"day": date_format(start, "d M Y"), "n": n},
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
            "day": date_format(busiest_start, "d M Y"),
            "max": busiest,
        },
    )


def communities(report) -> Table:
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
        source=lambda: figures.participation_by_community(report.period),
        row=row,
        empty=_("No communities yet."),
        page_size=50,
    )
