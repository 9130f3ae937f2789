"""The one way any app tells a member something in-app."""

from django.utils import timezone

from members.models import Notification


def notify(*, recipient, kind: str, message: str, url: str = "", actor=None):
    """Create an in-app notification; nobody is told about their own action."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    return Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, message=message[:300], url=url
    )


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
