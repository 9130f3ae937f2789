"""Jobs that must happen: a transactional outbox in front of Celery.

Every app enqueues through `enqueue_on_commit("app.verb", obj_id=...)`, inside
the transaction of the change that causes the job. That writes an OutboxJob
row in the same transaction (a rollback takes the job with it; a commit keeps
it whatever happens next) and, once the transaction commits, hands the job to
Celery. The task marks its row done when it finishes (config.celery_app's
OutboxTask). `outbox_flush`, run by beat every minute, hands over again every
job not done by its `redo_at`: the broker was down, the process died between
commit and publish, Redis restarted empty, or a worker died mid-task. So the
database, not the broker, is the source of truth, and tasks must be idempotent
(take ids, check their effect): a job may run more than once, never zero times.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from members.models import OutboxJob

logger = logging.getLogger(__name__)

# The key under which a task's message carries its outbox row's id.
OUTBOX_ID = "_outbox_id"

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


def _redo_after() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_REDO_SECONDS)


def job_send(job: OutboxJob) -> bool:
    """Hand one job to Celery now; False if the broker did not take it (the
    sweeper tries again at `redo_at`)."""
    kwargs = {**job.kwargs, OUTBOX_ID: job.pk}
    now = timezone.now()
    if current_app.conf.task_always_eager:
        # No broker (local runs, tests): run it here. Its errors are the
        # task's own, not the broker's, so they are not hidden in the outbox.
        OutboxJob.objects.filter(pk=job.pk).update(
            sent_at=now, attempts=F("attempts") + 1
        )
        _task(job.task_name).apply(kwargs=kwargs)
        return True
    try:
        _publish(job.task_name, kwargs)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "later"
        logger.warning("Broker unavailable for %s: %s", job.task_name, exc)
        OutboxJob.objects.filter(pk=job.pk).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:2000]
        )
        return False
    OutboxJob.objects.filter(pk=job.pk).update(
        sent_at=now, redo_at=now + _redo_after(), attempts=F("attempts") + 1
    )
    return True


def enqueue_on_commit(task_name: str, **kwargs) -> OutboxJob:
    """Record `task_name(**kwargs)` in this transaction; run it after commit.

    kwargs must be JSON-serialisable ids and values, never model instances.
    """
    job = OutboxJob.objects.create(
        task_name=task_name,
        kwargs=kwargs,
        # Not handed over by then (the process died at commit): the sweeper does.
        redo_at=timezone.now() + timedelta(seconds=settings.OUTBOX_FIRST_REDO_SECONDS),
    )
    # A broker failure is handled in job_send; robust keeps anything else
    # there from turning a committed change into an error page. Eager runs
    # (tests, local) let the task's own errors through.
    robust = not current_app.conf.task_always_eager
    transaction.on_commit(lambda: job_send(job), robust=robust)
    return job


def outbox_done(job_id: int) -> None:
    """The task behind this job finished: the sweeper leaves it alone."""
    OutboxJob.objects.filter(pk=job_id, done_at__isnull=True).update(
        done_at=timezone.now()
    )


def outbox_retrying(job_id: int, *, countdown: float) -> None:
    """The task retries itself in `countdown` seconds: no redo before then."""
    OutboxJob.objects.filter(pk=job_id, done_at__isnull=True).update(
        redo_at=timezone.now() + timedelta(seconds=countdown) + _redo_after()
    )


def outbox_flush(limit: int = 500) -> int:
    """Hand over every job that is due and not done, oldest first. Returns
    how many went. Rows are claimed with SKIP LOCKED, so two sweepers never
    hand over the same job twice in one round."""
    sent = 0
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxJob.objects.select_for_update(skip_locked=True)
            .filter(
                done_at__isnull=True,
                redo_at__lte=now,
                attempts__lt=settings.OUTBOX_MAX_ATTEMPTS,
            )
            .order_by("redo_at")[:limit]
        )
        for job in due:
            if job.sent_at is not None:
                logger.warning("Job %s not done since %s: again", job, job.sent_at)
            if not job_send(job):
                break  # the broker is still down: try the rest next time
            sent += 1
    return sent


def outbox_prune(*, days: int = 14) -> int:
    """Forget jobs done more than `days` ago."""
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = OutboxJob.objects.filter(done_at__lt=cutoff).delete()
    return deleted
