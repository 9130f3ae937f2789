"""Reads of adoption follow-through: an adoption's outcome (its latest
answered check-in), a community's stick rate, the check-ins of an item's
adoptions."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from communities.access import visible_communities_sql
from communities.models import Community
from knowledge.models import (
    LASTING_ANSWERS,
    Adoption,
    AdoptionCheckIn,
    CheckInAnswer,
    Item,
)
from knowledge.selectors.feeds import community_items_version
from members.versioned_cache import cached

# The outcome of an adoption with no answered check-in yet.
UNKNOWN = "unknown"


def latest_answer(adoption_ref: str = "pk"):
    """The answer of the adoption's latest answered check-in, or UNKNOWN,
    for a queryset whose `adoption_ref` is the adoption's id."""
    return Coalesce(
        Subquery(
            AdoptionCheckIn.objects.filter(adoption_id=OuterRef(adoption_ref))
            .exclude(answer="")
            .order_by("-day")
            .values("answer")[:1],
            output_field=CharField(),
        ),
        Value(UNKNOWN),
    )


def adoptions_with_outcome(queryset=None) -> QuerySet:
    """Adoptions annotated with `outcome`: kept, adapted, dropped or unknown."""
    queryset = Adoption.objects.all() if queryset is None else queryset
    return queryset.annotate(outcome=latest_answer())


@dataclass(frozen=True)
class StickRate:
    lasted: int = 0
    dropped: int = 0
    unknown: int = 0

    @property
    def known(self) -> int:
        return self.lasted + self.dropped

    @property
    def total(self) -> int:
        return self.known + self.unknown

    @property
    def rate(self) -> float | None:
        """Lasted out of those whose outcome is known; None when none is."""
        return self.lasted / self.known if self.known else None


def stick_rates(*, community_ids, viewer) -> dict[int, StickRate]:
    """For each origin community, how its items' adoptions by *other*
    communities fared: lasted (kept or adapted at the latest answered
    check-in), dropped, or not yet known. Adoptions by communities the viewer
    may not see are left out, so no figure about a private community reaches
    anyone outside it. One query, written in SQL: built with the ORM
    (adoptions_with_outcome, visible_communities_q) it cost the community
    page ~2.5 ms of CPU a view to compile, the query itself 0.2 ms."""
    visible = visible_communities_sql(viewer, "a.community_id")
    if isinstance(community_ids, QuerySet):
        # A subquery of ids (the dashboards' whole organisation).
        ids_sql, ids_params = community_ids.query.sql_with_params()
        origins_sql, origins_params = f"IN ({ids_sql})", list(ids_params)
    else:
        origins_sql, origins_params = "= ANY(%s::bigint[])", [list(community_ids)]
        if not origins_params[0]:
            return {}
    if visible is None:
        return {}
    visible_sql, visible_params = visible
    sql = _outcomes_sql(
        by="a.origin_community_id", origins=origins_sql, visible=visible_sql
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [UNKNOWN, *origins_params, *visible_params])
        counts = _by_outcome(cursor.fetchall())
    return {pk: StickRate(*slot) for pk, slot in counts.items()}


def _outcomes_sql(*, by: str, origins: str, visible: str = "") -> str:
    """(`by`, outcome, count) over the adoptions by other communities of the
    visible items of the origins (`origins`: a condition on
    a.origin_community_id), `visible` narrowing the adopting communities.
    The outcome is latest_answer(): the latest answered check-in's answer,
    or the first parameter when none is answered."""
    adoptions = Adoption._meta.db_table
    checkins = AdoptionCheckIn._meta.db_table
    items = Item._meta.db_table
    return f"""
        SELECT {by}, COALESCE((
            SELECT ch.answer FROM {checkins} ch
            WHERE ch.adoption_id = a.id AND ch.answer <> ''
            ORDER BY ch.day DESC LIMIT 1
        ), %s) AS outcome, COUNT(*)
        FROM {adoptions} a JOIN {items} i ON i.id = a.item_id
        WHERE a.origin_community_id {origins}
          AND i.hidden_at IS NULL
          AND a.community_id <> a.origin_community_id
          {"AND " + visible if visible else ""}
        GROUP BY 1, 2
    """  # noqa: S608 - table and column names from the models and callers


