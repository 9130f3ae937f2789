"""What stewards do: decide on requests, invite, promote, demote, remove."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import listeners
from communities.models import Community, Membership
from communities.permissions import access_managed_community
from communities.services.counts import member_counted_out, members_changed
from communities.services.errors import MembershipError
from communities.services.invariants import (
    activate,
    ensure_not_last_steward,
    ensure_open_for_changes,
    invitations_url,
    lock_community,
    lock_membership,
    new_membership,
    settings_url,
)
from members.audit import audit_record
from members.models import AuditAction
from members.permissions import check_signed_in
from notifications.services import notify

Status = Membership.Status
Role = Membership.Role


def _audit(acting_user, action, membership: Membership) -> None:
    """Name the person, not the membership row, in the log."""
    audit_record(
        actor=acting_user,
        action=action,
        target=membership.user,
        community_id=membership.community_id,
        details={"community": membership.community.name},
    )


# --- Stewards deciding on requests --------------------------------------------


@transaction.atomic
def membership_approve(*, acting_user, membership: Membership) -> Membership:
    community = membership.community
    ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        return membership
    activate(membership, role=Role.MEMBER)
    _audit(acting_user, AuditAction.JOIN_APPROVED, membership)
    notify(
        recipient=membership.user,
        kind="communities.approved",
        message=gettext_lazy("Welcome! You are now a member of %(name)s."),
        params={"name": community.name},
        url=community.get_absolute_url(),
        actor=acting_user,
    )
    return membership


@transaction.atomic
def membership_decline(*, acting_user, membership: Membership) -> Membership:
    community = membership.community
    ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        return membership
    membership.status = Status.DECLINED
    membership.save(update_fields=["status", "updated_at"])
    _audit(acting_user, AuditAction.JOIN_DECLINED, membership)
    notify(
        recipient=membership.user,
        kind="communities.declined",
        message=gettext_lazy("Your request to join %(name)s was declined."),
        params={"name": community.name},
        url=reverse("communities:list"),
        actor=acting_user,
    )
    return membership


# --- Invitations ------------------------------------------------------------------


@transaction.atomic
def community_invite(*, acting_user, community: Community, invitee) -> Membership:
    """Invite someone. Inviting a member changes nothing; inviting someone
    who asked to join lets them in."""
    ensure_open_for_changes(community)
    membership = lock_membership(user=invitee, community=community)
    if membership is None:
        membership, created = new_membership(
            user=invitee, community=community, status=Status.INVITED,
            role=Role.MEMBER, invited_by=acting_user,
        )  # fmt: skip
        if not created:
            return membership
    elif membership.is_active or membership.is_invited:
        return membership
    elif membership.is_pending:
        return membership_approve(acting_user=acting_user, membership=membership)
    else:
        membership.status = Status.INVITED
        membership.role = Role.MEMBER
        membership.invited_by = acting_user
        membership.save(update_fields=["status", "role", "invited_by", "updated_at"])
    notify(
        recipient=invitee,
        kind="communities.invited",
        message=gettext_lazy("%(actor)s invites you to join %(name)s."),
        params={"actor": acting_user, "name": community.name},
        url=invitations_url(),
        actor=acting_user,
    )
    return membership


# --- Stewards managing members ----------------------------------------------------


@transaction.atomic
def membership_promote(*, acting_user, membership: Membership) -> Membership:
    """Make an active member a steward. Promoting a steward changes nothing."""
    community = lock_community(membership.community)
    ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise MembershipError(_("Only active members can become stewards."))
    if membership.role == Role.STEWARD:
        return membership
    membership.role = Role.STEWARD
    membership.save(update_fields=["role", "updated_at"])
    # Stewards come first in the page's member overview.
    members_changed(community.pk)
    _audit(acting_user, AuditAction.STEWARD_PROMOTED, membership)
    notify(
        recipient=membership.user,
        kind="communities.promoted",
        message=gettext_lazy("You are now a steward of %(name)s."),
        params={"name": community.name},
        url=settings_url(community),
        actor=acting_user,
    )
    return membership


@transaction.atomic
def membership_demote(*, acting_user, membership: Membership) -> Membership:
    """Hand a steward back to member. Never the last steward."""
    community = lock_community(membership.community)
    ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role != Role.STEWARD:
        return membership
    ensure_not_last_steward(
        membership,
        _(
            "%(user)s is the last steward of %(name)s. Make someone else a "
            "steward first."
        )
        % {"user": membership.user, "name": community.name},
    )
    membership.role = Role.MEMBER
    membership.save(update_fields=["role", "updated_at"])
    # Stewards come first in the page's member overview.
    members_changed(community.pk)
    _audit(acting_user, AuditAction.STEWARD_DEMOTED, membership)
    notify(
        recipient=membership.user,
        kind="communities.demoted",
        message=gettext_lazy("You are no longer a steward of %(name)s."),
        params={"name": community.name},
        url=community.get_absolute_url(),
        actor=acting_user,
    )
    return membership


@transaction.atomic
def membership_remove(*, acting_user, membership: Membership) -> Membership:
    """Remove a member (or cancel an invitation). Never the last steward."""
    community = lock_community(membership.community)
    ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status not in (Status.ACTIVE, Status.INVITED):
        return membership
    was_active = membership.is_active
    ensure_not_last_steward(
        membership,
        _(
            "%(user)s is the last steward of %(name)s and cannot be removed. "
            "Make someone else a steward first."
        )
        % {"user": membership.user, "name": community.name},
    )
    membership.status = Status.REMOVED if was_active else Status.DECLINED
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])
    _audit(acting_user, AuditAction.MEMBER_REMOVED, membership)
    if was_active:
        member_counted_out(membership=membership)
        listeners.membership_left(membership)
        notify(
            recipient=membership.user,
            kind="communities.removed",
            message=gettext_lazy("A steward removed you from %(name)s."),
            params={"name": community.name},
            url=reverse("communities:list"),
            actor=acting_user,
        )
    return membership


# --- Checked entry points: every interface (page, API, task) calls these ------


@transaction.atomic
def check_community_invite(*, acting_user, community_slug: str, invitee) -> Membership:
    """Invite `invitee` into the community at `community_slug`: stewards and staff only
    (404 for those who may not see it, 403 for those who may not manage it)."""
    check_signed_in(acting_user)
    community, _membership = access_managed_community(acting_user, community_slug)
    return community_invite(
        acting_user=acting_user, community=community, invitee=invitee
    )


def _access_target(
    *, acting_user, community_slug: str, membership_id: int
) -> Membership:
    """A membership of the community at `community_slug` that `acting_user` manages;
    a membership of another community is 404."""
    check_signed_in(acting_user)
    community, _membership = access_managed_community(acting_user, community_slug)
    return get_object_or_404(
        Membership.objects.select_related("user", "community"),
        pk=membership_id,
        community=community,
    )


@transaction.atomic
def check_membership_approve(*, acting_user, community_slug: str, membership_id: int):
    target = _access_target(
        acting_user=acting_user,
        community_slug=community_slug,
        membership_id=membership_id,
    )
    return membership_approve(acting_user=acting_user, membership=target)


@transaction.atomic
def check_membership_decline(*, acting_user, community_slug: str, membership_id: int):
    target = _access_target(
        acting_user=acting_user,
        community_slug=community_slug,
        membership_id=membership_id,
    )
    return membership_decline(acting_user=acting_user, membership=target)


@transaction.atomic
def check_membership_promote(*, acting_user, community_slug: str, membership_id: int):
    target = _access_target(
        acting_user=acting_user,
        community_slug=community_slug,
        membership_id=membership_id,
    )
    return membership_promote(acting_user=acting_user, membership=target)


@transaction.atomic
def check_membership_demote(*, acting_user, community_slug: str, membership_id: int):
    target = _access_target(
        acting_user=acting_user,
        community_slug=community_slug,
        membership_id=membership_id,
    )
    return membership_demote(acting_user=acting_user, membership=target)


@transaction.atomic
def check_membership_remove(*, acting_user, community_slug: str, membership_id: int):
    target = _access_target(
        acting_user=acting_user,
        community_slug=community_slug,
        membership_id=membership_id,
    )
    return membership_remove(acting_user=acting_user, membership=target)
