"""Dashboard tables: one definition feeds the page and its CSV download, so
the two always hold the same content."""

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse, QueryDict
from django.utils import timezone

from members.pagination import page_query, paginate


@dataclass(frozen=True)
class Cell:
    value: object
    url: str | None = None

    @property
    def text(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    @property
    def numeric(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


@dataclass
class Table:
    name: str
    title: str
    columns: Sequence[str]
    # A list, a lazy queryset, or a function returning either (called on
    # first use, so a table read from a snapshot never computes its figures);
    # `row` turns one source object into cells.
    source: Iterable | Callable[[], Iterable]
    row: Callable[[object], Sequence[Cell]] = lambda values: [
        v if isinstance(v, Cell) else Cell(v) for v in values
    ]
    empty: str = ""
    caption: str = ""
    page_size: int = 25
    # Filled in by `paginate` for the page.
    page: object = None
    rows: list = field(default_factory=list)
    previous_query: str = ""
    next_query: str = ""
    csv_query: str = ""
    # When the rows come from a nightly snapshot: when it was built.
    as_of: datetime | None = None

    @property
    def objects(self) -> Iterable:
        if callable(self.source):
            self.source = self.source()
        return self.source

    def paginate(self, query: QueryDict) -> "Table":
        """Take this table's page from the request's query string, keeping the
        other parameters (period, other tables' pages) in its links."""
        self.page = paginate(
            self.objects, query, size=self.page_size, param=self.page_param
        )
        self.rows = [self.row(obj) for obj in self.page.object_list]
        if self.page.has_previous():
            self.previous_query = page_query(self.page, "previous", query)
        if self.page.has_next():
            self.next_query = page_query(self.page, "next", query)
        self.csv_query = self._query(
            query, {"format": "csv", "table": self.name}, drop_pages=True
        )
        return self

    @staticmethod
    def _query(query: QueryDict, changes: dict, drop_pages: bool = False) -> str:
        params = query.copy()
        if drop_pages:
            for key in list(params):
                if key.endswith("_page"):
                    del params[key]
        for key, value in changes.items():
            params[key] = value
        return "?" + params.urlencode()

    @property
    def page_param(self) -> str:
        return f"{self.name}_page"

    def all_rows(self) -> Iterable[Sequence[Cell]]:
        for obj in self.objects:
            yield self.row(obj)


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for cells in table.all_rows():
        writer.writerow([_csv_safe(cell.text) for cell in cells])
    return response


def _csv_safe(text: str) -> str:
    # A title like "=HYPERLINK(...)" must not run as a formula in a spreadsheet.
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
