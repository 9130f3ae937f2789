"""A member's contributions, as shown on their profile."""

from knowledge.selectors.visibility import visible_items

PROFILE_ITEMS = 5


def contributions_of(*, member, viewer, limit: int = PROFILE_ITEMS):
    """A member's latest items and latest accepted answers, only where
    `viewer` may look (hidden items and answers left out)."""
    items = list(
        visible_items(viewer)
        .filter(author_id=member.pk)
        .select_related("community")
        .order_by("-created_at", "-id")[:limit]
    )
    answered = list(
        visible_items(viewer)
        .filter(
            accepted_reply__author_id=member.pk,
            accepted_reply__hidden_at__isnull=True,
        )
        .select_related("community")
        .order_by("-accepted_reply__created_at", "-id")[:limit]
    )
    return items, answered
