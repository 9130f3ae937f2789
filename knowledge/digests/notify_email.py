"""In-app notifications sent by e-mail, per the member's preference:
"immediately" (one task per notification, below), "digest" (folded into the
next digest e-mail by deliver.py) or "off".

members.notifications.notify() enqueues knowledge.send_notification_email
on commit for members who chose "immediately"; this module does the sending.
"""

import logging

from django.core import mail
from django.utils import timezone

from knowledge.digests.compose import notification_message
from members.models import Notification, NotificationEmails

logger = logging.getLogger(__name__)


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification by e-mail at most once. The conditional update
    on emailed_at is the claim: a second run (or a folded digest) finds it
    taken. On an SMTP error the claim is released and the error re-raised so
    the task retries with backoff."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if (
        not recipient.is_active
        or recipient.notification_emails != NotificationEmails.IMMEDIATELY
    ):
        return False
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification.pk, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return False
    try:
        mail.get_connection().send_messages(
            [notification_message(notification=notification)]
        )
    except Exception:
        Notification.objects.filter(pk=notification.pk, emailed_at=now).update(
            emailed_at=None
        )
        raise
    return True
