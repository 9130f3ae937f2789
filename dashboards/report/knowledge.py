"""What the organisation knows: most helpful items, rising tags, single-expert
risk."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dashboards import knowledge
from dashboards import rollup_figures as figures
from dashboards.links import member_url
from dashboards.report.cells import community_cell, item_cell, percent
from dashboards.tables import Cell, Table
from knowledge.activities import BALANCE_DAYS


def balance(report) -> Table:
    return Table(
        name="balance",
        title=_("Research, capacity building, practice"),
        caption=_(
            "Items of the last %(days)s days by activity (whatever the period "
            "above). A community is fire-fighting only when, over those days, it "
            "shared practice but no research or capacity building."
        )
        % {"days": BALANCE_DAYS},
        columns=[
            _("Community"),
            _("Research"),
            _("Capacity building"),
            _("Practice"),
            _("Fire-fighting only"),
        ],
        source=lambda: knowledge.activity_balances(report.scope),
        row=lambda row: [
            community_cell(row.community),
            Cell(row.balance.research),
            Cell(row.balance.capacity),
            Cell(row.balance.practice),
            Cell(_("yes") if row.balance.fire_fighting_only else _("no")),
        ],
        empty=_("No community to show."),
    )


def helpful(report) -> Table:
    return Table(
        name="helpful",
        title=_("Most helpful"),
        caption=_("Items ranked by “this helped me” marks given in the period."),
        columns=[_("Item"), _("Community"), _("Helpful marks")],
        source=lambda: figures.most_helpful(report.scope, report.period),
        row=lambda item: [
            item_cell(item),
            community_cell(item.community),
            Cell(item.marks),
        ],
        empty=_("Nobody marked anything helpful in this period."),
    )


def rising(report) -> Table:
    return Table(
        name="rising",
        title=_("Rising tags"),
        caption=_("Tags on new items, compared with the previous %(days)s days.")
        % {"days": report.period.days},
        columns=[
            _("Tag"),
            _("Uses this period"),
            _("Uses previous period"),
            pgettext("table column: difference between periods", "Change"),
            _("Growth"),
        ],
        source=lambda: figures.rising_tags(report.scope, report.period),
        row=lambda t: [
            Cell(t.name),
            Cell(t.current),
            Cell(t.previous),
            Cell(t.change),
            Cell(_("new") if t.growth is None else f"+{percent(t.growth)}"),
        ],
        empty=_("No tag is used more than in the previous period."),
    )


def experts(report) -> Table:
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
            pgettext("table column: proportion", "Share"),
        ],
        source=lambda: figures.single_expert_risks(report.scope),
        row=lambda r: [
            Cell(r.tag),
            Cell(r.accepted_answers),
            Cell(r.expert_name, member_url(r.expert_username)),
            Cell(r.expert_answers),
            Cell(percent(r.share)),
        ],
        empty=_("No tag depends on a single expert."),
    )
