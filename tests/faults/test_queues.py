"""A digest run never delays a notification: with a real Redis and a
Celery worker serving only the interactive queue (one worker per queue, as
README's "Beyond one machine" says), an e-mail job published behind a
weekly run's worth of digest jobs and a nightly rollup is sent at once,
and the worker leaves the other queues to their own workers."""

import time

import pytest
import redis

from members.jobs import enqueue_on_commit
from tests.faults.test_worker_faults import Worker, _mail_job, _wait_for
from tests.redis_server import PrivateRedis

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]

DIGEST_JOBS = 300  # one weekly digest per community at full scale


@pytest.fixture
def private_redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def test_a_notification_is_not_queued_behind_digests(tmp_path, private_redis, broker):
    broker(private_redis.url)
    for community_id in range(1, DIGEST_JOBS + 1):
        enqueue_on_commit(
            "digests.build", community_id=community_id, period="weekly",
            start="2026-11-23",
        )  # fmt: skip
    enqueue_on_commit("dashboards.rollup_recent")
    _mail_job("You were mentioned")  # published last

    queued = redis.Redis(port=private_redis.port)
    assert queued.llen("digests") == DIGEST_JOBS
    assert queued.llen("analytics") == 1
    assert queued.llen("interactive") == 1

    worker = Worker(tmp_path, private_redis.url, queues="interactive")
    started = time.monotonic()
    worker.start()
    try:
        _wait_for(lambda: worker.mails() == ["You were mentioned"], worker)
        waited = time.monotonic() - started
    finally:
        worker.stop()
    # Worker start-up included; the digest jobs in front of it were not.
    assert waited < 30, worker.log()
    assert queued.llen("digests") == DIGEST_JOBS  # left to the digests worker
    assert queued.llen("analytics") == 1
    assert queued.llen("interactive") == 0
