"""What every membership write relies on: the row locks that serialise
changes, and the two rules that hold whoever calls (an archived community is
read-only; a community always keeps a steward)."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import listeners
from communities.models import Community, Membership
from communities.services.counts import member_counted_in
from communities.services.errors import CommunityArchivedError, LastStewardError
from notifications.services import notify

Status = Membership.Status
Role = Membership.Role


def settings_url(community) -> str:
    return reverse("communities:settings", kwargs={"slug": community.slug})


def invitations_url() -> str:
    return reverse("communities:invitations")


def ensure_open_for_changes(community) -> None:
    if community.is_archived:
        raise CommunityArchivedError(
            _("%(name)s is archived: it is read-only.") % {"name": community.name}
        )


def lock_community(community) -> Community:
    """Serialise every change to who stewards `community` (the last-steward
    rule counts stewards, so two concurrent demotions must not both pass)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def lock_membership(*, user, community) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(user_id=user.pk, community_id=community.pk)
        .first()
    )


def new_membership(*, user, community, **fields) -> tuple[Membership, bool]:
    """Create a membership, or lock the one a concurrent request just made
    (then `created` is False and the other request did the rest)."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, community=community, **fields
            )
    except IntegrityError:
        return lock_membership(user=user, community=community), False
    if membership.is_active:
        member_counted_in(membership=membership)
    return membership, True


def active_stewards(community):
    return Membership.objects.filter(
        community_id=community.pk, status=Status.ACTIVE, role=Role.STEWARD
    ).select_related("user")


def ensure_not_last_steward(membership, message: str) -> None:
    if not membership.is_steward:
        return
    others = active_stewards(membership.community).exclude(pk=membership.pk).exists()
    if not others:
        raise LastStewardError(message)


def notify_stewards(community, *, kind, message, url, acting_user, params=None) -> None:
    for steward in active_stewards(community):
        notify(
            recipient=steward.user,
            kind=kind,
            message=message,
            params=params,
            url=url,
            actor=acting_user,
        )


def activate(membership, *, role=None) -> None:
    was_active = membership.is_active
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    if role:
        membership.role = role
    membership.save(update_fields=["status", "joined_at", "role", "updated_at"])
    if not was_active:
        member_counted_in(membership=membership)
    listeners.membership_joined(membership)
