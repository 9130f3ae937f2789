"""Daily rollups: what the dashboards count, counted once per day by a job.

A dashboard for any period then sums days (dashboards.rollup_figures)
instead of scanning 300,000 items and 1,000,000 replies: per community and
member (contributions; leader roles through the member), per community and
tag (tags on new items), per item (helpful marks given), the first three
summed again per month (a long period reads its whole months and only its
edge days) and contributions per community and day, and one fact row per
visible item (when it first got an answer, who wrote its accepted answer)
for the "left out" and "single expert" tables.

Every refresh recomputes its days (or items) from the source rows, after
deleting what was there, then brings the months of those days to their
days' sums, in one transaction under an advisory lock: running it twice, or
two workers at once, gives the same rows (idempotent, as outbox jobs must
be).

- `rollup_recent()` (beat, every 10 minutes): today and yesterday, plus the
  days and items touched by anything hidden, written or replied to since the
  previous run.
- `rollup_all()` (beat, nightly; `manage.py dashboards_rollup` backfills):
  everything, which also catches what leaves no timestamp (a restore, an
  un-marked "helpful", a changed accepted answer).
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from dashboards import triad
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
    RollupState,
)
from knowledge.models import Adoption, HelpfulMark, Item, ItemTag, Reply

RECENT = "recent"
ROLLED_UP = (
    DailyContribution,
    DailyCommunityContribution,
    DailyTagUse,
    DailyHelpful,
    MonthlyContribution,
    MonthlyTagUse,
    MonthlyHelpful,
    DailyTriadFlow,
    ItemFact,
    AcceptedAnswers,
)
# A run looks back this much before the previous run started, for
# transactions that were still open then.
OVERLAP = timedelta(minutes=5)
_LOCK_KEY = 0x5D0A5B0D  # pg_advisory_xact_lock: one rollup at a time


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _tz() -> str:
    return timezone.get_current_timezone_name()


def day_start(day: date) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time.min), timezone.get_current_timezone()
    )


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=31)).replace(day=1)


def _lock(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


# --- Days ------------------------------------------------------------------

DAILY = (DailyContribution, DailyCommunityContribution, DailyTagUse, DailyHelpful)


def _roll_days(cursor, first: date | None, last: date | None) -> None:
    """Recompute the daily tables for [first, last] (every day when None)."""
    if first is None:
        where, params = "TRUE", []
        for model in DAILY:
            cursor.execute(f"DELETE FROM {table(model)}")  # noqa: S608
    else:
        start, end = day_start(first), day_start(last + timedelta(days=1))
        where, params = "{col} >= %s AND {col} < %s", [start, end]
        for model in DAILY:
            cursor.execute(
                f"DELETE FROM {table(model)} WHERE day BETWEEN %s AND %s",  # noqa: S608
                [first, last],
            )
    tz = _tz()
    item, reply = table(Item), table(Reply)
    mark, tag = table(HelpfulMark), table(ItemTag)
    cursor.execute(
        f"""
        INSERT INTO {table(DailyContribution)}
            (day, community_id, member_id, items, replies)
        SELECT day, community_id, author_id, sum(items), sum(replies) FROM (
            SELECT (i.created_at AT TIME ZONE %s)::date AS day, i.community_id,
                   i.author_id, 1 AS items, 0 AS replies
            FROM {item} i
            WHERE i.hidden_at IS NULL AND i.shared_from_id IS NULL
              AND {where.format(col="i.created_at")}
            UNION ALL
            SELECT (r.created_at AT TIME ZONE %s)::date, i.community_id,
                   r.author_id, 0, 1
            FROM {reply} r JOIN {item} i ON i.id = r.item_id
            WHERE r.hidden_at IS NULL AND i.hidden_at IS NULL
              AND {where.format(col="r.created_at")}
        ) c GROUP BY day, community_id, author_id
        ORDER BY day, community_id, author_id
        """,  # noqa: S608
        [tz, *params, tz, *params],
    )
    days = "TRUE" if first is None else "day BETWEEN %s AND %s"
    cursor.execute(
        f"""
        INSERT INTO {table(DailyCommunityContribution)}
            (day, community_id, items, replies)
        SELECT day, community_id, sum(items), sum(replies)
        FROM {table(DailyContribution)} WHERE {days}
        GROUP BY day, community_id ORDER BY day, community_id
        """,  # noqa: S608
        [] if first is None else [first, last],
    )
    cursor.execute(
        f"""
        INSERT INTO {table(DailyTagUse)} (day, community_id, tag_id, items)
        SELECT (i.created_at AT TIME ZONE %s)::date, i.community_id, t.tag_id, count(*)
        FROM {tag} t JOIN {item} i ON i.id = t.content_object_id
        WHERE i.hidden_at IS NULL AND i.shared_from_id IS NULL
          AND {where.format(col="i.created_at")}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,  # noqa: S608
        [tz, *params],
    )
    cursor.execute(
        f"""
        INSERT INTO {table(DailyHelpful)} (day, community_id, item_id, marks)
        SELECT (m.created_at AT TIME ZONE %s)::date, i.community_id, m.item_id, count(*)
        FROM {mark} m JOIN {item} i ON i.id = m.item_id
        WHERE i.hidden_at IS NULL AND {where.format(col="m.created_at")}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,  # noqa: S608
        [tz, *params],
    )


# Each monthly table, its daily table, the columns that tell its rows apart
# (with the month: its unique index), and the columns summed (or, for the
# item's community, carried) from the days.
MONTHLY = (
    (
        MonthlyContribution,
        DailyContribution,
        ["community_id", "member_id"],
        {"items": "sum(items)", "replies": "sum(replies)"},
    ),
    (MonthlyTagUse, DailyTagUse, ["community_id", "tag_id"], {"items": "sum(items)"}),
    (
        MonthlyHelpful,
        DailyHelpful,
        ["item_id"],
        {"community_id": "min(community_id)", "marks": "sum(marks)"},
    ),
)


def _roll_months(cursor, first: date | None, last: date | None) -> None:
    """Bring the months that hold [first, last] (every month when None) to
    the sums of their daily rows, which must be written already (same
    transaction): rows whose sums changed are updated, new ones inserted,
    those with no day left deleted. A month's rows rarely change, so most
    are left as they were: no dead rows, and the dashboards' index-only
    scans of them stay index-only (deleting and inserting every row each
    night left the indexes three times their size, and the recent run's
    rewrites cost heap fetches all day)."""
    for monthly, daily, keys, values in MONTHLY:
        if first is None:
            days, months, params = "TRUE", "TRUE", []
        else:
            days, months = "day >= %s AND day < %s", "m.month BETWEEN %s AND %s"
            params = [
                month_of(first),
                next_month(month_of(last)),
                month_of(first),
                month_of(last),
            ]
        key = ", ".join(["month", *keys])
        names = ", ".join(values)
        cursor.execute(
            f"""
            WITH new AS (
                SELECT date_trunc('month', day::timestamp)::date AS month,
                       {", ".join(keys)},
                       {", ".join(f"{sql} AS {n}" for n, sql in values.items())}
                FROM {table(daily)} WHERE {days}
                GROUP BY {key}
            ), gone AS (
                DELETE FROM {table(monthly)} m
                WHERE {months} AND NOT EXISTS (
                    SELECT 1 FROM new n
                    WHERE {" AND ".join(f"n.{k} = m.{k}" for k in ["month", *keys])}
                )
            )
            INSERT INTO {table(monthly)} AS m ({key}, {names})
            SELECT {key}, {names} FROM new ORDER BY {key}
            ON CONFLICT ({key}) DO UPDATE
            SET {", ".join(f"{n} = EXCLUDED.{n}" for n in values)}
            WHERE ({", ".join(f"m.{n}" for n in values)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{n}" for n in values)})
            """,  # noqa: S608
            params,
        )


def _month_ranges(days) -> list[tuple[date, date]]:
    """The months of these days, consecutive ones grouped, as (first day of
    the first month, a day of the last)."""
    ranges = []
    for month in sorted({month_of(day) for day in days}):
        if ranges and next_month(ranges[-1][1]) == month:
            ranges[-1] = (ranges[-1][0], month)
        else:
            ranges.append((month, month))
    return ranges


def _roll_triad(first: date | None, last: date | None) -> None:
    """Recompute the daily flows between leader roles for [first, last]
    (every day when None): the triad's six queries, grouped by day."""
    if first is None:
        DailyTriadFlow.objects.all().delete()
        since = day_start(date(1970, 1, 1))
        until = timezone.now() + timedelta(days=2)
    else:
        DailyTriadFlow.objects.filter(day__gte=first, day__lte=last).delete()
        since, until = day_start(first), day_start(last + timedelta(days=1))
    DailyTriadFlow.objects.bulk_create(
        [
            DailyTriadFlow(
                day=day,
                community_id=community_id,
                source_role=source,
                target_role=target,
                **kinds,
            )
            for (day, community_id, source, target), kinds in sorted(
                triad.daily_counts(since, until).items()
            )
        ],
        batch_size=5000,
    )


# --- Item facts ------------------------------------------------------------


def _clear_rows(cursor, target: str, column: str, ids, *, alias: str):
    """Delete the rows of `target` whose `column` is in `ids` (every row when
    `ids` is None) before they are recomputed: the SQL condition and
    parameters that limit the recomputation to the same ids (`alias` names
    the column there), or None when `ids` is empty and nothing is to be done."""
    if ids is None:
        cursor.execute(f"DELETE FROM {target}")  # noqa: S608
        return "", []
    if not ids:
        return None
    cursor.execute(
        f"DELETE FROM {target} WHERE {column} = ANY(%s)",  # noqa: S608
        [ids],
    )
    return f"AND {alias} = ANY(%s)", [ids]


def _refresh_facts(cursor, item_ids: list[int] | None) -> None:
    """Recompute the fact rows of these items (of every item when None); a
    hidden item or a share has none."""
    item, reply, fact = table(Item), table(Reply), table(ItemFact)
    cleared = _clear_rows(cursor, fact, "item_id", item_ids, alias="i.id")
    if cleared is None:
        return
    only, params = cleared
    # First answers grouped in one pass over the replies (a hash join), not
    # looked up item by item.
    cursor.execute(
        f"""
        INSERT INTO {fact} (item_id, community_id, author_id, is_question,
                            created_at, first_answer_at, accepted_author_id)
        SELECT i.id, i.community_id, i.author_id, i.kind = 'question', i.created_at,
               answered.first_at, accepted.author_id
        FROM {item} i
        LEFT JOIN (
            SELECT r.item_id, min(r.created_at) AS first_at
            FROM {reply} r JOIN {item} q ON q.id = r.item_id
            WHERE r.hidden_at IS NULL AND r.author_id <> q.author_id
              {only.replace("i.id", "r.item_id")}
            GROUP BY r.item_id
        ) answered ON answered.item_id = i.id
        LEFT JOIN {reply} accepted
            ON accepted.id = i.accepted_reply_id AND accepted.hidden_at IS NULL
        WHERE i.hidden_at IS NULL AND i.shared_from_id IS NULL {only}
        ORDER BY i.id
        """,  # noqa: S608
        params * 2,
    )


def _refresh_accepted(cursor, community_ids: list[int] | None) -> None:
    """Recompute the accepted answers per (tag, author) of these communities
    (of every community when None), from their item facts: a community at a
    time, since an edit may have taken a tag off a question and the old tag
    is not known any more."""
    accepted, fact, tag = table(AcceptedAnswers), table(ItemFact), table(ItemTag)
    cleared = _clear_rows(
        cursor, accepted, "community_id", community_ids, alias="f.community_id"
    )
    if cleared is None:
        return
    only, params = cleared
    cursor.execute(
        f"""
        INSERT INTO {accepted} (community_id, tag_id, author_id, answers)
        SELECT f.community_id, t.tag_id, f.accepted_author_id, count(*)
        FROM {fact} f JOIN {tag} t ON t.content_object_id = f.item_id
        WHERE f.is_question AND f.accepted_author_id IS NOT NULL {only}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        """,  # noqa: S608
        params,
    )


# --- Jobs ------------------------------------------------------------------


def rollup_all(*, now: datetime | None = None) -> None:
    """Every day and every item, from scratch (nightly; the backfill)."""
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _roll_days(cursor, None, None)
        _roll_months(cursor, None, None)
        _roll_triad(None, None)
        _refresh_facts(cursor, None)
        _refresh_accepted(cursor, None)
        _mark_done(now)
    if not connection.in_atomic_block:
        # Fresh statistics and visibility maps (index-only scans) at once,
        # rather than whenever autovacuum comes round.
        with connection.cursor() as cursor:
            for model in ROLLED_UP:
                cursor.execute(f"VACUUM (ANALYZE) {table(model)}")


def rollup_days(first: date, last: date) -> None:
    """Recompute [first, last] only."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        _roll_days(cursor, first, last)
        _roll_months(cursor, first, last)
        _roll_triad(first, last)
        _bump_version()


def rollup_recent(*, now: datetime | None = None) -> None:
    """Today and yesterday, and whatever changed since the previous run: the
    days of hidden items, replies and their marks, and the facts of items
    written, replied to, edited or hidden. The first run does everything."""
    now = now or timezone.now()
    state = RollupState.objects.filter(name=RECENT).first()
    if state is None:
        rollup_all(now=now)
        return
    since = state.rolled_up_at - OVERLAP
    today = timezone.localdate(now)
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        days = {today, today - timedelta(days=1)} | _days_touched(cursor, since)
        for first, last in _ranges(sorted(days)):
            _roll_days(cursor, first, last)
            _roll_triad(first, last)
        for first, last in _month_ranges(days):
            _roll_months(cursor, first, last)
        touched = _items_touched(cursor, since)
        _refresh_facts(cursor, touched)
        _refresh_accepted(cursor, _communities_of(cursor, touched))
        _mark_done(now)


def _mark_done(now: datetime) -> None:
    RollupState.objects.update_or_create(
        name=RECENT, defaults={"rolled_up_at": now, "version": uuid.uuid4()}
    )


def _bump_version() -> None:
    """Figures cached from the rollups are keyed by this version: any run
    that changes rows gives the next page view fresh figures."""
    RollupState.objects.filter(name=RECENT).update(version=uuid.uuid4())


def _communities_of(cursor, item_ids: list[int]) -> list[int]:
    if not item_ids:
        return []
    cursor.execute(
        f"SELECT DISTINCT community_id FROM {table(Item)} WHERE id = ANY(%s)",  # noqa: S608
        [item_ids],
    )
    return [row[0] for row in cursor.fetchall()]


def _days_touched(cursor, since: datetime) -> set[date]:
    """Days whose counts a hide since `since` changed: the hidden item's or
    reply's own day, its replies', marks' and adoptions' days."""
    tz = _tz()
    item, reply, mark = table(Item), table(Reply), table(HelpfulMark)
    cursor.execute(
        f"""
        WITH hidden AS (SELECT id, created_at FROM {item} WHERE hidden_at >= %s)
        SELECT DISTINCT (created_at AT TIME ZONE %s)::date FROM hidden
        UNION SELECT DISTINCT (r.created_at AT TIME ZONE %s)::date
              FROM {reply} r JOIN hidden h ON h.id = r.item_id
        UNION SELECT DISTINCT (m.created_at AT TIME ZONE %s)::date
              FROM {mark} m JOIN hidden h ON h.id = m.item_id
        UNION SELECT DISTINCT (a.created_at AT TIME ZONE %s)::date
              FROM {table(Adoption)} a JOIN hidden h ON h.id = a.item_id
        UNION SELECT DISTINCT (created_at AT TIME ZONE %s)::date
              FROM {reply} WHERE hidden_at >= %s
        """,  # noqa: S608
        [since, tz, tz, tz, tz, tz, since],
    )
    return {row[0] for row in cursor.fetchall()}


def _items_touched(cursor, since: datetime) -> list[int]:
    item, reply = table(Item), table(Reply)
    cursor.execute(
        f"""
        SELECT id FROM {item}
        WHERE created_at >= %s OR last_activity_at >= %s OR hidden_at >= %s
           OR edited_at >= %s
        UNION
        SELECT item_id FROM {reply}
        WHERE created_at >= %s OR hidden_at >= %s OR edited_at >= %s
        """,  # noqa: S608
        [since] * 7,
    )
    return [row[0] for row in cursor.fetchall()]


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped: [d1, d2, d3, d7] -> [(d1, d3), (d7, d7)]."""
    ranges = []
    for day in days:
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def rolled_up_at() -> datetime | None:
    state = rollup_state()
    return state.rolled_up_at if state else None


def rollup_state() -> RollupState | None:
    return RollupState.objects.filter(name=RECENT).first()
