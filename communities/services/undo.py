"""Undo of a membership change just made (leaving, withdrawing a request,
removing a member): the page that confirms the change offers a button
carrying a signed, short-lived token. The token names the membership, who
acted, and the status and role it had; it restores exactly that, once, if
nothing has happened to the membership since."""

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from communities import listeners
from communities.models import Membership
from communities.services.counts import (
    member_counted_in,
    member_counted_out,
    members_changed,
)
from communities.services.errors import MembershipError
from communities.services.invariants import ensure_open_for_changes, lock_community
from members.permissions import check_signed_in

UNDO_SALT = "communities.membership-undo"
UNDO_MAX_AGE_SECONDS = 15 * 60


def membership_undo_token(*, acting_user, membership: Membership, before) -> str:
    """`before` is (status, role) as they were before the change."""
    status, role = before
    return signing.dumps(
        {
            "m": membership.pk,
            "by": acting_user.pk,
            "from": [status, role],
            "to": membership.status,
        },
        salt=UNDO_SALT,
    )


@transaction.atomic
def check_membership_undo(*, acting_user, token: str) -> Membership:
    """Put a membership back as it was before the change the token records.
    Only the person who made the change may undo it, within 15 minutes."""
    check_signed_in(acting_user)
    try:
        data = signing.loads(token, salt=UNDO_SALT, max_age=UNDO_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise MembershipError(_("It is too late to undo that.")) from exc
    except signing.BadSignature as exc:
        raise PermissionDenied from exc
    if data.get("by") != acting_user.pk:
        raise PermissionDenied
    membership = (
        Membership.objects.select_for_update()
        .select_related("community", "user")
        .filter(pk=data["m"])
        .first()
    )
    if membership is None:
        raise PermissionDenied
    lock_community(membership.community)
    ensure_open_for_changes(membership.community)
    status, role = data["from"]
    if (membership.status, membership.role) == (status, role):
        return membership  # undone already
    if membership.status != data["to"]:
        raise MembershipError(_("That changed again since; it cannot be undone."))
    was_active = membership.is_active
    membership.status = status
    membership.role = role
    membership.save(update_fields=["status", "role", "updated_at"])
    if membership.is_active and not was_active:
        member_counted_in(membership=membership)
        listeners.membership_joined(membership)
    elif was_active and not membership.is_active:
        member_counted_out(membership=membership)
        listeners.membership_left(membership)
    else:
        members_changed(membership.community_id)  # a steward again
    return membership
