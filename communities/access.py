"""Who may see what inside a community. Every app that shows community
content (items, digests, dashboards, search) filters through here, so private
content has one gate.

- An open community's content is visible to every signed-in member.
- A private community's content is visible to its active members and staff.
- Everyone else gets 404 on inside pages (its name and purpose stay listed).
"""

import hashlib

from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404

from communities.models import Community, Membership, Visibility
from config import compiled_queries


def active_community_ids(user) -> QuerySet:
    """Ids of communities where `user` is an active member (a subquery)."""
    return Membership.objects.filter(
        user_id=user.pk, status=Membership.Status.ACTIVE
    ).values("community_id")


def visible_communities_q(user, prefix: str = "") -> Q:
    """A Q over a model reaching Community through `prefix` (e.g.
    "community__") that keeps only communities whose content `user` may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    return Q(**{f"{prefix}visibility": Visibility.OPEN}) | Q(
        **{f"{prefix}pk__in": active_community_ids(user)}
    )


def visible_communities_sql(user, column: str) -> tuple[str, list] | None:
    """visible_communities_q for raw SQL: a condition on `column` (a
    community id) and its parameters, "" for everything (staff), or None
    when nothing is visible. Kept next to the Q so the rule is one rule;
    tests/communities/test_access.py compares the two through
    visible_community_ids_text, which is built on it."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return "", []
    communities = Community._meta.db_table
    memberships = Membership._meta.db_table
    sql = (
        f"({column} IN (SELECT id FROM {communities} WHERE visibility = %s)"  # noqa: S608
        f" OR {column} IN (SELECT community_id FROM {memberships}"
        " WHERE user_id = %s AND status = %s))"
    )
    return sql, [Visibility.OPEN, user.pk, Membership.Status.ACTIVE]


def communities_visible_to(user) -> QuerySet:
    return Community.objects.filter(visible_communities_q(user))


def visible_communities_key(viewer) -> str:
    """Which communities `viewer` may see inside, as a short key: viewers
    who see the same communities share cached figures, and joining, leaving
    or a community turning private changes the key at once."""
    return visible_communities_key_of(visible_community_ids_text(viewer))


def visible_communities_key_of(ids_text: str) -> str:
    """The key of visible_community_ids_text()'s answer."""
    return hashlib.sha256(ids_text.encode()).hexdigest()[:24]


def visible_community_ids_text(viewer) -> str:
    """The ids of communities_visible_to(viewer), joined in PostgreSQL in id
    order ("3,7,12"): one short string instead of a row per community. The
    statement is written out because building it with the ORM's aggregate
    took ~1 ms of CPU on every view of the pages that key by it, and running
    it 0.2 ms; tests/communities/test_access.py checks that it names exactly
    the communities visible_communities_q() lets through."""

    visible = visible_communities_sql(viewer, "c.id")
    if visible is None:
        return ""
    condition, params = visible
    communities = Community._meta.db_table
    sql = f"SELECT STRING_AGG(c.id::text, ',' ORDER BY c.id) FROM {communities} c"  # noqa: S608 - table names from the models
    if condition:
        sql += f" WHERE {condition}"
    with connections[router.db_for_read(Community)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0] or ""


def membership_of(user, community):
    if not user.is_authenticated:
        return None
    found = compiled_queries.instances(
        "membership-of", _membership, user_id=user.pk, community_id=community.pk
    )
    return found[0] if found else None


def _membership(*, user_id, community_id):
    """One row at most (membership_unique). Compiled once per process
    (config.compiled_queries): nearly every inside page reads it, and
    building it cost more than running it."""
    return Membership.objects.filter(user_id=user_id, community_id=community_id)


def _community(*, slug):
    """One row at most (slug is unique). Compiled once per process
    (config.compiled_queries): every page inside a community reads it."""
    return Community.objects.filter(slug=slug)


def can_view_content(user, community, membership=None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or not community.is_private:
        return True
    membership = membership or membership_of(user, community)
    return membership is not None and membership.is_active


def is_steward(user, community, membership=None) -> bool:
    if not user.is_authenticated:
        return False
    membership = membership or membership_of(user, community)
    return membership is not None and membership.is_steward


def can_moderate(user, community, membership=None) -> bool:
    """Stewards moderate their community; staff moderate everywhere."""
    return user.is_authenticated and (
        user.is_staff or is_steward(user, community, membership)
    )


def access_community(user, slug: str) -> tuple[Community, Membership | None]:
    """Fetch a community for an inside page, or 404 for those who may not see it."""
    found = compiled_queries.instances("community-by-slug", _community, slug=slug)
    if not found:
        raise Http404
    community = found[0]
    membership = membership_of(user, community)
    if community.is_private and not can_view_content(user, community, membership):
        raise Http404
    return community, membership
