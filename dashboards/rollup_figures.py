"""The dashboards' heavy figures read from the daily rollups (dashboards.rollups).

Each function here returns what its namesake in participation.py,
exclusion.py or knowledge.py returns, counted from the rollups instead of
the items, replies and marks themselves: those modules define the figures
from scratch, and tests/dashboards/test_rollups.py checks both agree on a
constructed history. A period is counted in whole days: from the first day
starting within it to the day its end falls in (a custom period is whole
days already; "the last 30 days" is today and the 29 days before). Sums
and "who contributed" over a period read its whole months from the monthly
rollups and only its other days from the daily ones (period_rows).
"""

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    Count,
    F,
    Min,
    QuerySet,
    Sum,
)
from django.utils import timezone
from taggit.models import Tag

from communities.models import Community, Membership
from dashboards.exclusion import (
    FIRST_POST_WAIT,
    UNHEARD_POSTS,
    SilentPlace,
    StatusGap,
    UnansweredSummary,
    sort_gaps,
)
from dashboards.knowledge import (
    EXPERT_MIN_ANSWERS,
    EXPERT_SHARE,
    TOP_HELPFUL,
    ExpertRisk,
    TagTrend,
    rank_trends,
)
from dashboards.models import (
    AcceptedAnswers,
    DailyCommunityContribution,
    DailyContribution,
    DailyHelpful,
    DailyTagUse,
    DailyTriadFlow,
    ItemFact,
    MonthlyContribution,
    MonthlyHelpful,
    MonthlyTagUse,
)
from dashboards.participation import (
    CommunityRow,
    Participation,
    Week,
    _newcomer_cutoff,
    assemble,
)
from dashboards.periods import Period
from dashboards.rollups import day_start, month_of, next_month, table
from dashboards.scope import Scope
from dashboards.spread import Place
from dashboards.triad import KINDS, Triad, triad_from_counts
from knowledge.models import Item
from members.models import LeadershipRole, User


def period_days(period: Period) -> tuple[date, date]:
    """(first, last) day counted for the period, both included."""
    first = timezone.localdate(period.start)
    if day_start(first) < period.start:
        first += timedelta(days=1)
    last = timezone.localdate(period.end - timedelta(microseconds=1))
    return first, last


def _days(period: Period) -> dict:
    first, last = period_days(period)
    return {"day__gte": first, "day__lte": last}


_CONTRIBUTIONS = F("items") + F("replies")


