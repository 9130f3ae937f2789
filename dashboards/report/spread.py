"""How ideas spread: flows between communities, who learns from whom, pockets
of innovation."""

from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from dashboards import spread as figures
from dashboards.report.cells import community_cell, item_cell, percent, place_cell
from dashboards.tables import Cell, Table


def flows(report) -> Table:
    return Table(
        name="flows",
        title=_("Shares and adoptions between communities"),
        columns=[_("From"), _("To"), _("Shares"), _("Adoptions"), _("Total")],
        source=lambda: report.spread_figures.flows,
        row=lambda f: [
            place_cell(f.source),
            place_cell(f.target),
            Cell(f.shares),
            Cell(f.adoptions),
            Cell(f.total),
        ],
        empty=_("Nothing was shared or adopted between communities."),
    )


class _Columns(Sequence):
    """Column names counted on first use: the matrix's columns are its
    places, which a table read from the cache (dashboards.table_cache) has
    with its rows, without counting the flows."""

    def __init__(self, names: Callable[[], list[str]]):
        self._names, self._found = names, None

    def _all(self) -> list[str]:
        if self._found is None:
            self._found = self._names()
        return self._found

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


def matrix(report) -> Table:
    def places():
        return report.spread_figures.matrix_places

    return Table(
        name="matrix",
        title=_("Who learns from whom"),
        caption=_(
            "Shares plus adoptions from the community in the row to the "
            "community in the column (the %(n)s most connected)."
        )
        % {"n": figures.MATRIX_SIZE},
        columns=_Columns(lambda: [_("From \\ to")] + [p.name for p in places()]),
        source=lambda: list(zip(places(), report.spread_figures.matrix, strict=True)),
        row=lambda pair: [Cell(pair[0].name)] + [Cell(n) for n in pair[1]],
        empty=_("Nothing was shared or adopted between communities."),
        page_size=figures.MATRIX_SIZE,
    )


def pockets(report) -> Table:
    return Table(
        name="pockets",
        title=_("Pockets of innovation"),
        caption=_(
            "Items that two or more other communities adopted and kept (kept or "
            "adapted at their latest 30- or 90-day check-in). Adoptions whose "
            "outcome is not yet known never count as lasting."
        ),
        columns=[
            _("Item"),
            _("From community"),
            _("Adoptions that lasted"),
            _("Adoptions not yet known"),
            _("Last adopted"),
        ],
        source=lambda: figures.pockets_of_innovation(report.scope),
        row=lambda item: [
            item_cell(item),
            community_cell(item.community),
            Cell(item.adopters),
            Cell(item.unknown),
            Cell(item.last_adopted_at),
        ],
        empty=_("No item has yet lasted in two other communities."),
    )


def stick_rates(report) -> Table:
    return Table(
        name="stick",
        title=_("Stick rate"),
        caption=_(
            "How the adoptions of each community's items by other communities "
            "fared, at any time: lasted (kept or adapted at the latest check-in) "
            "out of those with a known outcome."
        ),
        columns=[
            _("Community"),
            _("Lasted"),
            _("Dropped"),
            _("Not yet known"),
            _("Stick rate"),
        ],
        source=lambda: figures.stick_rate_rows(report.scope, report.viewer),
        row=lambda r: [
            community_cell(r.community),
            Cell(r.rate.lasted),
            Cell(r.rate.dropped),
            Cell(r.rate.unknown),
            Cell(percent(r.rate.rate) if r.rate.rate is not None else _("not known")),
        ],
        empty=_("No item of these communities has been adopted elsewhere."),
    )
