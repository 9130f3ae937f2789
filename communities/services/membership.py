"""A member's own moves: join, ask to join, leave, answer an invitation.
Every one is idempotent, so a double click changes nothing."""

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities import listeners
from communities.access import access_community, membership_of
from communities.models import Community, Membership
from communities.services.counts import member_counted_out
from communities.services.errors import MembershipError
from communities.services.invariants import (
    activate,
    ensure_not_last_steward,
    ensure_open_for_changes,
    lock_community,
    lock_membership,
    new_membership,
    notify_stewards,
    settings_url,
)
from members.permissions import check_signed_in
from notifications.services import notify

Status = Membership.Status
Role = Membership.Role

# --- Joining and leaving ----------------------------------------------------------


JOINABLE_AGAIN = {Status.LEFT, Status.DECLINED}


@transaction.atomic
def community_join(*, acting_user, community: Community) -> Membership:
    """Join an open community at once. Joining again changes nothing; an
    invitation is accepted; members removed by a steward must ask instead."""
    ensure_open_for_changes(community)
    if community.is_private:
        raise MembershipError(
            _("%(name)s is private: ask to join instead.") % {"name": community.name}
        )
    membership = lock_membership(user=acting_user, community=community)
    if membership is None:
        membership, created = new_membership(
            user=acting_user,
            community=community,
            status=Status.ACTIVE,
            role=Role.MEMBER,
            joined_at=timezone.now(),
        )
        if created:
            listeners.membership_joined(membership)
            return membership
    if membership.is_active or membership.is_pending:
        return membership
    if membership.is_invited:
        return invitation_accept(acting_user=acting_user, community=community)
    if membership.status == Status.REMOVED:
        raise MembershipError(
            _("A steward removed you from %(name)s; ask to join again.")
            % {"name": community.name}
        )
    activate(membership, role=Role.MEMBER)
    return membership


@transaction.atomic
def community_request_join(*, acting_user, community: Community) -> Membership:
    """Ask to join a private community (or an open one after removal): the
    stewards are told once; asking twice changes nothing."""
    ensure_open_for_changes(community)
    membership = lock_membership(user=acting_user, community=community)
    if membership is not None and (membership.is_active or membership.is_pending):
        return membership
    if membership is not None and membership.is_invited:
        # They were already asked in: asking back is accepting.
        return invitation_accept(acting_user=acting_user, community=community)
    if not community.is_private and (
        membership is None or membership.status in JOINABLE_AGAIN
    ):
        return community_join(acting_user=acting_user, community=community)
    if membership is None:
        membership, created = new_membership(
            user=acting_user,
            community=community,
            status=Status.PENDING,
            role=Role.MEMBER,
        )
        if not created:
            return membership
    else:
        membership.status = Status.PENDING
        membership.role = Role.MEMBER
        membership.save(update_fields=["status", "role", "updated_at"])
    notify_stewards(
        community,
        kind="communities.request",
        message=gettext_lazy("%(user)s asks to join %(name)s."),
        params={"user": acting_user, "name": community.name},
        url=settings_url(community),
        acting_user=acting_user,
    )
    return membership


@transaction.atomic
def community_leave(*, acting_user, community: Community) -> Membership | None:
    """Leave a community (or withdraw a request). The last steward must hand
    over first. Leaving twice changes nothing."""
    lock_community(community)
    membership = lock_membership(user=acting_user, community=community)
    if membership is None or membership.status not in (Status.ACTIVE, Status.PENDING):
        return membership
    ensure_not_last_steward(
        membership,
        _(
            "You are the last steward of %(name)s. Make another member a "
            "steward before you leave, so the community is not left without one."
        )
        % {"name": community.name},
    )
    was_active = membership.is_active
    membership.status = Status.LEFT
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])
    if was_active:
        member_counted_out(membership=membership)
        listeners.membership_left(membership)
    return membership


@transaction.atomic
def invitation_accept(*, acting_user, community: Community) -> Membership:
    ensure_open_for_changes(community)
    membership = lock_membership(user=acting_user, community=community)
    if membership is None or not membership.is_invited:
        if membership is not None and membership.is_active:
            return membership
        raise MembershipError(_("There is no invitation to accept."))
    activate(membership, role=Role.MEMBER)
    if membership.invited_by_id:
        notify(
            recipient=membership.invited_by,
            kind="communities.invitation_accepted",
            message=gettext_lazy("%(user)s accepted your invitation to %(name)s."),
            params={"user": acting_user, "name": community.name},
            url=community.get_absolute_url(),
            actor=acting_user,
        )
    return membership


@transaction.atomic
def invitation_decline(*, acting_user, community: Community) -> Membership | None:
    membership = lock_membership(user=acting_user, community=community)
    if membership is None or not membership.is_invited:
        return membership
    membership.status = Status.DECLINED
    membership.save(update_fields=["status", "updated_at"])
    if membership.invited_by_id:
        notify(
            recipient=membership.invited_by,
            kind="communities.invitation_declined",
            message=gettext_lazy("%(user)s declined your invitation to %(name)s."),
            params={"user": acting_user, "name": community.name},
            url=settings_url(community),
            actor=acting_user,
        )
    return membership


# --- Checked entry points: every interface (page, API, task) calls these ------


def _listed_community(slug: str) -> Community:
    # Private communities are listed, so their existence is no secret.
    return get_object_or_404(Community, slug=slug)


@transaction.atomic
def check_community_join(*, acting_user, community_slug: str) -> Membership:
    """Join at once; a private community the member cannot see is 404."""
    check_signed_in(acting_user)
    community, _membership = access_community(acting_user, community_slug)
    return community_join(acting_user=acting_user, community=community)


@transaction.atomic
def check_community_request_join(*, acting_user, community_slug: str) -> Membership:
    check_signed_in(acting_user)
    community = _listed_community(community_slug)
    return community_request_join(acting_user=acting_user, community=community)


@transaction.atomic
def check_community_leave(*, acting_user, community_slug: str) -> Membership | None:
    """Leave, or withdraw a request; 404 for someone with no membership."""
    check_signed_in(acting_user)
    community = _listed_community(community_slug)
    if membership_of(acting_user, community) is None:
        raise Http404
    return community_leave(acting_user=acting_user, community=community)


@transaction.atomic
def check_invitation_accept(*, acting_user, community_slug: str) -> Membership:
    check_signed_in(acting_user)
    community = _listed_community(community_slug)
    return invitation_accept(acting_user=acting_user, community=community)


@transaction.atomic
def check_invitation_decline(*, acting_user, community_slug: str) -> Membership | None:
    check_signed_in(acting_user)
    community = _listed_community(community_slug)
    return invitation_decline(acting_user=acting_user, community=community)
