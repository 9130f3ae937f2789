from celery import shared_task

from dashboards import services


@shared_task(name="dashboards.snapshot_build")
def snapshot_build():
    """Nightly (beat): the organisation dashboard's heavy figures."""
    return [s.pk for s in services.snapshot_build()]
