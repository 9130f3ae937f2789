"""Research, capacity building, practice (Senge: enduring learning arises
only from the three together). Every item carries one activity; a
community's balance is how its items of the last BALANCE_DAYS split among
the three, and it is flagged "fire-fighting only" when, over those days, it
posted practice but no research or capacity-building item at all (a
community younger than that, or silent, is not flagged: it has not had the
time, or it is quiet rather than fire-fighting).

The balance bar is SVG drawn on the server with a text alternative (the
same figures in words), like dashboards' diagrams.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from knowledge.models import Activity, Item
from knowledge.selectors.feeds import community_items_version
from members.versioned_cache import cached

BALANCE_DAYS = 90
# Drawing order, left to right.
ORDER = (Activity.RESEARCH, Activity.CAPACITY, Activity.PRACTICE)


@dataclass(frozen=True)
class Balance:
    research: int = 0
    capacity: int = 0
    practice: int = 0
    # The community is older than the window (it has had the time).
    established: bool = True

    @property
    def total(self) -> int:
        return self.research + self.capacity + self.practice

    def count(self, activity: str) -> int:
        return getattr(self, activity)

    def share(self, activity: str) -> float:
        return self.count(activity) / self.total if self.total else 0.0

    @property
    def fire_fighting_only(self) -> bool:
        return (
            self.established
            and self.practice > 0
            and self.research == 0
            and self.capacity == 0
        )

    @property
    def text(self) -> str:
        """The text alternative of the bar."""
        if not self.total:
            return _("No items in the last %(days)s days.") % {"days": BALANCE_DAYS}
        parts = [
            _("%(label)s %(n)s (%(pct)s%%)")
            % {
                "label": Activity(a).label,
                "n": self.count(a),
                "pct": round(self.share(a) * 100),
            }
            for a in ORDER
        ]
        return _("Last %(days)s days: %(parts)s.") % {
            "days": BALANCE_DAYS,
            "parts": ", ".join(parts),
        }


def balances(
    *, communities, now: datetime | None = None, since: datetime | None = None
) -> dict[int, Balance]:
    """Each community's balance over the last BALANCE_DAYS, or from `since`
    (visible items, shared copies included: bringing research in counts).
    One query, in SQL: built with the ORM it cost the community page ~1 ms
    of CPU a view, five times the query's own (an index-only read of
    item_balance_recent)."""
    now = now or timezone.now()
    since = since or now - timedelta(days=BALANCE_DAYS)
    communities = list(communities)
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in communities}
    sql = f"""
        SELECT community_id, activity, COUNT(*) FROM {Item._meta.db_table}
        WHERE community_id = ANY(%s::bigint[]) AND hidden_at IS NULL
          AND created_at >= %s AND created_at < %s
        GROUP BY 1, 2
    """  # noqa: S608 - the table name from the model
    if counts:
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(counts), since, now])
            rows = cursor.fetchall()
    else:
        rows = []
    for community_id, activity, n in rows:
        counts[community_id][activity] = n
    return {
        c.pk: Balance(
            research=counts[c.pk].get(Activity.RESEARCH, 0),
            capacity=counts[c.pk].get(Activity.CAPACITY, 0),
            practice=counts[c.pk].get(Activity.PRACTICE, 0),
            established=c.created_at <= since,
        )
        for c in communities
    }


def balance_of(community, *, now: datetime | None = None) -> Balance:
    return balances(communities=[community], now=now)[community.pk]


def community_balance(community, *, now: datetime | None = None) -> Balance:
    """The balance on a community's page: its items since midnight (UTC)
    BALANCE_DAYS days ago, cached per community and day under the version of
    its items, which every create, share, edit (a new activity), hide and
    restore in it bumps; the day in the key moves the window on. On the
    largest community the count reads ~1,800 index pages (1.4 ms of
    PostgreSQL a view); now once a day and after each change."""
    now = now or timezone.now()
    since = datetime.combine(
        (now - timedelta(days=BALANCE_DAYS)).astimezone(UTC).date(), time.min, UTC
    )
    return cached(
        f"community-balance:{community.pk}:{since.date().isoformat()}",
        [community_items_version(community.pk)],
        lambda: balances(communities=[community], now=now, since=since)[community.pk],
    )


def balance_svg(balance: Balance, *, chart_id: str):
    """A 300x24 stacked bar: research, capacity building, practice, each as
    wide as its share. role="img" with <title> and <desc>; classes only (no
    inline style, for the strict CSP)."""
    width, height = 300, 24
    segments = []
    x = 0.0
    for activity in ORDER:
        w = round(width * balance.share(activity), 1)
        if w > 0:
            segments.append(
                (
                    f"balance-{activity}",
                    round(x, 1),
                    w,
                    height,
                    Activity(activity).label,
                )
            )
        x += w
    if not segments:
        segments.append(("balance-empty", 0, width, height, _("No items")))
    bars = format_html_join(
        "",
        '<rect class="{}" x="{}" y="0" width="{}" height="{}"><title>{}</title></rect>',
        segments,
    )
    return format_html(
        '<svg class="balance-bar" id="{id}" role="img" viewBox="0 0 {w} {h}" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{bars}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=_("Research, capacity building and practice"),
        desc=balance.text,
        bars=bars,
    )
