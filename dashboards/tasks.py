from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from dashboards import rollups, services, table_cache
from members.jobs import enqueue_on_commit


@shared_task(name="dashboards.snapshot_build")
def snapshot_build():
    """Nightly (beat): the organisation dashboard's heavy figures."""
    return [s.pk for s in services.snapshot_build()]


@shared_task(name="dashboards.rollup_recent")
def rollup_recent():
    """Every few minutes (beat): today's and yesterday's rollups, and what
    changed since the previous run. Idempotent. Then the staff dashboard's
    standard periods are counted into the cache for the next view."""
    rollups.rollup_recent()
    table_cache.organisation_tables_warm()


@shared_task(name="dashboards.rollup_all")
def rollup_all():
    """Nightly (beat): every rollup from scratch. Idempotent. Then the staff
    dashboard's standard periods are counted into the cache."""
    rollups.rollup_all()
    table_cache.organisation_tables_warm()


@shared_task(name="dashboards.network_snapshot_run")
def network_snapshot_run(day: str | None = None):
    """Nightly (beat): hand today's network snapshot to the outbox, so a
    lost message or a dead worker is run again by the sweeper."""
    day = day or timezone.localdate().isoformat()
    with transaction.atomic():
        enqueue_on_commit("dashboards.network_snapshot_build", day=day)
    return day


@shared_task(name="dashboards.network_snapshot_build")
def network_snapshot_build(day: str):
    """Leaders and bridges for one day (ISO date); running it again replaces
    that day's snapshot."""
    # Imported here: networkx loads only in the worker that runs this job,
    # not in every worker at start-up.
    from dashboards import snapshots

    return snapshots.network_snapshot_build(day=date.fromisoformat(day)).pk
