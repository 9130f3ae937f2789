"""A dashboard page's tables, cached until the rollups next change.

Most of a dashboard is counted from the daily rollups (dashboards.rollups),
which change only when a rollup job runs; every run changes the rollups'
version (RollupState.version). So a table's page is kept in the cache under
that version, and the next view of the same page (same scope, period, table
page, audience, language and time zone) reads it instead of counting again;
the first view after a run counts afresh, so a run shows at once. The
rollup jobs count the organisation's standard periods ahead of the next
view (organisation_tables_warm).

Only tables that depend on nothing but the scope and the period are cached
for a steward: the spread and mentoring tables, which filter or link by who
is looking, are counted for each steward, and kept only in that steward's
own cached body (below). Staff see every
community and may open every pair, so for staff those tables depend on
nothing else either and are cached too (like join requests, pockets and the
activity balance, they are then as of the rollups' last run, a few minutes
at most). The key names the audience (staff or steward) besides the scope,
so one kind of viewer's page is never served to another, and a community's
figures are only ever read under that community's scope, which its
permission check guards.

The whole rendered body of the page (period form, tables and notes:
everything below the page's own heading) is cached as well (page_body), so
a repeat view is one cache read and no table is touched. Its key adds the
snapshot the page shows and the whole query string (the period form, each
table's page and the links built from them), and for a steward the viewer
and the communities hidden from them (one query), so a steward's body,
which holds their own spread and mentoring tables, is never read by
another viewer, nor by them after a permission change.

A table keeps the page shown and the count, so a cached page costs no more
than the page itself. CSV downloads are always counted.
"""

import hashlib
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone, translation

from communities.access import visible_communities_q
from communities.models import Community
from config.concurrent_reads import run_concurrently
from dashboards.models import cells as decode_cells
from dashboards.models import encode_cells
from dashboards.periods import PRESET_DAYS, preset_period
from dashboards.report import Report
from dashboards.rollup_figures import period_days
from dashboards.rollups import rollup_state
from dashboards.scope import Scope
from dashboards.selectors import latest_snapshot
from dashboards.tables import Table
from members.pagination import RowWindow

# The tables that read the viewer (spread: private communities by who looks;
# mentoring: links to the pairs the viewer may open).
VIEWER_TABLES = frozenset(
    {
        "flows",
        "matrix",
        "stick",
        "mentoring_summary",
        "mentoring_quiet",
        "mentoring_brokers",
    }
)
# Tables whose figures do not depend on the period (single-expert risk,
# pockets and stick rates count adoptions and answers at any time; join
# requests, quiet pairs and the activity balance are as of now): one entry
# serves every period, so the first view of a custom period reads what the
# standard periods counted.
PERIOD_FREE_TABLES = frozenset(
    {"balance", "experts", "join_waiting", "mentoring_quiet", "pockets", "stick"}
)
# Until the next rollup run changes the version; this only bounds what an
# idle cache keeps.
TIMEOUT = 24 * 60 * 60
# A rendered body is ~130 KB at full scale, one per query string viewed, and
# the rollups change the version every 10 minutes: an entry older than two
# runs is never read again, so it need not wait a day to be dropped.
BODY_TIMEOUT = 20 * 60
_PAGE_DIGITS = 6


def page_tables(report, query: QueryDict, *, version) -> dict[str, Table]:
    """Every table of the report, paginated for this query: from the cache
    when the rollups have not changed since it was counted (version None:
    no rollup has run, nothing is cached)."""
    tables = {name: report.table(name) for name in report.table_names}
    keys = {}
    if version is not None:
        keys = {
            name: _key(report, table, query, version)
            for name, table in tables.items()
            if _cacheable(report, name, table)
        }
    found = cache.get_many(list(keys.values())) if keys else {}
    for name, table in tables.items():
        if keys.get(name) in found:
            _restore(table, found[keys[name]])
    # The tables not in the cache are counted at once, each its own queries.
    run_concurrently([partial(table.paginate, query) for table in tables.values()])
    fresh = {
        keys[name]: _stored(table)
        for name, table in tables.items()
        if name in keys and keys[name] not in found
    }
    if fresh:
        cache.set_many(fresh, TIMEOUT)
    return tables


