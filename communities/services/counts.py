"""The active-member counters (MemberCount: a community's active members by
leadership role), kept true by the membership services.

Every write that makes a membership active or ends an active one, or changes
an active member's leadership role, calls one of these in its transaction.
The change is one upsert (`active = active + delta`), so two members joining
at once both count without a lock. Each also bumps the community's member
version: the cached sample of the page's member overview
(communities.selectors.member_overview) is read again.

`member_counts_recount` counts from scratch: the migration that adds the table
and bulk loads that write memberships around the services (bench.generate)
call it; a test checks that the counters equal it after every service.
"""

from collections.abc import Iterable

from django.db import connection

from communities.models import Community, MemberCount, Membership
from members.models import User
from members.versioned_cache import bump


def members_version(community_id: int) -> str:
    """The version of who is an active member of a community, and how they
    sort (role, steward, leadership role)."""
    return f"community-members:{community_id}"


def members_changed(*community_ids: int) -> None:
    bump(*(members_version(pk) for pk in community_ids))


def _upsert(
    *, community_ids: list[int], delta: int, user_id=None, leadership_role=None
):
    """Add `delta` to the counter of each community for `leadership_role`,
    or, given `user_id`, for that member's current role."""
    counts = MemberCount._meta.db_table
    if user_id is not None:
        # FOR SHARE: a leadership role being changed at this moment
        # (members.services.leadership_role_set updates the row, then moves
        # the member's counters) is waited for, so this counts the role the
        # member ends up with, or the move sees this membership.
        users = User._meta.db_table
        role_sql = f"(SELECT leadership_role FROM {users} WHERE id = %s FOR SHARE)"  # noqa: S608
        role_param = user_id
    else:
        role_sql, role_param = "%s", leadership_role
    # Never below zero: a counter that drifted (a write around the services)
    # must not make a member's leave fail; the recount repairs it.
    sql = f"""
        INSERT INTO {counts} (community_id, leadership_role, active)
        SELECT c, {role_sql}, GREATEST(%s, 0) FROM unnest(%s::bigint[]) AS c
        ON CONFLICT (community_id, leadership_role)
        DO UPDATE SET active = GREATEST({counts}.active + %s, 0)
    """  # noqa: S608 - table names from the models
    with connection.cursor() as cursor:
        cursor.execute(sql, [role_param, delta, community_ids, delta])


def member_counted_in(*, membership: Membership) -> None:
    """`membership` just became active."""
    _upsert(
        community_ids=[membership.community_id],
        delta=1,
        user_id=membership.user_id,
    )
    members_changed(membership.community_id)


def member_counted_out(*, membership: Membership) -> None:
    """`membership` was active and no longer is."""
    _upsert(
        community_ids=[membership.community_id],
        delta=-1,
        user_id=membership.user_id,
    )
    members_changed(membership.community_id)


def member_counts_account(*, user_id: int, community_ids: Iterable[int], delta: int):
    """A member's account came (+1) or went (-1) in all these communities
    at once (deactivation, reactivation, erasure)."""
    community_ids = sorted(set(community_ids))
    if not community_ids:
        return
    _upsert(community_ids=community_ids, delta=delta, user_id=user_id)
    members_changed(*community_ids)


def member_counts_role_moved(*, member, before: str) -> None:
    """`member`'s leadership role changed from `before`: they move from one
    counter to another in every community they are active in."""
    community_ids = list(
        Membership.objects.filter(
            user_id=member.pk, status=Membership.Status.ACTIVE
        ).values_list("community_id", flat=True)
    )
    if not community_ids:
        return
    _upsert(community_ids=community_ids, delta=-1, leadership_role=before)
    _upsert(
        community_ids=community_ids, delta=1, leadership_role=member.leadership_role
    )
    members_changed(*community_ids)


def member_counts_recount(*, community_ids: Iterable[int] | None = None) -> None:
    """Count every (or these) communities' active members from scratch."""
    counts = MemberCount._meta.db_table
    memberships = Membership._meta.db_table
    users = User._meta.db_table
    ids = None if community_ids is None else sorted(set(community_ids))
    where, params = ("", []) if ids is None else ("WHERE community_id = ANY(%s)", [ids])
    only = "" if ids is None else "AND m.community_id = ANY(%s)"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counts} {where}", params)  # noqa: S608
        cursor.execute(
            f"""
            INSERT INTO {counts} (community_id, leadership_role, active)
            SELECT m.community_id, u.leadership_role, COUNT(*)
            FROM {memberships} m JOIN {users} u ON u.id = m.user_id
            WHERE m.status = %s {only}
            GROUP BY m.community_id, u.leadership_role
            """,  # noqa: S608 - table names from the models
            [Membership.Status.ACTIVE, *params],
        )
    if ids is None:
        ids = list(Community.objects.values_list("pk", flat=True))
    members_changed(*ids)