def month_split(
    first: date, last: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole months within [first, last] (first days of the first and
    the last of them, or None) and the day ranges left at either edge."""
    first_month = first if first.day == 1 else next_month(first)
    after_last = next_month(month_of(last))
    end_month = after_last if last == after_last - timedelta(days=1) else month_of(last)
    if first_month >= end_month:
        return None, [(first, last)]
    edges = []
    if first < first_month:
        edges.append((first, first_month - timedelta(days=1)))
    if end_month <= last:
        edges.append((end_month, last))
    last_month = month_of(end_month - timedelta(days=1))
    return (first_month, last_month), edges


_MONTHLY_OF = {
    DailyContribution: MonthlyContribution,
    DailyHelpful: MonthlyHelpful,
    DailyTagUse: MonthlyTagUse,
}


def period_rows(
    daily, columns: str, first: date, last: date, scope: Scope
) -> tuple[str, list]:
    """SQL for the rows of `daily` (a daily rollup model) in [first, last],
    `columns` selected from each: the whole months' rows of its monthly
    table, then the edge days' rows of the daily one (UNION ALL; a month row
    sums its days, so sums and distinct values are the days' own).

    OFFSET 0 keeps the union a subquery planned on its own: the planner
    cannot estimate the groups of a union (it assumes 200) and, merged into
    the outer query, chose parallel sorts and merges of ~100,000 rows (a
    third slower than one hash over them, measured at 365 days)."""
    months, edges = month_split(first, last)
    in_scope, scope_params = _scope_sql(scope, "community_id")
    parts, params = [], []
    if months:
        parts.append(
            f"SELECT {columns} FROM {table(_MONTHLY_OF[daily])}"  # noqa: S608
            f" WHERE month BETWEEN %s AND %s {in_scope}"
        )
        params += [*months, *scope_params]
    for edge in edges:
        parts.append(
            f"SELECT {columns} FROM {table(daily)}"  # noqa: S608
            f" WHERE day BETWEEN %s AND %s {in_scope}"
        )
        params += [*edge, *scope_params]
    return " UNION ALL ".join(parts) + " OFFSET 0", params


# --- Participation ---------------------------------------------------------


def participation_summary(scope: Scope, period: Period) -> Participation:
    """Headline figures, role coverage, equity and the weekly series: three
    queries. Who contributed is the keys of the contributions per person,
    read once."""
    per_person = contributions_per_person(scope, period)
    return assemble(
        _role_rows(scope, period, per_person),
        per_person,
        contributions_per_week(scope, period),
    )


_ROLE_COUNTS = """
    count(*) AS members,
    count(c.member_id) AS contributors,
    count(*) FILTER (WHERE {newcomer}) AS newcomers,
    count(c.member_id) FILTER (WHERE {newcomer}) AS newcomers_contributed
"""


def _scope_sql(scope: Scope, column: str) -> tuple[str, list]:
    if scope.is_organisation:
        return "", []
    return f"AND {column} = ANY(%s)", [list(scope.community_ids)]


def _fetch_dicts(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col.name for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _role_rows(scope: Scope, period: Period, contributors) -> list[dict]:
    """Members, contributors and newcomers per leader role, in one pass: each
    active member's memberships in scope grouped once, then the period's
    contributors in scope (ids, from contributions_per_person: not the
    rollups read a second time) joined."""
    cutoff = _newcomer_cutoff(period)
    in_scope, scope_params = _scope_sql(scope, "community_id")
    sql = f"""
        WITH m AS (
            SELECT user_id,
                   bool_or(joined_at <= %s OR joined_at IS NULL) AS member,
                   bool_or(joined_at > %s AND joined_at <= %s)
                   AND NOT bool_or(joined_at <= %s OR joined_at IS NULL) AS newcomer
            FROM {table(Membership)}
            WHERE status = %s {in_scope}
            GROUP BY user_id
        ), c AS (
            SELECT unnest(%s::bigint[]) AS member_id
        )
        SELECT u.leadership_role, {_ROLE_COUNTS.format(newcomer="m.newcomer")}
        FROM m
        JOIN {table(User)} u ON u.id = m.user_id AND u.is_active
        LEFT JOIN c ON c.member_id = m.user_id
        WHERE m.member
        GROUP BY u.leadership_role
    """  # noqa: S608
    params = [
        period.end,
        cutoff,
        period.end,
        cutoff,
        Membership.Status.ACTIVE,
        *scope_params,
        list(contributors),
    ]
    return _fetch_dicts(sql, params)


def _fetch_pairs(sql: str, params: list) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def contributions_per_person(scope: Scope, period: Period) -> dict[int, int]:
    rows, params = period_rows(
        DailyContribution,
        "member_id, items + replies AS n",
        *period_days(period),
        scope,
    )
    return _fetch_pairs(
        f"SELECT member_id, sum(n) FROM ({rows}) r GROUP BY member_id",  # noqa: S608
        params,
    )


def contributions_per_week(scope: Scope, period: Period) -> list[Week]:
    windows = period.week_windows()
    first = timezone.localdate(windows[0][0])
    last = timezone.localdate(windows[-1][1]) - timedelta(days=1)
    per_day = dict(
        DailyCommunityContribution.objects.filter(
            scope.q("community_id"), day__gte=first, day__lte=last
        )
        .values_list("day")
        .annotate(n=Sum(_CONTRIBUTIONS))
        .order_by()
    )
    weeks = []
    for start, end in windows:
        day, stop = timezone.localdate(start), timezone.localdate(end)
        total = 0
        while day < stop:
            total += per_day.get(day, 0)
            day += timedelta(days=1)
        weeks.append(Week(start=start, end=end, contributions=total))
    return weeks


def participation_by_community(period: Period) -> list[CommunityRow]:
    """Headline figures for every community: three queries."""
    first, last = period_days(period)
    cutoff = _newcomer_cutoff(period)
    rows = {c.pk: CommunityRow(community=c) for c in Community.objects.order_by("name")}
    newcomer = "m.joined_at > %s AND m.joined_at <= %s"
    organisation = Scope.organisation()
    contributed, contributed_params = period_rows(
        DailyContribution, "member_id, community_id", first, last, organisation
    )
    grouped = _fetch_dicts(
        f"""
        WITH c AS (
            SELECT DISTINCT member_id, community_id FROM ({contributed}) r
        )
        SELECT m.community_id, u.leadership_role AS "user__leadership_role",
               {_ROLE_COUNTS.format(newcomer=newcomer)}
        FROM {table(Membership)} m
        JOIN {table(User)} u ON u.id = m.user_id AND u.is_active
        LEFT JOIN c ON c.member_id = m.user_id AND c.community_id = m.community_id
        WHERE m.status = %s AND (m.joined_at <= %s OR m.joined_at IS NULL)
        GROUP BY m.community_id, u.leadership_role
        """,  # noqa: S608
        [
            *contributed_params,
            cutoff,
            period.end,
            cutoff,
            period.end,
            Membership.Status.ACTIVE,
            period.end,
        ],
    )
    for g in grouped:
        row = rows.get(g["community_id"])
        if row is None:
            continue
        row.add_group(g)
    for community_id, n in (
        DailyCommunityContribution.objects.filter(**_days(period))
        .values_list("community_id")
        .annotate(n=Sum(_CONTRIBUTIONS))
        .order_by()
    ):
        if community_id in rows:
            rows[community_id].contributions += n
    return list(rows.values())


# --- Left out --------------------------------------------------------------


def _facts(scope: Scope) -> QuerySet:
    return ItemFact.objects.filter(scope.q("community_id"))


def unanswered_questions(scope: Scope, period: Period) -> "CountedApart":
    """Items, oldest first, read through the partial index of unanswered
    questions; counted over that index alone (counting the items joined
    to their facts read every item's primary key: 39,000 buffers)."""
    open_facts = _facts(scope).filter(
        is_question=True, first_answer_at__isnull=True, created_at__lt=period.end
    )
    return CountedApart(
        Item.objects.filter(
            scope.q("dashboard_fact__community_id"),
            dashboard_fact__is_question=True,
            dashboard_fact__first_answer_at__isnull=True,
            dashboard_fact__created_at__lt=period.end,
        )
        .select_related("author", "community")
        .order_by("dashboard_fact__created_at", "dashboard_fact__item_id"),
        open_facts,
    )


class CountedApart(Sequence):
    """A queryset whose length is `counted.count()`, a cheaper query of
    the same rows (one per item); pages and iteration read the queryset."""

    def __init__(self, queryset: QuerySet, counted: QuerySet):
        self.queryset, self.counted = queryset, counted
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.counted.count()
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(self.queryset[index])
        return self.queryset[index]

    def __iter__(self):
        return iter(self.queryset)


def unanswered_summary(scope: Scope, period: Period) -> UnansweredSummary:
    """The open count and oldest, then the period's questions and the
    median wait to a first answer counted in PostgreSQL (not ~11,000 rows
    of times read over for the median): two queries."""
    totals = (
        _facts(scope)
        .filter(
            is_question=True,
            first_answer_at__isnull=True,
            created_at__lt=period.end,
        )
        .aggregate(count=Count("pk"), oldest=Min("created_at"))
    )
    in_scope, params = _scope_sql(scope, "community_id")
    (asked,) = _fetch_dicts(
        f"""
        SELECT count(*) AS asked, count(first_answer_at) AS answered,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY {_wait()}) AS median
        FROM {table(ItemFact)}
        WHERE is_question AND created_at >= %s AND created_at < %s {in_scope}
        """,  # noqa: S608
        [period.start, period.end, *params],
    )
    return UnansweredSummary(
        count=totals["count"],
        oldest_at=totals["oldest"],
        median_wait=_median(asked["median"]),
        answered_in_period=asked["answered"],
        asked_in_period=asked["asked"],
    )


# A question's wait to its first answer in microseconds (NULL while
# unanswered, which a median leaves out), exact in a float8: a median of an
# even count then rounds to the microsecond as statistics.median does.
def _wait(alias: str = "") -> str:
    return (
        f"(extract(epoch FROM {alias}first_answer_at - {alias}created_at)"
        " * 1000000)::float8"
    )


def _median(microseconds: float | None) -> timedelta | None:
    return None if microseconds is None else timedelta(microseconds=microseconds)


def newcomers_unanswered(scope: Scope, period: Period) -> "InOrder":
    """Each newcomer's first item fact in the community (one probe of the
    facts' (author, community, created_at) index per newcomer), kept when it
    waited a week unanswered; only the facts are read until a page of items
    is asked for."""
    cutoff = _newcomer_cutoff(period)
    waited_until = min(period.end, timezone.now()) - FIRST_POST_WAIT
    in_scope, params = _scope_sql(scope, "m.community_id")
    sql = f"""
        SELECT f.item_id FROM {table(Membership)} m
        CROSS JOIN LATERAL (
            SELECT item_id, created_at, first_answer_at FROM {table(ItemFact)}
            WHERE author_id = m.user_id AND community_id = m.community_id
            ORDER BY created_at, item_id LIMIT 1
        ) f
        WHERE m.status = %s AND m.joined_at > %s AND m.joined_at <= %s {in_scope}
          AND f.created_at <= %s
          AND (f.first_answer_at IS NULL OR f.first_answer_at > f.created_at + %s)
        ORDER BY f.created_at, f.item_id
    """  # noqa: S608
    return InOrder(
        Item.objects.select_related("author", "community"),
        sql,
        [
            Membership.Status.ACTIVE,
            cutoff,
            period.end,
            *params,
            waited_until,
            FIRST_POST_WAIT,
        ],
    )


class InOrder(Sequence):
    """The objects of `queryset` whose ids a query returns first, in its
    order, each given the row's other values as attributes (`extras`). The
    ids are read on first use (the count), the objects a page at a time."""

    def __init__(self, queryset, sql: str, params: list, extras=()):
        self.queryset, self.sql, self.params = queryset, sql, params
        self.extras = list(extras)
        self._rows = None

    @property
    def rows(self) -> list[tuple]:
        if self._rows is None:
            with connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                self._rows = cursor.fetchall()
        return self._rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._objects(self.rows[index])
        return self._objects([self.rows[index]])[0]

    def __iter__(self):
        for start in range(0, len(self.rows), 500):
            yield from self._objects(self.rows[start : start + 500])

    def _objects(self, rows: list[tuple]) -> list:
        found = self.queryset.in_bulk([row[0] for row in rows])
        objects = []
        for pk, *values in rows:
            if pk in found:
                obj = found[pk]
                for name, value in zip(self.extras, values, strict=True):
                    setattr(obj, name, value)
                objects.append(obj)
        return objects


def askers_never_answered(scope: Scope, period: Period) -> "InOrder":
    """Members whose questions in scope (asked before the period's end) have
    none answered, grouped once over the question facts, each with their
    latest question (one probe of the facts' (author, created_at) index per
    member kept), in one ordered query; then a page of members. (A count
    and a page of a queryset grouped the facts twice.)"""
    in_scope, params = _scope_sql(scope, "community_id")
    latest_scope, latest_params = _scope_sql(scope, "f.community_id")
    sql = f"""
        WITH never AS (
            SELECT author_id, count(*) AS questions FROM {table(ItemFact)}
            WHERE is_question AND created_at < %s {in_scope}
            GROUP BY author_id
            HAVING count(first_answer_at) = 0
        )
        SELECT n.author_id, n.questions, l.item_id, l.created_at, i.title, c.slug
        FROM never n
        CROSS JOIN LATERAL (
            SELECT f.item_id, f.created_at, f.community_id FROM {table(ItemFact)} f
            WHERE f.author_id = n.author_id AND f.is_question
              AND f.created_at < %s {latest_scope}
            ORDER BY f.created_at DESC, f.item_id DESC LIMIT 1
        ) l
        JOIN {table(Item)} i ON i.id = l.item_id
        JOIN {table(Community)} c ON c.id = l.community_id
        ORDER BY l.created_at, n.author_id
    """  # noqa: S608
    return InOrder(
        User.objects.all(),
        sql,
        [period.end, *params, period.end, *latest_params],
        extras=[
            "questions",
            "latest_question_id",
            "latest_question_at",
            "latest_question_title",
            "latest_question_slug",
        ],
    )


# --- The exclusion radar ----------------------------------------------------


def status_gaps(scope: Scope, period: Period) -> list[StatusGap]:
    """Over the question facts asked in the period, counted and their
    median waits taken in PostgreSQL per community and asker kind (and for
    the organisation over every community too): one query, a row per group
    instead of one per question."""
    in_scope, params = _scope_sql(scope, "f.community_id")
    groups = "(f.community_id, leader)"
    if scope.is_organisation:
        groups += ", (leader)"
    rows = _fetch_dicts(
        f"""
        WITH g AS (
            SELECT f.community_id, grouping(f.community_id) AS every_community,
                   u.leadership_role <> %s AS leader, count(*) AS asked,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY {_wait("f.")}
                   ) AS median
            FROM {table(ItemFact)} f
            JOIN {table(User)} u ON u.id = f.author_id
            WHERE f.is_question AND f.created_at >= %s AND f.created_at < %s
              {in_scope}
            GROUP BY GROUPING SETS ({groups})
        )
        SELECT g.*, c.name, c.slug FROM g
        LEFT JOIN {table(Community)} c ON c.id = g.community_id
        """,  # noqa: S608
        [LeadershipRole.NONE, period.start, period.end, *params],
    )
    # key -> [members asked, members' median, leaders asked, leaders' median]
    per_group: dict = {}
    places = {}
    for r in rows:
        key = None if r["every_community"] else r["community_id"]
        if key is not None:
            places[key] = Place(pk=key, name=r["name"], slug=r["slug"])
        group = per_group.setdefault(key, [0, None, 0, None])
        offset = 2 if r["leader"] else 0
        group[offset], group[offset + 1] = r["asked"], _median(r["median"])
    return sort_gaps(
        [
            StatusGap(
                community=places.get(key),
                asked_by_members=g[0],
                median_members=g[1],
                asked_by_leaders=g[2],
                median_leaders=g[3],
            )
            for key, g in per_group.items()
        ]
    )


def silent_places(scope: Scope, period: Period) -> list[SilentPlace]:
    """Each active member in scope is looked up once (one probe of the
    rollups' (member, community, day) index: a set of a year's contributors
    would outgrow memory and be searched row by row), then grouped by unit
    and by location: one query. (Days, not months: a probe stops at the
    member's first row in the period, and months and edge days would be
    three probes: measured slower for 70 days, barely faster for a year.)"""
    first, last = period_days(period)
    in_scope, params = _scope_sql(scope, "m.community_id")
    contributed_scope, contributed_params = _scope_sql(scope, "c.community_id")
    rows = _fetch_dicts(
        f"""
        WITH people AS MATERIALIZED (
            SELECT u.business_unit, u.location, EXISTS (
                SELECT 1 FROM {table(DailyContribution)} c
                WHERE c.member_id = u.id AND c.day BETWEEN %s AND %s
                  {contributed_scope}
            ) AS contributed
            FROM {table(User)} u
            WHERE u.is_active AND EXISTS (
                SELECT 1 FROM {table(Membership)} m
                WHERE m.user_id = u.id AND m.status = %s {in_scope}
            )
        )
        SELECT 1 AS kind, business_unit AS name, count(*) AS members FROM people
        WHERE business_unit <> '' GROUP BY business_unit
        HAVING NOT bool_or(contributed)
        UNION ALL
        SELECT 2, location, count(*) FROM people
        WHERE location <> '' GROUP BY location
        HAVING NOT bool_or(contributed)
        ORDER BY kind, members DESC, name
        """,  # noqa: S608
        [
            first,
            last,
            *contributed_params,
            Membership.Status.ACTIVE,
            *params,
        ],
    )
    kinds = {1: "business_unit", 2: "location"}
    return [SilentPlace(kinds[r["kind"]], r["name"], r["members"]) for r in rows]


def unheard_members(scope: Scope, period: Period) -> "InOrder":
    """Each author's last UNHEARD_POSTS item facts before the period's end,
    read in the order of the facts' (author, created_at) index, none of them
    answered; the latest one's date is the first of them. One query for the
    list, one for a page of members. For the organisation each member's
    last posts are read with a LIMIT on that index instead (a probe per
    member: a third less work than numbering all 300,000 facts)."""
    if scope.is_organisation:
        return InOrder(
            User.objects.all(),
            f"""
            SELECT u.id, last.latest_post_at FROM {table(User)} u
            CROSS JOIN LATERAL (
                SELECT max(created_at) AS latest_post_at, count(*) AS posts,
                       bool_or(first_answer_at IS NOT NULL) AS answered
                FROM (
                    SELECT created_at, first_answer_at FROM {table(ItemFact)}
                    WHERE author_id = u.id AND created_at < %s
                    ORDER BY created_at DESC, item_id DESC LIMIT %s
                ) latest
            ) last
            WHERE last.posts = %s AND NOT last.answered
            ORDER BY last.latest_post_at DESC, u.id
            """,  # noqa: S608
            [period.end, UNHEARD_POSTS, UNHEARD_POSTS],
            extras=["latest_post_at"],
        )
    in_scope, params = _scope_sql(scope, "community_id")
    sql = f"""
        SELECT author_id, max(created_at) AS latest_post_at FROM (
            SELECT author_id, created_at, first_answer_at IS NOT NULL AS answered,
                   row_number() OVER (
                       PARTITION BY author_id ORDER BY created_at DESC, item_id DESC
                   ) AS rank
            FROM {table(ItemFact)}
            WHERE created_at < %s {in_scope}
        ) ranked
        WHERE rank <= %s
        GROUP BY author_id
        HAVING count(*) = %s AND NOT bool_or(answered)
        ORDER BY latest_post_at DESC, author_id
    """  # noqa: S608
    return InOrder(
        User.objects.all(),
        sql,
        [period.end, *params, UNHEARD_POSTS, UNHEARD_POSTS],
        extras=["latest_post_at"],
    )


# --- Leaders relying on one another ---------------------------------------


def leaders_triad(scope: Scope, period: Period) -> Triad:
    """The six flows between leader roles, summed over the period's days:
    one query."""
    rows = (
        DailyTriadFlow.objects.filter(scope.q("community_id"), **_days(period))
        .values("source_role", "target_role")
        .annotate(**{kind: Sum(kind) for kind in KINDS})
        .order_by()
    )
    return triad_from_counts(
        {
            (r["source_role"], r["target_role"]): {kind: r[kind] for kind in KINDS}
            for r in rows
        }
    )


# --- Knowledge -------------------------------------------------------------


def most_helpful(scope: Scope, period: Period) -> list[Item]:
    """The period's most marked items: two queries."""
    marked, params = period_rows(
        DailyHelpful, "item_id, marks", *period_days(period), scope
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT item_id, sum(marks) AS marks FROM ({marked}) r
            GROUP BY item_id ORDER BY marks DESC, item_id DESC LIMIT %s
            """,  # noqa: S608
            [*params, TOP_HELPFUL],
        )
        top = cursor.fetchall()
    items = Item.objects.select_related("community").in_bulk([pk for pk, _ in top])
    result = []
    for pk, marks in top:
        if pk in items:
            items[pk].marks = marks
            result.append(items[pk])
    return result


def rising_tags(scope: Scope, period: Period) -> list[TagTrend]:
    """The period's and the previous period's uses per tag: one query."""
    current, current_params = period_rows(
        DailyTagUse, "tag_id, items, TRUE AS now", *period_days(period), scope
    )
    previous, previous_params = period_rows(
        DailyTagUse, "tag_id, items, FALSE", *period_days(period.previous()), scope
    )
    rows = _fetch_dicts(
        f"""
        SELECT t.name AS tag__name,
               coalesce(sum(r.items) FILTER (WHERE r.now), 0) AS current,
               coalesce(sum(r.items) FILTER (WHERE NOT r.now), 0) AS previous
        FROM (({current}) UNION ALL ({previous})) r
        JOIN {table(Tag)} t ON t.id = r.tag_id
        GROUP BY t.name
        """,  # noqa: S608
        [*current_params, *previous_params],
    )
    return rank_trends(rows)


def single_expert_risks(scope: Scope) -> list[ExpertRisk]:
    """Accepted answers per (tag, answer author), summed over the
    communities' rolled-up counts, each tag's total beside them, and only
    the tags' experts returned (one author with more than half: ~50,000
    (tag, author) sums at full scale stay in PostgreSQL); then the authors'
    names: two queries."""
    in_scope, params = _scope_sql(scope, "community_id")
    rows = _fetch_dicts(
        f"""
        WITH per AS (
            SELECT tag_id, author_id, sum(answers) AS n
            FROM {table(AcceptedAnswers)}
            WHERE TRUE {in_scope}
            GROUP BY tag_id, author_id
        ), totals AS (
            SELECT tag_id, sum(answers) AS total
            FROM {table(AcceptedAnswers)}
            WHERE TRUE {in_scope}
            GROUP BY tag_id
        )
        SELECT t.name AS tag, totals.total, per.author_id, per.n
        FROM per JOIN totals ON totals.tag_id = per.tag_id
        JOIN {table(Tag)} t ON t.id = per.tag_id
        WHERE totals.total >= %s AND per.n::float8 / totals.total::float8 > %s
        """,  # noqa: S608
        [*params, *params, EXPERT_MIN_ANSWERS, EXPERT_SHARE],
    )
    if not rows:
        return []
    names = User.objects.in_bulk({r["author_id"] for r in rows})
    risks = [
        ExpertRisk(
            tag=r["tag"],
            accepted_answers=int(r["total"]),
            expert_name=names[r["author_id"]].display_name,
            expert_username=names[r["author_id"]].username,
            expert_answers=int(r["n"]),
        )
        for r in rows
    ]
    risks.sort(key=lambda r: (-r.share, -r.accepted_answers, r.tag))
    return risks
