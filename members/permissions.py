"""Who may do what with members. Later apps ask here rather than re-deciding."""

from django.core.exceptions import PermissionDenied

from members.models import LeadershipRole

MANAGER_ROLES = frozenset({LeadershipRole.LINE_LEADER, LeadershipRole.EXECUTIVE})


def is_manager(user) -> bool:
    """Managers (line leaders, executives, staff) broker mentor matches."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.leadership_role in MANAGER_ROLES


def can_set_leadership_role(user) -> bool:
    return user.is_authenticated and user.is_staff


def can_edit_profile(user, member) -> bool:
    return user.is_authenticated and (user.pk == member.pk or user.is_staff)


def check_can_set_leadership_role(user) -> None:
    if not can_set_leadership_role(user):
        raise PermissionDenied


def check_signed_in(user) -> None:
    """Every write's entry point starts here: nobody acts anonymously or
    from a deactivated account, whatever the interface."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
