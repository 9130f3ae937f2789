"""Knowledge's Celery tasks: ids in, a service call each, idempotent. The
similarity refresh is enqueued through the outbox (members.jobs)."""

from celery import shared_task

from knowledge import attachments, similarity, watching

# Items computed per sweep run; the backfill command does the rest at once.
SWEEP_BATCH = 500


@shared_task(name="knowledge.attachments_prune")
def attachments_prune() -> int:
    return attachments.attachments_prune()


@shared_task(name="knowledge.watch_fanout")
def watch_fanout(item_id: int, reply_id: int | None = None) -> int:
    return watching.watch_fanout(item_id=item_id, reply_id=reply_id)


@shared_task(name="knowledge.similarity_refresh")
def similarity_refresh(item_id: int) -> bool:
    return similarity.similarity_refresh(item_id=item_id)


@shared_task(name="knowledge.similarity_sweep")
def similarity_sweep() -> int:
    """Items that never got their similarity (bulk loads, a job given up)."""
    ids = similarity.items_needing_similarity(limit=SWEEP_BATCH)
    for item_id in ids:
        similarity.similarity_refresh(item_id=item_id)
    return len(ids)


@shared_task(name="knowledge.adoption_checkins_notify")
def adoption_checkins_notify() -> int:
    """Daily (beat): tell adopters about check-ins that fell due, once."""
    from knowledge import adoptions

    return adoptions.adoption_checkins_notify()
