"""A member's account deactivated or reactivated (members.deactivation hooks,
registered in CommunitiesConfig.ready)."""

from django.utils import timezone

from communities.models import Membership

Status = Membership.Status


def memberships_deactivate(*, member) -> int:
    """Active memberships become inactive (kept, with their role, for a
    return); requests to join are withdrawn. Returns how many changed."""
    now = timezone.now()
    changed = Membership.objects.filter(user_id=member.pk, status=Status.ACTIVE).update(
        status=Status.INACTIVE, updated_at=now
    )
    changed += Membership.objects.filter(
        user_id=member.pk, status=Status.PENDING
    ).update(status=Status.LEFT, updated_at=now)
    return changed


def memberships_reactivate(*, member) -> int:
    """Memberships made inactive by the deactivation are active again."""
    return Membership.objects.filter(user_id=member.pk, status=Status.INACTIVE).update(
        status=Status.ACTIVE, updated_at=timezone.now()
    )
