from celery import shared_task

from privacy import exports


@shared_task(name="privacy.export_build")
def export_build(export_id: int) -> bool:
    return exports.export_build(export_id=export_id)


@shared_task(name="privacy.exports_prune")
def exports_prune() -> int:
    return exports.exports_prune()
