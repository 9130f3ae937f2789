"""Who is left out: newcomers whose first post waited, questions without an
answer, members who asked and never got one."""

from django.utils.translation import gettext as _

from dashboards import exclusion as figures
from dashboards.links import item_url
from dashboards.report.cells import community_cell, item_cell, member_cell
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
        source=figures.newcomers_unanswered(report.scope, report.period),
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
        source=figures.unanswered_questions(report.scope, report.period),
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
        source=figures.askers_never_answered(report.scope, report.period),
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
