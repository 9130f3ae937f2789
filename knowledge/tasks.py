"""Knowledge's Celery tasks: a service call each, idempotent."""

from celery import shared_task

from knowledge import attachments


@shared_task(name="knowledge.attachments_prune")
def attachments_prune() -> int:
    return attachments.attachments_prune()
