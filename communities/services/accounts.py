"""A member's account deactivated, reactivated, erased or given another
leadership role (members.deactivation hooks, registered in
CommunitiesConfig.ready; the erasure is privacy's)."""

from django.utils import timezone

from communities.models import Membership
from communities.services.counts import member_counts_account, member_counts_role_moved

Status = Membership.Status


def _active_community_ids(member, status=Status.ACTIVE) -> list[int]:
    return list(
        Membership.objects.filter(user_id=member.pk, status=status).values_list(
            "community_id", flat=True
        )
    )


def memberships_deactivate(*, member) -> int:
    """Active memberships become inactive (kept, with their role, for a
    return); requests to join are withdrawn. Returns how many changed."""
    now = timezone.now()
    active = _active_community_ids(member)
    changed = Membership.objects.filter(user_id=member.pk, status=Status.ACTIVE).update(
        status=Status.INACTIVE, updated_at=now
    )
    member_counts_account(user_id=member.pk, community_ids=active, delta=-1)
    changed += Membership.objects.filter(
        user_id=member.pk, status=Status.PENDING
    ).update(status=Status.LEFT, updated_at=now)
    return changed


def memberships_reactivate(*, member) -> int:
    """Memberships made inactive by the deactivation are active again."""
    inactive = _active_community_ids(member, Status.INACTIVE)
    changed = Membership.objects.filter(
        user_id=member.pk, status=Status.INACTIVE
    ).update(status=Status.ACTIVE, updated_at=timezone.now())
    member_counts_account(user_id=member.pk, community_ids=inactive, delta=1)
    return changed


def memberships_erase(*, member) -> int:
    """The member's data is erased (privacy.erasure): every membership they
    still hold ends (left, as a plain member). Returns how many changed."""
    active = _active_community_ids(member)
    changed = (
        Membership.objects.filter(user_id=member.pk)
        .exclude(status__in=[Status.LEFT, Status.REMOVED])
        .update(
            status=Status.LEFT, role=Membership.Role.MEMBER, updated_at=timezone.now()
        )
    )
    member_counts_account(user_id=member.pk, community_ids=active, delta=-1)
    return changed


def memberships_leadership_role_moved(*, member, before: str) -> None:
    """`member` has a new leadership role: the community counters follow."""
    member_counts_role_moved(member=member, before=before)
