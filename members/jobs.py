"""Enqueue Celery tasks after the transaction commits, without ever failing a
request because the broker is down.

Every app enqueues through `enqueue_on_commit("app.verb", obj_id=...)`. If the
broker cannot be reached the job is written to the OutboxJob table and
`members.outbox_flush` (run by beat every minute) sends it once the broker is
back. Tasks must be idempotent: a job may run more than once.
"""

import logging

from celery import current_app
from django.db import transaction
from django.utils import timezone

from members.models import OutboxJob

logger = logging.getLogger(__name__)

# Celery options for a task that retries a failing send (SMTP down) with
# exponential backoff: 1 minute, doubling, at most an hour apart, 5 times.
RETRY_WITH_BACKOFF = {
    "retry_backoff": 60,
    "retry_backoff_max": 60 * 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def _publish(task_name: str, kwargs: dict) -> None:
    """Publish to the broker, failing at once when it is unreachable.

    `retry=False` alone is not enough: kombu still retries the connection
    for broker_connection_timeout (4 s by default) before giving up, which a
    member's request would wait for. Connecting first with max_retries=0 fails
    in one socket_connect_timeout (1 s at most; immediately if refused).
    """
    with current_app.producer_or_acquire() as producer:
        producer.connection.ensure_connection(max_retries=0)
        # By name: a web process need not have imported the task's module.
        current_app.send_task(
            task_name, kwargs=kwargs, retry=False, ignore_result=True, producer=producer
        )


def _task(task_name: str):
    app = current_app
    if task_name not in app.tasks:
        app.loader.import_default_modules()  # autodiscovers every app's tasks
    return app.tasks[task_name]


def send_task(task_name: str, kwargs: dict) -> bool:
    """Hand one task to Celery now; False if the broker did not take it (the
    job then waits in the outbox)."""
    if current_app.conf.task_always_eager:
        # No broker (local runs, tests): run it here. Its errors are the
        # task's own, not the broker's, so they are not hidden in the outbox.
        _task(task_name).apply(kwargs=kwargs)
        return True
    try:
        _publish(task_name, kwargs)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "later"
        logger.warning("Broker unavailable for %s: %s", task_name, exc)
        OutboxJob.objects.create(
            task_name=task_name, kwargs=kwargs, last_error=str(exc)
        )
        return False
    return True


def enqueue_on_commit(task_name: str, **kwargs) -> None:
    """Run `task_name(**kwargs)` once the current transaction commits.

    kwargs must be JSON-serialisable ids and values, never model instances.
    """
    transaction.on_commit(lambda: send_task(task_name, kwargs))


def outbox_flush(limit: int = 500) -> int:
    """Send jobs that missed the broker, oldest first. Returns how many went."""
    sent = 0
    pending = OutboxJob.objects.filter(sent_at__isnull=True).order_by("created_at")
    for job in pending[:limit]:
        try:
            _publish(job.task_name, job.kwargs)
        except Exception as exc:  # noqa: BLE001
            job.attempts += 1
            job.last_error = str(exc)
            job.save(update_fields=["attempts", "last_error"])
            break  # the broker is still down: try the rest next time
        job.sent_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["sent_at", "attempts"])
        sent += 1
    return sent