def adoptions_version(origin_id: int) -> str:
    """The cache version (members.versioned_cache) of how a community's
    items fared where they were adopted: bumped by every adoption of one of
    its items (knowledge.services.adoption_record) and every answered
    check-in of one (knowledge.adoptions.adoption_checkin_answer). Hiding
    or restoring one of its items bumps community_items_version(origin)."""
    return f"adoptions:{origin_id}"


def stick_rate(*, community, viewer) -> StickRate:
    """stick_rates() for one community's page. Its adoptions' outcomes
    per adopting community are the same for every viewer, so they are
    cached (`_stick_breakdown`); which communities the viewer may not see
    is asked again on every view (`_hidden_from`), so a leave or a
    community turning private shows at once. Computed fresh on every view
    the largest community's (186 adoptions by 137 communities) cost 1.0 ms
    of execution and 0.37 ms of planning in PostgreSQL (719 buffers); the
    communities hidden from a member 0.16 ms and 0.09 ms (48 buffers)."""
    if not viewer.is_authenticated:
        return StickRate()
    breakdown = _stick_breakdown(community.pk)
    if not breakdown:
        return StickRate()
    hidden = set() if viewer.is_staff else _hidden_from(viewer)
    shown = [slot for pk, slot in breakdown.items() if pk not in hidden]
    return StickRate(
        lasted=sum(slot[0] for slot in shown),
        dropped=sum(slot[1] for slot in shown),
        unknown=sum(slot[2] for slot in shown),
    )


def _stick_breakdown(origin_id: int) -> dict[int, tuple[int, int, int]]:
    """{adopting community id: (lasted, dropped, unknown)} over the
    adoptions of the origin's visible items by other communities, whoever
    may see them: cached until one of its items is adopted, hidden or
    restored or an adoption's check-in answered."""

    def breakdown():
        sql = _outcomes_sql(by="a.community_id", origins="= %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [UNKNOWN, origin_id])
            return {
                pk: tuple(slot) for pk, slot in _by_outcome(cursor.fetchall()).items()
            }

    return cached(
        f"stick-breakdown:{origin_id}",
        [community_items_version(origin_id), adoptions_version(origin_id)],
        breakdown,
    )


def _hidden_from(viewer) -> set[int]:
    """The communities `viewer` may not see inside, asked now: the
    private ones they are not an active member of (30 of 300 at full
    scale). Asked this way round, the query carries no list of ids: asking
    which of the largest community's 137 adopters the viewer may see cost
    ~0.2 ms of CPU to send the ids alone. NOT is safe here: the rule's
    subqueries return no NULL ids."""
    visible = visible_communities_sql(viewer, "c.id")
    communities = Community._meta.db_table
    sql = f"SELECT c.id FROM {communities} c"  # noqa: S608 - table names from the models
    if visible is None:
        params = []
    else:
        condition, params = visible
        if not condition:
            return set()
        sql += f" WHERE NOT {condition}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk for (pk,) in cursor.fetchall()}


def _by_outcome(rows) -> dict[int, list[int]]:
    """(id, outcome, count) rows summed per id as [lasted, dropped, unknown]."""
    counts: dict[int, list[int]] = {}
    for pk, outcome, n in rows:
        slot = counts.setdefault(pk, [0, 0, 0])
        if outcome in LASTING_ANSWERS:
            slot[0] += n
        elif outcome == CheckInAnswer.DROPPED:
            slot[1] += n
        else:
            slot[2] += n
    return counts


def adoption_checkins(*, adoption_ids) -> dict[int, list[AdoptionCheckIn]]:
    """The check-ins of these adoptions, by adoption, earliest first."""
    found: dict[int, list[AdoptionCheckIn]] = {}
    for checkin in AdoptionCheckIn.objects.filter(
        adoption_id__in=list(adoption_ids)
    ).order_by("day"):
        found.setdefault(checkin.adoption_id, []).append(checkin)
    return found
