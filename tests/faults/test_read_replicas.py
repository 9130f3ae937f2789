"""Reads from a real streaming replica (config.db_router) under gunicorn.

A PostgreSQL primary of the test's own on a free port, a hot standby made
from it with `pg_basebackup -R` on another, and gunicorn with
DATABASE_REPLICA_URLS pointing at the standby. Replay is paused on the
standby (pg_wal_replay_pause()) and a community renamed on the primary, so
the name a page shows says which server answered: the old name is the
replica's, the new one the primary's.
"""

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.postgres_cluster import PostgresNode

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-replica-password-42"
PIN_SECONDS = 2
MAX_LAG_SECONDS = 10

pytestmark = pytest.mark.faults

SETUP = f"""
from communities.models import Membership
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory
community = CommunityFactory(name="Old name", slug="replicated")
for email in ("reader@example.com", "writer@example.com"):
    user = UserFactory(email=email, password="{PASSWORD}")
    Membership.objects.create(user=user, community=community, status="active")
"""


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict, form_page: str) -> int:
        _status, page = self.get(form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.base + path,
            data=urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, **data}
            ).encode(),
            headers={"Referer": self.base + form_page},
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self, email: str):
        self.post("/accounts/login/", {"login": email, "password": PASSWORD},
                  "/accounts/login/")  # fmt: skip
        assert "Log out" in self.get("/")[1]

    def community_name(self) -> str:
        status, page = self.get("/communities/")
        assert status == 200, page[:500]
        names = {name for name in ("Old name", "Fresh name") if name in page}
        assert len(names) == 1, names
        return names.pop()


@pytest.fixture
def replicated_site(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="practica-replica-"))
    nodes = []
    server = None
    try:
        primary = PostgresNode.primary(folder)
        nodes.append(primary)
        primary.execute("CREATE DATABASE faults")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": primary.url("faults"),
            "REDIS_URL": "",
            "DB_CONNECT_TIMEOUT": "2",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run(  # noqa: S603
            [*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(  # noqa: S603
            [*manage, "shell", "-c", SETUP], cwd=ROOT, env=env, check=True
        )
        replica = primary.replica(folder)
        nodes.append(replica)
        port = free_port()
        log = (tmp_path / "gunicorn.log").open("w")
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
                f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
            ],
            cwd=ROOT,
            env={
                **env,
                "DATABASE_REPLICA_URLS": replica.url("faults"),
                "READ_YOUR_WRITES_SECONDS": str(PIN_SECONDS),
                "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
                "REPLICA_LAG_CHECK_SECONDS": "0.2",
            },
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        yield base, primary, replica
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        for node in reversed(nodes):
            node.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def _rename_on_primary(primary):
    primary.execute(
        "UPDATE communities_community SET name = 'Fresh name'"
        " WHERE slug = 'replicated'",
        database="faults",
    )


def test_reads_go_to_the_replica_writes_and_writers_to_the_primary(replicated_site):
    base, primary, replica = replicated_site
    reader, writer = Browser(base), Browser(base)
    reader.log_in("reader@example.com")
    writer.log_in("writer@example.com")
    time.sleep(PIN_SECONDS + 0.5)  # logging in was a write: let both pins lapse
    replica.wait_for_replay(primary)
    assert reader.community_name() == "Old name"

    # The replica stops replaying just after it caught up; the primary moves on.
    replica.execute("SELECT pg_wal_replay_pause()")
    paused_at = time.monotonic()
    _rename_on_primary(primary)

    # A reader is served by the replica: the old name.
    assert reader.community_name() == "Old name"
    # A write goes to the primary (the read-only standby would refuse it) ...
    status = writer.post(
        "/follow/",
        {"kind": "community", "key": "replicated", "level": "watching"},
        "/communities/replicated/",
    )
    assert status == 200  # followed the redirect back
    assert primary.execute(
        "SELECT count(*) FROM knowledge_follow", database="faults"
    ) == [(1,)]
    # ... and its writer reads the primary for a while: their own world.
    assert writer.community_name() == "Fresh name"
    assert reader.community_name() == "Old name"
    assert time.monotonic() - paused_at < MAX_LAG_SECONDS, "too slow to show routing"

    # The pin lapses: the writer is back on the replica.
    time.sleep(PIN_SECONDS + 0.5)
    assert writer.community_name() == "Old name"

    # Replay is paused for longer than REPLICA_MAX_LAG_SECONDS: skipped.
    time.sleep(max(0, MAX_LAG_SECONDS + 1 - (time.monotonic() - paused_at)))
    assert reader.community_name() == "Fresh name"
    assert writer.community_name() == "Fresh name"


def test_a_stopped_replica_is_skipped(replicated_site):
    base, primary, replica = replicated_site
    reader = Browser(base)
    reader.log_in("reader@example.com")
    time.sleep(PIN_SECONDS + 0.5)
    replica.wait_for_replay(primary)
    replica.execute("SELECT pg_wal_replay_pause()")
    _rename_on_primary(primary)
    assert reader.community_name() == "Old name"  # the replica answers

    replica.stop("immediate")
    time.sleep(0.5)  # past REPLICA_LAG_CHECK_SECONDS
    started = time.monotonic()
    assert reader.community_name() == "Fresh name"  # the primary answers
    assert time.monotonic() - started < 3
    # Writes never needed it.
    reader.post(
        "/follow/",
        {"kind": "community", "key": "replicated", "level": "watching"},
        "/communities/replicated/",
    )
    assert reader.community_name() == "Fresh name"
