"""Notifications' Celery task: an id in, a service call. Enqueued by
notify() with members.jobs.enqueue_on_commit; idempotent."""

from celery import shared_task

from members.jobs import RETRY_WITH_BACKOFF
from notifications import services
from notifications.emails import SEND_ERRORS


@shared_task(
    name="notifications.send_notification_email",
    autoretry_for=SEND_ERRORS,
    **RETRY_WITH_BACKOFF,
)
def send_notification_email(notification_id: int) -> bool:
    return services.notification_email_send(notification_id=notification_id)


@shared_task(
    name="notifications.send_notification_emails",
    autoretry_for=SEND_ERRORS,
    **RETRY_WITH_BACKOFF,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    return services.notification_emails_send(notification_ids=notification_ids)
