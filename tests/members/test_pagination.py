"""members.pagination: numbered pages and keyset pages, the one include
that links them, and what malformed page parameters do (never a 500)."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from members.models import User
from members.pagination import (
    Cursor,
    KeysetPage,
    Position,
    keyset_page,
    page_query,
    paginate,
    paginate_sorted_matches,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
ORDER = ("date_joined", "id")


def q(text: str = "") -> QueryDict:
    return QueryDict(text)


@pytest.fixture
def people():
    """Seven members, person 0 the newest; two joined at the same moment so
    the id breaks the tie."""
    start = timezone.now()
    joined = [start - timedelta(hours=n) for n in range(7)]
    joined[4] = joined[3]
    users = [UserFactory(date_joined=moment) for moment in joined]
    users[3], users[4] = sorted(users[3:5], key=lambda u: -u.pk)
    return users


def members():
    return User.objects.filter(email__startswith="person")


def pks(page):
    return [row.pk for row in page]


def walk(position, size=3, rel="next", queryset=None):
    """Keyset pages from `position`, following next (or previous) params."""
    pages = []
    while True:
        page = keyset_page(queryset or members(), position, size=size, order=ORDER)
        pages.append(page)
        has_more = page.has_next() if rel == "next" else page.has_previous()
        if not has_more:
            return pages
        query = q(page_query(page, rel, q()).removeprefix("?"))
        position = Position.from_query(query)


# --- Numbered pages -------------------------------------------------------------


def test_numbered_first_middle_last_pages(people):
    rows = list(range(7))
    first = paginate(rows, q(), size=3)
    assert list(first) == [0, 1, 2] and first.is_first
    assert not first.has_previous() and first.has_next()
    assert page_query(first, "next", q("sort=name")) == "?sort=name&page=2"
    last = paginate(rows, q("page=3"), size=3)
    assert list(last) == [6] and last.has_previous() and not last.has_next()
    assert last.paginator.num_pages == 3 and last.paginator.count == 7


def test_numbered_malformed_or_out_of_range_numbers_give_first_or_last(people):
    rows = list(range(7))
    assert paginate(rows, q("page=abc"), size=3).number == 1
    assert paginate(rows, q("page=-1"), size=3).number == 3
    assert paginate(rows, q("page=99999999999999999999"), size=3).number == 3


@pytest.mark.parametrize(
    "raw",
    ["", "page=1", "page=2", "page=3", "page=4", "page=0", "page=-1", "page=abc",
     "page=", "page=99999999999999999999", "other=1&page=2"],
)  # fmt: skip
def test_sorted_matches_are_the_pages_paginate_gives(people, raw):
    """The page and its count in one query (a window count) show the same
    rows, number and count as paginate()'s count and page, for every kind
    of number, and a page past the end or a malformed number too."""
    ordered = members().order_by("date_joined", "pk")
    expected = paginate(ordered, q(raw), size=3)
    page = paginate_sorted_matches(ordered, q(raw), size=3)
    assert pks(page) == pks(expected)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == 7
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert page.has_next() == expected.has_next()


def test_sorted_matches_read_the_page_and_its_count_in_one_query(
    people, django_assert_num_queries
):
    ordered = members().order_by("date_joined", "pk")
    with django_assert_num_queries(1):
        page = paginate_sorted_matches(ordered, q("page=2"), size=3)
        assert len(pks(page)) == 3 and page.paginator.count == 7
    with django_assert_num_queries(1):
        page = paginate_sorted_matches(
            members().filter(email="nobody").order_by("pk"), q(), size=3
        )
        assert list(page) == [] and page.paginator.count == 0 and page.is_first


def test_numbered_empty_list_is_one_empty_page():
    page = paginate([], q("page=4"), size=3)
    assert list(page) == [] and page.is_first and not page.has_other_pages()


def test_numbered_page_in_its_own_parameter_keeps_the_others():
    page = paginate(list(range(30)), q("rpage=2&ppage=3"), size=10, param="ppage")
    assert page.number == 3
    assert page_query(page, "previous", q("rpage=2&ppage=3")) == "?rpage=2&ppage=2"


def test_a_plain_django_page_links_with_page():
    page = Paginator(list(range(30)), 10).get_page(2)
    assert page_query(page, "next", q("period=weekly&page=2")) == (
        "?period=weekly&page=3"
    )


# --- Keyset pages ---------------------------------------------------------------


def test_keyset_walks_every_row_once_newest_first(people):
    pages = walk(Position())
    assert [pks(page) for page in pages] == [
        [u.pk for u in people[0:3]],
        [u.pk for u in people[3:6]],
        [people[6].pk],
    ]
    assert pages[0].is_first and not pages[0].has_previous()
    assert not pages[-1].has_next() and pages[-1].has_previous()


def test_keyset_previous_walks_back_to_the_top(people):
    last = walk(Position())[-1]
    newer = Position.from_query(q(page_query(last, "previous", q())[1:]))
    back = walk(newer, rel="previous")
    assert [pks(page) for page in back] == [
        [u.pk for u in people[3:6]],
        [u.pk for u in people[0:3]],
    ]
    assert back[-1].is_first and not back[-1].has_previous()


def test_keyset_newer_than_a_short_top_shows_the_top_page(people):
    """Fewer rows newer than the cursor than a page holds: the top page
    itself, full, not just those rows."""
    newest = UserFactory(date_joined=timezone.now() + timedelta(hours=1))
    cursor = Cursor.of(people[1].date_joined, people[1].pk)
    page = keyset_page(members(), Position(cursor, newer=True), size=3, order=ORDER)
    assert pks(page) == [newest.pk, people[0].pk, people[1].pk]
    assert page.is_first and page.has_next()


def test_keyset_empty_list_is_one_empty_first_page():
    page = keyset_page(members(), Position(), size=3, order=ORDER)
    assert list(page) == [] and page.is_first and not page.has_other_pages()


def test_keyset_past_the_end_is_empty_and_links_back_to_the_top(people):
    cursor = Cursor.of(people[-1].date_joined - timedelta(days=1), 1)
    page = keyset_page(members(), Position(cursor), size=3, order=ORDER)
    assert list(page) == [] and not page.is_first and not page.has_next()
    assert page_query(page, "previous", q(f"before={cursor.encode()}&tab=x")) == (
        "?tab=x"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "garbage",
        "1_x",
        "_",
        "2020-01-01_5",
        "99999999999999999999999_1",
        "1_-99999999999999999999999",
    ],
)
def test_a_malformed_cursor_reads_as_the_top(raw):
    assert Position.from_query(q(f"before={raw}")) == Position()
    assert Position.from_query(q(f"after={raw}")) == Position()


@pytest.mark.parametrize("newer", [False, True])
def test_a_cursor_past_any_date_gives_a_page_not_an_error(people, newer):
    for value in (10**17, -(10**17)):  # years past 9999 and before 1
        position = Position(Cursor(value, 1), newer=newer)
        page = keyset_page(members(), position, size=3, order=ORDER)
        assert len(page) == 3


def test_next_and_previous_params_replace_each_other(people):
    page = walk(Position())[1]
    query = q(f"tab=new&before={page.position.cursor.encode()}")
    assert page_query(page, "next", query) == (
        f"?tab=new&before={Cursor.of(people[5].date_joined, people[5].pk).encode()}"
    )
    assert page_query(page, "previous", query) == (
        f"?tab=new&after={Cursor.of(people[3].date_joined, people[3].pk).encode()}"
    )


# --- The include ----------------------------------------------------------------


def render(page, query="", **extra):
    request = RequestFactory().get("/list/", QueryDict(query))
    template = Template(
        '{% include "includes/pagination.html" with page=page anchor=anchor %}'
    )
    return template.render(Context({"page": page, "request": request, **extra}))


def test_the_include_shows_nothing_for_a_single_page():
    assert "<nav" not in render(paginate([1, 2], q(), size=3))
    assert "<nav" not in render(KeysetPage(object_list=[1]))


def test_the_include_links_numbered_pages_keeping_the_query():
    page = paginate(list(range(9)), q("page=2"), size=3)
    html = render(page, "page=2&q=lean", anchor="#table-x")
    assert 'href="?page=1&amp;q=lean#table-x" rel="prev"' in html
    assert 'href="?page=3&amp;q=lean#table-x" rel="next"' in html
    assert "Page 2 of 3" in html


def test_the_include_names_keyset_links_newer_and_older(people):
    page = walk(Position())[1]
    html = render(page, f"before={page.position.cursor.encode()}")
    assert "← Newer" in html and "Older →" in html and "aria-current" not in html


def test_a_row_window_pages_the_rows_it_holds_and_refuses_others():
    """A window of rows 20-39 of 45 (a cached page, a compiled first page):
    the paginator's page 2 reads them; a page it does not hold is an error,
    never other rows."""
    from members.pagination import RowWindow

    window = RowWindow(45, 20, [f"row {n}" for n in range(20, 40)])
    page = Paginator(window, 20).page(2)

    assert list(page.object_list) == [f"row {n}" for n in range(20, 40)]
    assert page.paginator.count == 45 and page.has_next()
    for outside in (slice(0, 20), slice(40, 45), slice(10, 30)):
        with pytest.raises(IndexError):
            window[outside]
    assert window[25] == "row 25"
    with pytest.raises(IndexError):
        window[5]
