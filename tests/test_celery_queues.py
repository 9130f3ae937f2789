"""Celery queues split by kind (CELERY_TASK_ROUTES): what a member waits
for, scheduled mail, and nightly analytics each have their own queue, so a
worker serving only the first is never stuck behind the others.
tests/faults/test_queues.py shows it with a real broker and worker."""

import pytest
from celery import current_app

QUEUES = {
    "interactive": {
        "members.outbox_flush",
        "members.send_account_email",
        "notifications.send_notification_email",
        "notifications.send_notification_emails",
        "knowledge.similarity_refresh",
        "knowledge.watch_fanout",
        "integrations.deliveries_due",
        "integrations.delivery_send",
        "integrations.emit_event",
        "integrations.slack_unfurl",
    },
    "digests": {
        "digests.build",
        "digests.redact_hidden",
        "digests.run",
        "digests.send_batch",
        "digests.sweep",
        "mentoring.send_checkin_reminders",
        "journeys.remind_overdue_steps",
        "knowledge.adoption_checkins_notify",
    },
    "analytics": {
        "dashboards.network_snapshot_build",
        "dashboards.network_snapshot_run",
        "dashboards.rollup_all",
        "dashboards.rollup_recent",
        "dashboards.snapshot_build",
        "knowledge.attachments_prune",
        "knowledge.similarity_sweep",
        "members.outbox_prune",
        "mentoring.strengths_refresh",
        "journeys.cohort_snapshot",
        "journeys.stage_snapshot",
        "privacy.export_build",
        "privacy.exports_prune",
    },
}


def _queue_of(task_name: str) -> str:
    return current_app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task_name", "queue"),
    sorted((name, queue) for queue, names in QUEUES.items() for name in names),
)
def test_each_task_goes_to_the_queue_of_its_kind(task_name, queue):
    assert _queue_of(task_name) == queue


def test_every_practica_task_is_placed_on_purpose():
    """A new task must be added to a queue here (and to CELERY_TASK_ROUTES
    when it is not interactive): nothing reaches a queue by accident."""
    current_app.loader.import_default_modules()
    ours = {
        name
        for name in current_app.tasks
        # Celery's own, and probes that tests register for themselves.
        if not name.startswith(("celery.", "tests."))
    }
    assert ours == set().union(*QUEUES.values())


def test_beat_schedules_only_routed_tasks(settings):
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert any(entry["task"] in names for names in QUEUES.values()), entry
