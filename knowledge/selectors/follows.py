"""Reads about follows: the Following page, a follow button's state, and
what digests need to honour them."""

from collections import defaultdict
from functools import partial

from django.db.models import Q

from communities.access import visible_communities_q
from communities.models import Visibility
from config import compiled_queries
from knowledge.models import Follow, FollowLevel

NOTIFYING = (FollowLevel.WATCHING, FollowLevel.NEW_ITEMS)


def follows_of(*, user):
    """`user`'s follows, newest first, of what they may still see: a private
    community they left, or its items, drop out (and hidden items)."""
    visible = visible_communities_q(user, prefix="community__")
    visible_items = visible_communities_q(user, prefix="item__community__")
    return (
        Follow.objects.filter(user=user)
        .filter(
            (Q(community__isnull=False) & visible)
            | (Q(item__isnull=False, item__hidden_at__isnull=True) & visible_items)
            | Q(person__isnull=False, person__is_active=True)
            | ~Q(tag="")
        )
        .select_related("community", "item__community", "person")
        .order_by("-created_at", "-id")
    )


def follow_level(*, user, kind: str, target) -> str:
    """The level `user` follows `target` at, or "" when they do not."""
    if not user.is_authenticated:
        return ""
    # A tag is followed by its name, everything else by its row's id.
    column, value = (kind, target) if kind == "tag" else (f"{kind}_id", target.pk)
    found = compiled_queries.rows(
        f"follow-level:{column}",
        partial(_level_query, column=column),
        user_id=user.pk,
        target=value,
    )
    return found[0][0] if found else ""


def _level_query(*, column, user_id, target):
    """Compiled once per process and kind (config.compiled_queries): a
    follow button is on every community, item, tag and profile page."""
    return (
        Follow.objects.filter(user_id=user_id, **{column: target})
        .order_by("pk")
        .values_list("level")[:1]
    )


def digest_follow_choices(*, user_ids) -> tuple[dict, dict]:
    """For digests: per member id, the open communities they follow (at a
    level that notifies) and the communities they muted."""
    followed, muted = defaultdict(set), defaultdict(set)
    rows = Follow.objects.filter(
        user_id__in=list(user_ids), community__isnull=False
    ).values_list(
        "user_id",
        "community_id",
        "level",
        "community__visibility",
        "community__archived_at",
    )
    for user_id, community_id, level, visibility, archived_at in rows:
        if level == FollowLevel.MUTED:
            muted[user_id].add(community_id)
        elif visibility == Visibility.OPEN and archived_at is None:
            followed[user_id].add(community_id)
    return followed, muted


def digest_followers_q(prefix: str = "") -> Q:
    """A Q over members: those who follow an open, unarchived community at a
    level that notifies (digests reach them even outside its membership)."""
    return Q(
        **{
            f"{prefix}pk__in": Follow.objects.filter(
                level__in=NOTIFYING,
                community__visibility=Visibility.OPEN,
                community__archived_at__isnull=True,
            ).values("user_id")
        }
    )
