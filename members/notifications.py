"""The one way any app tells a member something in-app."""

from django.utils import timezone

from members.jobs import enqueue_on_commit
from members.models import Notification, NotificationEmails

# Sent by the knowledge app (members must not import it; a task name is fine).
NOTIFICATION_EMAIL_TASK = "knowledge.send_notification_email"


def notify(*, recipient, kind: str, message: str, url: str = "", actor=None):
    """Create an in-app notification; nobody is told about their own action.

    Members who want notification e-mails "immediately" get one after the
    transaction commits; "digest" ones are folded into their next digest."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, message=message[:300], url=url
    )
    if recipient.notification_emails == NotificationEmails.IMMEDIATELY:
        enqueue_on_commit(NOTIFICATION_EMAIL_TASK, notification_id=notification.pk)
    return notification


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
