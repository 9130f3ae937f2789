"""Groups provisioned by the organisation's identity provider (SCIM, through
communities.scim): a group mapped to a community keeps the community's
membership in step with the group. The IdP is trusted as the organisation's
own directory, so a private community's group members join without asking."""

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership, ProvisionedGroup
from communities.services.counts import member_counted_out
from communities.services.invariants import (
    activate,
    lock_community,
    lock_membership,
    new_membership,
)

Status = Membership.Status
Role = Membership.Role


def community_for_group(*, display_name: str, external_id: str) -> Community | None:
    """The community a group maps to: externalId is its slug, else the group
    is named like it (case aside). Archived communities take no one."""
    open_ones = Community.objects.filter(archived_at__isnull=True)
    if external_id:
        found = open_ones.filter(slug=external_id).first()
        if found is not None:
            return found
    return open_ones.filter(name__iexact=display_name.strip()).first()


def membership_provision(*, user, community: Community) -> Membership | None:
    """Make `user` an active member (as they are in the IdP's group). A
    deactivated account stays out until it is reactivated."""
    if not user.is_active or community.is_archived:
        return None
    membership = lock_membership(user=user, community=community)
    if membership is None:
        membership, created = new_membership(
            user=user,
            community=community,
            status=Status.ACTIVE,
            role=Role.MEMBER,
            joined_at=timezone.now(),
        )
        if created:
            return membership
    if membership.status not in (Status.ACTIVE, Status.INACTIVE):
        activate(membership, role=Role.MEMBER)
    return membership


def membership_deprovision(*, user, community: Community) -> Membership | None:
    """Taken out of the group: they leave the community, unless they are its
    last steward (a community is never left without one)."""
    lock_community(community)
    membership = lock_membership(user=user, community=community)
    if membership is None or membership.status != Status.ACTIVE:
        return membership
    if membership.role == Role.STEWARD and not (
        Membership.objects.filter(
            community_id=community.pk, status=Status.ACTIVE, role=Role.STEWARD
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        return membership
    membership.status = Status.LEFT
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])
    member_counted_out(membership=membership)
    return membership


@transaction.atomic
def group_provision(*, display_name: str, external_id: str = "") -> ProvisionedGroup:
    group = ProvisionedGroup(
        display_name=display_name.strip()[:200],
        scim_external_id=external_id.strip()[:254],
        community=community_for_group(
            display_name=display_name, external_id=external_id
        ),
    )
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_update(
    *,
    group: ProvisionedGroup,
    display_name: str | None = None,
    external_id: str | None = None,
) -> ProvisionedGroup:
    """Rename the group; one not yet mapped is matched again."""
    if display_name is not None:
        group.display_name = display_name.strip()[:200]
    if external_id is not None:
        group.scim_external_id = external_id.strip()[:254]
    if group.community_id is None:
        group.community = community_for_group(
            display_name=group.display_name, external_id=group.scim_external_id
        )
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_members_change(
    *, group: ProvisionedGroup, add=(), remove=()
) -> ProvisionedGroup:
    """People put in or taken out of the group, and so of its community."""
    add, remove = list(add), list(remove)
    if add:
        group.members.add(*add)
    if remove:
        group.members.remove(*remove)
    if group.community_id is not None:
        community = group.community
        for user in add:
            membership_provision(user=user, community=community)
        for user in remove:
            membership_deprovision(user=user, community=community)
    return group


@transaction.atomic
def group_members_set(*, group: ProvisionedGroup, members) -> ProvisionedGroup:
    """The group's people are exactly `members` (a SCIM PUT or replace)."""
    wanted = {user.pk: user for user in members}
    current = {user.pk: user for user in group.members.all()}
    return group_members_change(
        group=group,
        add=[u for pk, u in wanted.items() if pk not in current],
        remove=[u for pk, u in current.items() if pk not in wanted],
    )


@transaction.atomic
def group_delete(*, group: ProvisionedGroup) -> None:
    """The IdP deletes the group: the mapping goes; the community and its
    members stay (a deleted group says nothing about who belongs)."""
    group.delete()
