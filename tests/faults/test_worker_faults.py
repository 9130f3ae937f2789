"""Jobs under a real Celery worker and a Redis of the test's own: Redis
restarted empty with jobs queued, a Redis blip under a running worker, and a
worker killed outright. Each job's effect happens exactly once: the outbox is
the source of truth, the sweeper hands over what is not done.

The observable effect is an account e-mail (members.send_account_email)
written by the worker to a folder the test reads: one file per run.
"""

import os
import signal
import subprocess
import time
from datetime import timedelta
from urllib.parse import quote

import psutil
import pytest
import redis
from django.conf import settings
from django.utils import timezone

from members.jobs import enqueue_on_commit, outbox_flush
from members.models import OutboxJob
from tests.redis_server import PrivateRedis

pytestmark = [
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]


def _database_url(db) -> str:
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    if host.startswith("/"):
        return f"postgres://{db['USER']}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{db['USER']}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, tmp_path, broker_url, queues=None):
        self.queues = queues  # None: every queue, as `make worker`
        self.outbox = tmp_path / "mail"
        self.outbox.mkdir(exist_ok=True)
        self.log_path = tmp_path / "worker.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": _database_url(settings.DATABASES["default"]),
            "REDIS_URL": broker_url,
            # django-environ drops one leading slash: "filemail:////abs/path".
            "EMAIL_URL": f"filemail:///{self.outbox}",
            "SECRET_KEY": settings.SECRET_KEY,
        }
        self.process = None

    def start(self):
        log = self.log_path.open("a")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(settings.BASE_DIR / ".venv/bin/celery"),
                "-A", "config.celery_app", "worker", "-c", "1",
                "--without-mingle", "--without-gossip", "--loglevel=INFO",
                "-Q", self.queues or "interactive,digests,analytics",
            ],
            cwd=settings.BASE_DIR, env=self.env, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL, the main process and its pool: nothing gets to clean up."""
        family = psutil.Process(self.process.pid).children(recursive=True)
        for process in [psutil.Process(self.process.pid), *family]:
            process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def mails(self) -> list[str]:
        return sorted(
            line.split(":", 1)[1].strip()
            for path in self.outbox.iterdir()
            for line in path.read_text().splitlines()
            if line.startswith("Subject:")
        )

    def log(self) -> str:
        return self.log_path.read_text()[-3000:]


@pytest.fixture
def redis_server():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path, redis_server, broker):
    broker(redis_server.url)  # this process publishes to the private Redis
    worker = Worker(tmp_path, redis_server.url)
    yield worker
    worker.stop()


def _mail_job(subject: str) -> OutboxJob:
    return enqueue_on_commit(
        "members.send_account_email",
        subject=subject,
        body="Body.",
        from_email="practica@example.com",
        to=["someone@example.com"],
    )


def _wait_for(condition, worker, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    raise AssertionError(f"timed out; worker log:\n{worker.log()}")


def _sweep_now():
    """The beat sweeper, as if its redo time had come."""
    OutboxJob.objects.filter(done_at__isnull=True).update(
        redo_at=timezone.now() - timedelta(seconds=1)
    )
    return outbox_flush() or outbox_flush()  # a dead pool connection: twice


def test_redis_restarted_empty_with_jobs_queued_runs_each_job_once(
    worker, redis_server
):
    jobs = [_mail_job(f"Job {n}") for n in range(3)]  # autocommit: queued now
    assert redis_server.queue_length() == 3
    redis_server.stop()
    redis_server.start()  # empty: the queued messages are gone
    assert redis_server.queue_length() == 0

    assert _sweep_now() == 3
    worker.start()
    _wait_for(lambda: len(worker.mails()) >= 3, worker)
    time.sleep(2)  # anything extra would arrive now
    assert worker.mails() == ["Job 0", "Job 1", "Job 2"]
    assert all(OutboxJob.objects.get(pk=job.pk).done_at is not None for job in jobs), (
        worker.log()
    )


def test_a_redis_blip_leaves_the_worker_alive_and_the_next_job_done(
    worker, redis_server
):
    worker.start()
    _mail_job("Before the blip")
    _wait_for(lambda: worker.mails() == ["Before the blip"], worker)
    redis_server.stop()
    time.sleep(2)
    redis_server.start()
    assert worker.alive(), worker.log()
    job = _mail_job("After the blip")
    if not OutboxJob.objects.get(pk=job.pk).sent_at:
        _sweep_now()  # this process's own connection died with Redis
    _wait_for(lambda: "After the blip" in worker.mails(), worker)
    assert worker.alive(), worker.log()
    assert worker.mails() == ["After the blip", "Before the blip"]


def test_a_killed_worker_s_job_runs_again_once(worker, redis_server):
    """A worker took the job off the queue and was killed before finishing
    (acks_late: Redis would give it back only after the 2-hour visibility
    timeout). The sweeper hands it over again; a new worker runs it once."""
    job = _mail_job("Held by a dying worker")
    taken = redis.Redis(port=redis_server.port).lpop("interactive")
    assert b"members.send_account_email" in taken  # the dead worker has it
    worker.start()
    time.sleep(3)
    assert worker.mails() == []  # nothing runs it until the sweeper does
    _sweep_now()
    _wait_for(lambda: worker.mails() == ["Held by a dying worker"], worker)
    time.sleep(2)
    assert worker.mails() == ["Held by a dying worker"]
    assert OutboxJob.objects.get(pk=job.pk).done_at is not None


def test_a_worker_killed_outright_is_replaced_and_nothing_is_lost(worker, redis_server):
    worker.start()
    _mail_job("First")
    _wait_for(lambda: worker.mails() == ["First"], worker)
    worker.kill()  # SIGKILL: main process and pool child
    job = _mail_job("While no worker runs")
    worker.start()  # the supervisor's restart
    _wait_for(lambda: "While no worker runs" in worker.mails(), worker)
    assert worker.mails() == ["First", "While no worker runs"]
    # Marked done just after the task returns, a moment after the mail.
    _wait_for(lambda: OutboxJob.objects.get(pk=job.pk).done_at is not None, worker)
