from celery import shared_task

from dashboards import rollups, services


@shared_task(name="dashboards.snapshot_build")
def snapshot_build():
    """Nightly (beat): the organisation dashboard's heavy figures."""
    return [s.pk for s in services.snapshot_build()]


@shared_task(name="dashboards.rollup_recent")
def rollup_recent():
    """Every few minutes (beat): today's and yesterday's rollups, and what
    changed since the previous run. Idempotent."""
    rollups.rollup_recent()


@shared_task(name="dashboards.rollup_all")
def rollup_all():
    """Nightly (beat): every rollup from scratch. Idempotent."""
    rollups.rollup_all()
