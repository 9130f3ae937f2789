import smtplib
import socket

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from members import jobs


@shared_task(name="members.outbox_flush")
def outbox_flush_task():
    return jobs.outbox_flush()


@shared_task(name="members.outbox_prune")
def outbox_prune_task():
    return jobs.outbox_prune()


@shared_task(
    name="members.send_account_email",
    autoretry_for=(smtplib.SMTPException, socket.error),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    max_retries=8,
)
def send_account_email(
    subject: str, body: str, from_email: str, to: list[str], html: str = ""
) -> None:
    """Sends one rendered account e-mail (allauth's verify and reset links)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
