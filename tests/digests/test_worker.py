"""End to end through a real Celery worker and the real Redis (CI sets
REDIS_URL): beat's task fans out, the worker builds the digest and e-mails it.

The worker is a separate process, so it shares the test's PostgreSQL database
(committed data: transactional test) and writes e-mails to files the test
reads. Locally: DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/5
"""

import os
import subprocess
import time
from email import message_from_bytes
from urllib.parse import quote

import pytest
from django.conf import settings

from digests.models import Digest, DigestDelivery
from members.jobs import enqueue_on_commit
from members.models import OutboxJob
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory


def _database_url(db) -> str:
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    if host.startswith("/"):  # the embedded server's socket directory
        return f"postgres://{auth}@/{db['NAME']}?host={quote(host)}"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_digest_and_sends_the_email(tmp_path, broker):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs the real Redis: set REDIS_URL (CI always does)")
    db = settings.DATABASES["default"]

    community = CommunityFactory(name="Worker Guild")
    member = UserFactory(email="reader@example.com")
    MembershipFactory(user=member, community=community)
    ItemFactory(community=community, title="Seen by a real worker", created_at=at(1))

    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {
        **os.environ,
        # The worker runs as in production (tasks enqueue on the broker);
        # test settings would run its sub-tasks eagerly and keep mail in memory.
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": _database_url(db),
        # django-environ drops one leading slash: "filemail:////abs/path".
        "EMAIL_URL": f"filemail:///{outbox}",
        "SECRET_KEY": settings.SECRET_KEY,
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603
        [
            str(settings.BASE_DIR / ".venv/bin/celery"),
            "-A",
            "config.celery_app",
            "worker",
            # Every queue (CELERY_TASK_ROUTES): the digest run, then its e-mail.
            "-Q",
            "interactive,digests,analytics",
            "-P",
            "solo",
            "-c",
            "1",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        broker(os.environ["REDIS_URL"])  # this process publishes, not eager
        # Autocommit (a transactional test): the job is handed over at once.
        job = enqueue_on_commit("digests.run", period="weekly", start=START.isoformat())
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            # Sent, and every job marked done (the worker marks a job done
            # just after its task returns: stopping it earlier is a race).
            if (
                DigestDelivery.objects.filter(member=member, status="sent").exists()
                and not OutboxJob.objects.filter(done_at__isnull=True).exists()
            ):
                break
            assert worker.poll() is None, "the worker exited early"
            time.sleep(0.25)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert DigestDelivery.objects.filter(member=member, status="sent").exists(), (
        worker_log[-3000:]
    )
    job.refresh_from_db()
    assert job.done_at is not None  # the worker marked the fan-out done
    # ... and every job it fanned out through the outbox.
    assert not OutboxJob.objects.filter(done_at__isnull=True).exists()
    digest = Digest.objects.get(community=community, period="weekly", start=START)
    assert "Seen by a real worker" in digest.html
    files = list(outbox.iterdir())
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert message["To"] == "reader@example.com"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "Seen by a real worker" in text
