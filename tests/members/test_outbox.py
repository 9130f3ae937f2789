"""The job outbox: a job is written with the change that causes it, handed to
Celery after the commit, marked done by the task, and handed over again by the
sweeper while its effect is missing."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from members import jobs
from members.models import OutboxJob

pytestmark = pytest.mark.django_db

RUNS = []


@shared_task(name="tests.outbox_probe")
def outbox_probe(value: int) -> int:
    RUNS.append(value)
    return value


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield
    RUNS.clear()


def test_a_job_is_written_in_the_transaction_and_runs_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        job = jobs.enqueue_on_commit("tests.outbox_probe", value=7)
        assert OutboxJob.objects.filter(pk=job.pk).exists()
        assert RUNS == []  # nothing before the commit
    assert RUNS == [7]
    job.refresh_from_db()
    assert job.done_at is not None and job.sent_at is not None
    assert job.attempts == 1
    assert job.kwargs == {"value": 7}  # the outbox id travels beside, not inside


def test_a_rolled_back_change_takes_its_job_with_it(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        jobs.enqueue_on_commit("tests.outbox_probe", value=1)
        raise RuntimeError("the change failed")
    assert RUNS == [] and not OutboxJob.objects.exists()


def test_the_sweeper_runs_a_job_whose_process_died_before_publishing():
    """The row committed, the on-commit hand-over never happened."""
    job = OutboxJob.objects.create(
        task_name="tests.outbox_probe",
        kwargs={"value": 3},
        redo_at=timezone.now() - timedelta(seconds=1),
    )
    assert jobs.outbox_flush() == 1
    assert RUNS == [3]
    job.refresh_from_db()
    assert job.done_at is not None


def test_the_sweeper_leaves_done_jobs_and_jobs_not_yet_due():
    now = timezone.now()
    OutboxJob.objects.create(
        task_name="tests.outbox_probe", kwargs={"value": 1}, redo_at=now, done_at=now
    )
    OutboxJob.objects.create(
        task_name="tests.outbox_probe",
        kwargs={"value": 2},
        redo_at=now + timedelta(minutes=5),
    )
    assert jobs.outbox_flush() == 0
    assert RUNS == []


def test_a_job_handed_over_but_never_done_is_handed_over_again():
    """A worker killed mid-task, or Redis restarted empty: not done by
    redo_at, so it runs again; once done, never again."""
    long_ago = timezone.now() - timedelta(hours=1)
    job = OutboxJob.objects.create(
        task_name="tests.outbox_probe",
        kwargs={"value": 5},
        sent_at=long_ago,
        redo_at=long_ago,
        attempts=1,
    )
    assert jobs.outbox_flush() == 1
    assert jobs.outbox_flush() == 0
    assert RUNS == [5]
    job.refresh_from_db()
    assert job.attempts == 2 and job.done_at is not None


def test_the_sweeper_gives_up_after_the_maximum_attempts(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    OutboxJob.objects.create(
        task_name="tests.outbox_probe",
        kwargs={"value": 9},
        redo_at=timezone.now() - timedelta(seconds=1),
        attempts=3,
    )
    assert jobs.outbox_flush() == 0
    assert RUNS == []


def test_a_retrying_task_pushes_its_redo_past_the_retry():
    job = OutboxJob.objects.create(task_name="tests.outbox_probe", kwargs={})
    jobs.outbox_retrying(job.pk, countdown=600)
    job.refresh_from_db()
    assert job.redo_at > timezone.now() + timedelta(seconds=600)


def test_prune_forgets_only_jobs_done_long_ago():
    now = timezone.now()
    old = OutboxJob.objects.create(
        task_name="x", done_at=now - timedelta(days=30), redo_at=now
    )
    recent = OutboxJob.objects.create(task_name="x", done_at=now, redo_at=now)
    pending = OutboxJob.objects.create(task_name="x", redo_at=now)
    assert jobs.outbox_prune(days=14) == 1
    assert set(OutboxJob.objects.values_list("pk", flat=True)) == {
        recent.pk,
        pending.pk,
    }
    assert not OutboxJob.objects.filter(pk=old.pk).exists()