def page_body(report, query: QueryDict, *, version, render: Callable[[], str]) -> str:
    """The page's rendered body, from the cache when the rollups and the
    snapshot shown have not changed since it was rendered, `render()`
    otherwise. Staff's body is shared by all staff; a steward's is their
    own (pair links) and keyed by the communities hidden from them (spread
    labels, stick rates), so a permission change shows at once."""
    if version is None:
        return render()
    key = _body_key(report, query, version) + ":" + _viewer_key(report.viewer)
    body = cache.get(key)
    if body is None:
        body = str(render())
        cache.set(key, body, BODY_TIMEOUT)
    return body


def _viewer_key(viewer) -> str:
    if _is_staff(viewer):
        return "all"
    hidden = list(
        Community.objects.exclude(visible_communities_q(viewer))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    digest = hashlib.sha256(repr(hidden).encode()).hexdigest()[:32]
    return f"viewer-{viewer.pk}-hidden-{digest}"


def _is_staff(viewer) -> bool:
    return bool(getattr(viewer, "is_staff", False))


def _cacheable(report, name: str, table: Table) -> bool:
    if table.as_of is not None:  # read from the snapshot
        return False
    return name not in VIEWER_TABLES or _is_staff(report.viewer)


class _Staff:
    """The audience the organisation's tables are counted for ahead of a
    view: staff, who see every community and may open every pair."""

    is_staff = True
    is_authenticated = True
    is_active = True
    pk = None


def organisation_tables_warm(*, now=None) -> int:
    """Count the organisation dashboard's cached tables (their first pages)
    for each standard period under the rollups' current version, so staff's
    next view reads them: the rollup jobs call this once they have
    committed. In the site's language and time zone, which is what most
    views ask for; returns how many tables were stored."""
    state = rollup_state()
    if state is None:
        return 0
    stored = {}
    with (
        translation.override(settings.LANGUAGE_CODE),
        timezone.override(settings.TIME_ZONE),
    ):
        for days in PRESET_DAYS:
            period = preset_period(days, now=now)
            report = Report(
                scope=Scope.organisation(),
                period=period,
                viewer=_Staff(),
                snapshot=latest_snapshot(period),
            )
            query = QueryDict(f"period={days}")
            for name in report.table_names:
                table = report.table(name)
                if not _cacheable(report, name, table):
                    continue
                table.paginate(query)
                stored[_key(report, table, query, state.version)] = _stored(table)
    cache.set_many(stored, TIMEOUT)
    return len(stored)


def _key(report, table: Table, query: QueryDict, version) -> str:
    page = query.get(table.page_param, "")
    if not (page.isdigit() and len(page) <= _PAGE_DIGITS):
        page = ""
    return ":".join(
        [*_key_parts(report, version, any_period=table.name in PERIOD_FREE_TABLES)]
        + [table.name, page]
    )


def _body_key(report, query: QueryDict, version) -> str:
    snapshot = report.snapshot
    shown = (
        f"snapshot-{snapshot.pk}-{snapshot.built_at:%Y%m%d%H%M%S%f}"
        if snapshot is not None
        else "live"
    )
    # Every parameter, in a stable order: the body's links repeat them all.
    asked = sorted((k, v) for k in query for v in query.getlist(k))
    digest = hashlib.sha256(repr(asked).encode()).hexdigest()[:32]
    return ":".join([*_key_parts(report, version), "body", shown, digest])


def _key_parts(report, version, *, any_period: bool = False) -> list[str]:
    scope = report.scope
    where = (
        "organisation"
        if scope.is_organisation
        else "communities-" + "-".join(map(str, sorted(scope.community_ids)))
    )
    audience = "staff" if _is_staff(report.viewer) else "steward"
    if any_period:
        period = ["any", "any"]
    else:
        first, last = period_days(report.period)
        period = [report.period.key, f"{first:%Y%m%d}-{last:%Y%m%d}"]
    return [
        "dashboards",
        str(version),
        where,
        audience,
        *period,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
    ]


def _stored(table: Table) -> dict:
    """The page shown and the count: what a view of that page needs. (The
    weekly chart reads every week from the cache too: the weekly table's
    one page holds the longest period's weeks.)"""
    page = table.page
    return {
        "count": page.paginator.count,
        "start": page.start_index() - 1 if page.paginator.count else 0,
        "rows": [encode_cells(cells) for cells in table.rows],
        # The matrix's columns are its places, counted with its rows.
        "columns": [str(column) for column in table.columns],
    }


def _restore(table: Table, stored: dict) -> None:
    table.source = RowWindow(stored["count"], stored["start"], stored["rows"])
    table.row = decode_cells
    if "columns" in stored:  # not in what an older release stored
        table.columns = stored["columns"]
