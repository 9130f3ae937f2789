"""Knowledge's Celery tasks: a service call each, idempotent."""

from celery import shared_task

from knowledge import attachments, watching


@shared_task(name="knowledge.attachments_prune")
def attachments_prune() -> int:
    return attachments.attachments_prune()


@shared_task(name="knowledge.watch_fanout")
def watch_fanout(item_id: int, reply_id: int | None = None) -> int:
    return watching.watch_fanout(item_id=item_id, reply_id=reply_id)
