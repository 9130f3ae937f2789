"""Who may see which dashboard.

- The organisation dashboard: staff only.
- What could spread next (ready to spread, missing bridges): internal
  networkers and staff; each sees only communities they may see.
- A community's dashboard: its stewards and staff. Other members get 403;
  those who may not even see a private community get 404 (its inside pages
  stay invisible to them, dashboard included).
"""

from django.core.exceptions import PermissionDenied

from communities.access import access_community, can_moderate
from members.models import LeadershipRole


def can_view_organisation_dashboard(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def check_organisation_dashboard(user) -> None:
    if not can_view_organisation_dashboard(user):
        raise PermissionDenied


def can_view_community_dashboard(user, community, membership=None) -> bool:
    return can_moderate(user, community, membership)


def access_community_dashboard(user, slug: str):
    community, membership = access_community(user, slug)
    if not can_view_community_dashboard(user, community, membership):
        raise PermissionDenied
    return community


def can_view_spread_next(user) -> bool:
    """What could spread next: internal networkers and staff."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.leadership_role == LeadershipRole.NETWORKER)
    )


def check_spread_next(user) -> None:
    if not can_view_spread_next(user):
        raise PermissionDenied
