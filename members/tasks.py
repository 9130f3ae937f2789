from celery import shared_task

from members import jobs


@shared_task(name="members.outbox_flush")
def outbox_flush_task():
    return jobs.outbox_flush()


@shared_task(name="members.outbox_prune")
def outbox_prune_task():
    return jobs.outbox_prune()
