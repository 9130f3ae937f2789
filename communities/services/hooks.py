"""Cross-app hooks: knowledge and mentoring call these when something happens
inside a community. Their signatures are a contract."""

from django.utils import timezone

from communities.models import Community, Membership

WELCOME_STEPS = {
    "introduce": "introduced_at",
    "read": "read_helpful_at",
    "connect": "connected_at",
}


def welcome_step_complete(*, user, community, step: str) -> bool:
    """Tick one newcomer checklist step ("introduce", "read" or "connect") for
    `user` in `community`. A no-op (False) for non-members or a step already done."""
    field = WELCOME_STEPS[step]
    updated = Membership.objects.filter(
        user_id=user.pk,
        community_id=community.pk,
        status=Membership.Status.ACTIVE,
        **{f"{field}__isnull": True},
    ).update(**{field: timezone.now()})
    return updated > 0


def community_record_activity(*, community_id: int, at=None) -> None:
    """Something happened inside the community: it sorts higher "by activity"."""
    at = at or timezone.now()
    Community.objects.filter(pk=community_id, last_activity_at__lt=at).update(
        last_activity_at=at
    )
