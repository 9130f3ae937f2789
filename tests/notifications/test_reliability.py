"""Jobs survive a dead broker: the member's request still succeeds fast, the
job waits in the outbox and is delivered once the broker is back. Fault tests
start their own Redis on a free port; the machine's Redis is never touched."""

import shutil
import time

import pytest
import redis

from members.jobs import enqueue_on_commit, outbox_flush
from members.models import OutboxJob
from notifications.services import notify
from tests.conftest import free_port
from tests.members.factories import UserFactory
from tests.redis_server import PrivateRedis

pytestmark = pytest.mark.django_db


def test_a_dead_broker_does_not_slow_the_request_and_keeps_the_job(
    broker, django_capture_on_commit_callbacks
):
    broker(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    member = UserFactory(notification_emails="immediately")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=member, kind="knowledge.reply", message="Hi")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"enqueueing took {elapsed:.2f}s with the broker down"
    job = OutboxJob.objects.get()
    assert job.task_name == "notifications.send_notification_email"
    assert job.kwargs == {"notification_id": note.pk}
    assert job.sent_at is None and "111" in job.last_error  # connection refused
    # Still down: the flush keeps it for next time.
    OutboxJob.objects.update(redo_at=job.created_at)
    assert outbox_flush() == 0
    job.refresh_from_db()
    assert job.sent_at is None and job.done_at is None and job.attempts == 2


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: the fault test starts its own")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.mark.redis
def test_a_job_enqueued_while_redis_is_down_is_delivered_after_it_returns(
    broker, private_redis, django_capture_on_commit_callbacks
):
    broker(private_redis.url)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("members.outbox_prune")  # broker up: queued
    assert private_redis.queue_length("analytics") == 1
    OutboxJob.objects.all().delete()

    private_redis.stop()
    member = UserFactory(notification_emails="immediately")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(recipient=member, kind="knowledge.reply", message="Hi")
    assert time.monotonic() - started < 1.0
    job = OutboxJob.objects.get()

    private_redis.start()  # back, and empty (no persistence)
    # The pool's old connection died with the server; the beat's next flush
    # (every minute) delivers at the latest on its second try.
    OutboxJob.objects.update(redo_at=job.created_at)
    delivered = outbox_flush() or outbox_flush()
    assert delivered == 1
    job.refresh_from_db()
    assert job.sent_at is not None
    assert private_redis.queue_length() == 1
    raw = redis.Redis(port=private_redis.port).lindex("interactive", 0)
    assert b"notifications.send_notification_email" in raw
    assert str(note.pk).encode() in raw
