"""Who is left out: newcomers whose first post waited, questions without an
answer, members who asked and never got one; and the exclusion radar: join
requests left waiting, the status gap, silent units and locations, members
nobody answers."""

from django.utils.translation import gettext as _

from dashboards import exclusion as figures
from dashboards import rollup_figures
from dashboards.links import item_url
from dashboards.report.cells import (
    community_cell,
    duration_text,
    item_cell,
    member_cell,
    place_cell,
)
from dashboards.tables import Cell, Table


def newcomers(report) -> Table:
    return Table(
        name="newcomers",
        title=_("Newcomers whose first post waited a week"),
        caption=_(
            "Their first post got no answer within 7 days. A reply now still "
            "draws them in."
        ),
        columns=[_("Newcomer"), _("Community"), _("First post"), _("Posted")],
        source=rollup_figures.newcomers_unanswered(report.scope, report.period),
        row=lambda item: [
            member_cell(item.author),
            community_cell(item.community),
            item_cell(item),
            Cell(item.created_at),
        ],
        empty=_("Every newcomer's first post got an answer within a week."),
    )


def unanswered(report) -> Table:
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
        source=rollup_figures.unanswered_questions(report.scope, report.period),
        row=lambda item: [
            item_cell(item),
            community_cell(item.community),
            member_cell(item.author),
            Cell(item.created_at),
            Cell((report.now - item.created_at).days),
        ],
        empty=_("Every question has an answer."),
    )


def askers(report) -> Table:
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
        source=rollup_figures.askers_never_answered(report.scope, report.period),
        row=lambda user: [
            member_cell(user),
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


def join_waiting(report) -> Table:
    return Table(
        name="join_waiting",
        title=_("Join requests waiting over a week"),
        caption=_("Per steward: someone asked to take part and is still waiting."),
        columns=[
            _("Steward"),
            _("Community"),
            _("Requests waiting"),
            _("Oldest request"),
            _("Days waiting"),
        ],
        source=figures.join_requests_waiting(report.scope, report.now),
        row=lambda m: [
            member_cell(m.user),
            community_cell(m.community),
            Cell(m.waiting),
            Cell(m.oldest_request_at),
            Cell((report.now - m.oldest_request_at).days),
        ],
        empty=_("No request to join has waited over a week."),
    )


def status_gap(report) -> Table:
    def row(gap):
        where = (
            place_cell(gap.community) if gap.community else Cell(_("All communities"))
        )
        return [
            where,
            Cell(gap.asked_by_members),
            Cell(duration_text(gap.median_members)),
            Cell(gap.asked_by_leaders),
            Cell(duration_text(gap.median_leaders)),
            Cell("" if gap.ratio is None else f"{gap.ratio:.1f}×"),
            Cell(
                _("Members without a role wait over %(n)s× as long")
                % {"n": f"{figures.STATUS_GAP_FLAG:g}"}
                if gap.flagged
                else ""
            ),
        ]

    return Table(
        name="status_gap",
        title=_("The status gap"),
        caption=_(
            "Median time to a first answer for questions asked in the period: "
            "members without a leadership role against line leaders, executives "
            "and networkers. Flagged above %(n)s×."
        )
        % {"n": f"{figures.STATUS_GAP_FLAG:g}"},
        columns=[
            _("Community"),
            _("Questions by members without a role"),
            _("Their median wait"),
            _("Questions by leaders"),
            _("Leaders' median wait"),
            _("Gap"),
            _("Flag"),
        ],
        source=lambda: rollup_figures.status_gaps(report.scope, report.period),
        row=row,
        empty=_("No question asked in this period got an answer yet."),
    )


def silent_places(report) -> Table:
    kinds = {"business_unit": _("Business unit"), "location": _("Location")}
    return Table(
        name="silent_places",
        title=_("Units and locations with members but no contributions"),
        caption=_("Nobody from there posted or replied in the period."),
        columns=[_("Unit or location"), _("Kind"), _("Members")],
        source=lambda: rollup_figures.silent_places(report.scope, report.period),
        row=lambda p: [Cell(p.name), Cell(str(kinds[p.kind])), Cell(p.members)],
        empty=_("Every unit and location with members contributed."),
    )


def unheard(report) -> Table:
    return Table(
        name="unheard",
        title=_("Members whose last %(n)s posts got no response")
        % {"n": figures.UNHEARD_POSTS},
        caption=_("Nobody else replied to any of them."),
        columns=[_("Member"), _("Latest post")],
        source=rollup_figures.unheard_members(report.scope, report.period),
        row=lambda user: [member_cell(user), Cell(user.latest_post_at)],
        empty=_("Everyone who keeps posting gets a response."),
    )
