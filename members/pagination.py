"""One way to page a list, and one include that links its pages
(templates/includes/pagination.html, with `{% page_query %}` from
members/templatetags/pagination.py).

Two kinds of page, with the same face to templates and views:

- `paginate(rows, query, size=, param="page")`: page N of M of a queryset or
  a list (Django's Paginator: a count, then one page). For lists that stay
  short or show their count: the directory, a community's members, mentoring
  lists, dashboard tables, capped search results. A malformed or out-of-range
  number gives the first or last page. `paginate_sorted_matches()` gives
  the same pages for a queryset PostgreSQL sorts in full anyway (a name
  search), its count read with the page in one query.
- `keyset_page(queryset, position, size=, ...)`: for long lists read newest
  (or most helpful) first: a community's feed, its hidden items, a tag's
  items. The page before or after a cursor is found on an index at any depth,
  with no count and no OFFSET. `Position.from_query(request.GET)` reads
  ?before= (older) or ?after= (newer); a malformed cursor gives the top.

Both have object_list, has_previous(), has_next(), has_other_pages(),
is_first and page_params(direction); `page_query(page, direction, query)`
turns those into the "?…" of a link that keeps the other query parameters.
Numbered pages also have number, paginator.num_pages and paginator.count.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Count, Q, Window
from django.http import QueryDict

# Cursor parts must fit PostgreSQL's bigint; anything else is malformed.
_BIGINT = 2**63 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- Numbered pages ------------------------------------------------------------


class NumberedPage(Page):
    """Django's Page, plus the query parameter that holds its number."""

    param = "page"

    @property
    def is_first(self) -> bool:
        return self.number == 1

    def page_params(self, direction: str) -> dict:
        if direction == "previous":
            return {self.param: self.previous_page_number()}
        return {self.param: self.next_page_number()}


