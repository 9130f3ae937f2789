import os

from celery import Celery, Task
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


class OutboxTask(Task):
    """Marks the task's outbox row done when it finishes (members.jobs), so
    the sweeper hands over again only jobs whose effect is still missing."""

    def __call__(self, *args, **kwargs):
        from members import jobs

        outbox_id = kwargs.pop(jobs.OUTBOX_ID, None)
        result = super().__call__(*args, **kwargs)
        if outbox_id is not None:
            jobs.outbox_done(outbox_id)
        return result

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        from members import jobs

        outbox_id = (kwargs or {}).get(jobs.OUTBOX_ID)
        if outbox_id is None:
            return
        when = getattr(getattr(einfo, "exception", None), "when", None)
        countdown = when if isinstance(when, int | float) else 0
        jobs.outbox_retrying(outbox_id, countdown=countdown)


app = Celery("practica", task_cls=OutboxTask)
# Every CELERY_* setting (broker, eager mode, acks_late, beat schedule) lives
# in Django settings.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def _tune_garbage_collection(**kwargs):
    """A worker's process runs jobs for days: collect as a web worker does
    (config.gc_tuning). In the parent before it forks its pool, and again in
    each pool process (or in the one process of a solo pool)."""
    from config.gc_tuning import tune_from_environment

    tune_from_environment()
