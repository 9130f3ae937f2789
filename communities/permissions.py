"""Who may do what with a community. Visibility of anything inside a private
community is decided in communities.access (the one gate); this module adds
the membership actions and the stewards' powers on top of it.

The `can_*` answers drive which buttons a page shows; services still enforce
the invariants (archived is read-only, the last steward stays).
"""

from django.core.exceptions import PermissionDenied

from communities import access
from communities.models import Membership

Status = Membership.Status

# A member in one of these states may come back on their own.
REJOINABLE = frozenset({Status.LEFT, Status.DECLINED})


def _status(membership) -> str | None:
    return membership.status if membership is not None else None


def can_create_community(user) -> bool:
    return user.is_authenticated and user.is_active


def can_join(user, community, membership) -> bool:
    """Join at once: open, not archived, and not a member, a requester or
    someone a steward removed."""
    return (
        user.is_authenticated
        and not community.is_private
        and not community.is_archived
        and (membership is None or membership.status in REJOINABLE)
    )


def can_request(user, community, membership) -> bool:
    """Ask the stewards: a private community, or an open one after removal."""
    if not user.is_authenticated or community.is_archived:
        return False
    status = _status(membership)
    if community.is_private:
        return status is None or status in REJOINABLE or status == Status.REMOVED
    return status == Status.REMOVED


def can_leave(user, community, membership) -> bool:
    """Members leave; requesters withdraw. (The last steward is refused by
    the service with a message saying how to hand over.)"""
    return membership is not None and membership.status in (
        Status.ACTIVE,
        Status.PENDING,
    )


def can_answer_invitation(user, community, membership) -> bool:
    return (
        membership is not None and membership.is_invited and not community.is_archived
    )


def can_manage(user, community, membership=None) -> bool:
    """Stewards manage their community; staff manage every community."""
    return access.can_moderate(user, community, membership)


def can_edit(user, community, membership=None) -> bool:
    return can_manage(user, community, membership) and not community.is_archived


def can_see_listing_details(user, community) -> bool:
    """On the list, a private community shows only its name and purpose to
    those who may not look inside. Expects `my_status` annotated (selectors)."""
    return (
        user.is_staff
        or not community.is_private
        or getattr(community, "my_status", None) == Status.ACTIVE
    )


def access_managed_community(user, slug: str):
    """Fetch a community for a steward's page or action: 404 for those who
    may not see it, 403 for those who may see but not manage it."""
    community, membership = access.access_community(user, slug)
    check_manage(user, community, membership)
    return community, membership


def check_manage(user, community, membership) -> None:
    """For stewards' pages and actions, after access_community has already
    hidden private communities from outsiders (404)."""
    if not can_manage(user, community, membership):
        raise PermissionDenied
