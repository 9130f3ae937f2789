"""Mentoring ticks a newcomer's "connect" welcome step in their communities."""

from communities.access import active_community_ids
from communities.models import Community
from communities.services.hooks import welcome_step_complete


def connect_step(*, mentee, community=None) -> None:
    """Mentoring ticks the newcomer's "connect" welcome step."""
    if community is not None:
        welcome_step_complete(user=mentee, community=community, step="connect")
        return
    for community in Community.objects.filter(pk__in=active_community_ids(mentee)):
        welcome_step_complete(user=mentee, community=community, step="connect")