class _Paginator(Paginator):
    def __init__(self, *args, param: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.param = param

    def _get_page(self, *args, **kwargs):
        page = NumberedPage(*args, **kwargs)
        page.param = self.param
        return page


class RowWindow(Sequence):
    """`count` rows of which those from `start` are known: enough for the
    paginator to show the page they hold (a cached page of a dashboard's
    table, a list's first page read without building its queryset)."""

    def __init__(self, count: int, start: int, rows: list):
        self.count_, self.start, self.rows = count, start, rows

    def __len__(self) -> int:
        return self.count_

    def __getitem__(self, index):
        if isinstance(index, slice):
            first, stop, _step = index.indices(self.count_)
            if first < stop and not (
                self.start <= first and stop <= self.start + len(self.rows)
            ):
                # Rows it does not hold: an error, not some other rows.
                raise IndexError(index)
            return self.rows[first - self.start : stop - self.start]
        if not self.start <= index < self.start + len(self.rows):
            raise IndexError(index)
        return self.rows[index - self.start]

    def __iter__(self):
        return iter(self.rows)


def paginate(rows, query: QueryDict, *, size: int | None = None, param="page"):
    """Page `query[param]` of `rows` (a queryset or a list), `size` a page
    (PAGE_SIZE by default)."""
    paginator = _Paginator(rows, size or settings.PAGE_SIZE, param=param)
    return paginator.get_page(query.get(param))


# Pages past this are not read with a window count (their OFFSET would be
# absurd); paginate() gives them the last page, as it always did.
_WINDOW_PAGES_MAX = 100_000


def paginate_sorted_matches(
    queryset: models.QuerySet,
    query: QueryDict,
    *,
    size: int | None = None,
    param="page",
):
    """paginate() for a queryset whose matches PostgreSQL reads and sorts in
    full anyway (a name search served from a trigram index): the page and the
    number of matches in one query, counted by a window over the same rows
    (`COUNT(*) OVER ()`), instead of a count and then the page, which read
    the matches twice. Anything paginate() would not show as asked (a number
    that is not one, below 1, past the last page) goes to paginate(), so
    the pages are the same."""
    size = size or settings.PAGE_SIZE
    try:
        number = int(query.get(param) or 1)
    except ValueError:
        number = 0
    if not 1 <= number <= _WINDOW_PAGES_MAX:
        return paginate(queryset, query, size=size, param=param)
    start = (number - 1) * size
    rows = list(
        queryset.annotate(matches_in_all=Window(Count("*")))[start : start + size]
    )
    if not rows and number > 1:
        return paginate(queryset, query, size=size, param=param)
    count = rows[0].matches_in_all if rows else 0
    paginator = _Paginator(RowWindow(count, start, rows), size, param=param)
    return paginator.page(number)


# --- Keyset pages --------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A row's place in a descending order: (sort value, id). A datetime
    travels as microseconds since the epoch."""

    value: int
    id: int

    def encode(self) -> str:
        return f"{self.value}_{self.id}"

    @classmethod
    def decode(cls, raw: str | None):
        """The cursor in `raw`, or None when there is none or it is malformed."""
        if not raw:
            return None
        value, _sep, pk = raw.partition("_")
        try:
            cursor = cls(int(value), int(pk))
        except ValueError:
            return None
        if abs(cursor.value) > _BIGINT or abs(cursor.id) > _BIGINT:
            return None
        return cursor

    @classmethod
    def of(cls, value, pk: int) -> "Cursor":
        if isinstance(value, datetime):
            value = (value - _EPOCH) // timedelta(microseconds=1)
        return cls(value, pk)


@dataclass(frozen=True)
class Position:
    """Where a keyset page starts: the top, older than `cursor` (?before=),
    or newer than it (?after=, reading back towards the top)."""

    cursor: Cursor | None = None
    newer: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> "Position":
        after = Cursor.decode(query.get("after"))
        if after is not None:
            return cls(after, newer=True)
        return cls(Cursor.decode(query.get("before")))

    @property
    def is_top(self) -> bool:
        return self.cursor is None


@dataclass
class KeysetPage:
    object_list: list
    # Cursors of the first and last rows, when there is something newer or
    # older to link to; `is_first` says this is the top of the list.
    previous_cursor: Cursor | None = None
    next_cursor: Cursor | None = None
    is_first: bool = True
    number = None  # a keyset page has no number: templates test this
    position: Position = field(default_factory=Position)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self) -> bool:
        return not self.is_first

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def page_params(self, direction: str) -> dict:
        if direction == "next":
            return {"before": self.next_cursor.encode(), "after": None}
        if self.previous_cursor is None:  # nothing shown to step back from
            return {"before": None, "after": None}
        return {"before": None, "after": self.previous_cursor.encode()}


def _beyond(queryset, cursor: Cursor, *, newer: bool, field_name: str, id_field: str):
    """Rows after `cursor` in the descending order (before it when `newer`)."""
    value = cursor.value
    if isinstance(queryset.model._meta.get_field(field_name), models.DateTimeField):
        try:
            value = _EPOCH + timedelta(microseconds=value)
        except OverflowError:
            return queryset.none() if newer else queryset
    op = "gt" if newer else "lt"
    return queryset.filter(
        Q(**{f"{field_name}__{op}": value})
        | Q(**{field_name: value, f"{id_field}__{op}": cursor.id})
    )


def first_window(queryset, *, size: int, order: tuple[str, str] = ("created_at", "id")):
    """The rows keyset_page() reads for the top of `queryset`: its first
    size + 1 in descending `order`. For a caller that runs this query its
    own way (compiled once: config.compiled_queries) and hands the rows to
    first_page()."""
    field_name, id_field = order
    return queryset.order_by(f"-{field_name}", f"-{id_field}")[: size + 1]


def first_page(
    rows: list,
    *,
    size: int,
    order: tuple[str, str] = ("created_at", "id"),
    row_key: Callable | None = None,
) -> KeysetPage:
    """keyset_page() at the top, from the rows of first_window() (or, with
    `row_key` as keyset_page() takes it, the rows read for that window)."""
    field_name, id_field = order
    row_key = row_key or (
        lambda row: (getattr(row, field_name), getattr(row, id_field))
    )
    rows = sorted(rows, key=row_key, reverse=True)
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        object_list=rows,
        next_cursor=Cursor.of(*row_key(rows[-1])) if more else None,
        is_first=True,
        position=Position(),
    )


def keyset_page(
    queryset,
    position: Position,
    *,
    size: int,
    order: tuple[str, str] = ("created_at", "id"),
    rows_of: Callable | None = None,
    row_key: Callable | None = None,
) -> KeysetPage:
    """One page of `queryset` in descending `order` (a sort field, then an id
    field to break ties), from `position`: size + 1 rows read, so whether
    there is more needs no count.

    `rows_of(window)` turns the sliced, ordered window into the rows shown,
    when the page is found on one table and read from another (a tag's links,
    then their items); `row_key(row)` gives a shown row's (sort value, id),
    by default its two `order` attributes."""
    field_name, id_field = order
    row_key = row_key or (
        lambda row: (getattr(row, field_name), getattr(row, id_field))
    )
    window = queryset
    if position.cursor is not None:
        window = _beyond(
            window,
            position.cursor,
            newer=position.newer,
            field_name=field_name,
            id_field=id_field,
        )
    sign = "" if position.newer else "-"
    window = window.order_by(f"{sign}{field_name}", f"{sign}{id_field}")[: size + 1]
    rows = list(rows_of(window)) if rows_of else list(window)
    rows.sort(key=row_key, reverse=not position.newer)
    more = len(rows) > size
    rows = rows[:size]
    if position.newer:
        if not more and len(rows) < size:
            # Back at the top with a short page (items came in meanwhile, or
            # the cursor was past the newest): show the top page itself.
            return keyset_page(
                queryset,
                Position(),
                size=size,
                order=order,
                rows_of=rows_of,
                row_key=row_key,
            )
        rows.reverse()
        is_first, older = not more, True
    else:
        is_first, older = position.is_top, more
    return KeysetPage(
        object_list=rows,
        previous_cursor=Cursor.of(*row_key(rows[0])) if rows and not is_first else None,
        next_cursor=Cursor.of(*row_key(rows[-1])) if rows and older else None,
        is_first=is_first,
        position=position,
    )


# --- Links ---------------------------------------------------------------------


def page_params(page, direction: str) -> dict:
    """The query parameters of `page`'s neighbour in `direction` ("previous"
    or "next"); None removes a parameter. A plain Django Page uses ?page=."""
    if hasattr(page, "page_params"):
        return page.page_params(direction)
    if direction == "previous":
        return {"page": page.previous_page_number()}
    return {"page": page.next_page_number()}


def page_query(page, direction: str, query: QueryDict) -> str:
    """ "?…" for the previous or next page, keeping `query`'s other
    parameters (filters, tabs, the other lists' pages on the same page)."""
    params = query.copy()
    for key, value in page_params(page, direction).items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"
