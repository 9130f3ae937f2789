"""Two web processes behind one address share nothing but PostgreSQL, Redis
and the attachments' storage: a member logs in on one and posts on the
other with the same session cookie, the failed-login rate limit counts
attempts made on both, and a file uploaded through one is served by the
other.

Everything is the test's own: a PostgreSQL server and a Redis on free
ports, a MEDIA_ROOT folder both servers use, and two gunicorn servers of
the production settings (manifest static files, secure cookies, Redis
cache), reached as if through a TLS load balancer: every request carries
the same Host and X-Forwarded-Proto: https, whichever server gets it.
"""

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from tests.conftest import free_port
from tests.postgres_cluster import PostgresNode
from tests.redis_server import PrivateRedis

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-shared-password-42"
HOST = "127.0.0.1:8443"  # the one address both servers are behind
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"

pytestmark = pytest.mark.faults

SETUP = f"""
from allauth.account.models import EmailAddress
from communities.models import Membership
from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory
community = CommunityFactory(name="Shared floor", slug="shared")
for email in ("poster@example.com", "guessed@example.com"):
    user = UserFactory(email=email, password="{PASSWORD}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(user=user, community=community, status="active")
"""


class Browser:
    """One person's cookies, sent to whichever server the test names."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, body=None, content_type=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
            headers["Referer"] = f"https://{HOST}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response, content.decode(errors="replace")

    def get(self, port, path):
        return self.request(port, "GET", path)

    def post_form(self, port, path, data):
        return self.request(
            port, "POST", path, urlencode(data), "application/x-www-form-urlencoded"
        )

    def post_multipart(self, port, path, data, files):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in data.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
        for name, (filename, content, kind) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            port, "POST", path, body, f"multipart/form-data; boundary={boundary}"
        )

    def log_in(self, port, email, password=PASSWORD):
        _response, page = self.get(port, "/accounts/login/")
        return self.post_form(
            port,
            "/accounts/login/",
            {"csrfmiddlewaretoken": _token(page), "login": email, "password": password},
        )


def _token(page: str, name: str = "csrfmiddlewaretoken") -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _gunicorn(port, env, log):
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable, "-m", "gunicorn", "config.wsgi", "--bind",
            f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.fixture
def two_servers(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="practica-two-web-"))
    database = cache = None
    servers = []
    try:
        database = PostgresNode.primary(folder / "db")
        database.execute("CREATE DATABASE faults")
        cache = PrivateRedis()
        cache.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "one-secret-for-every-web-process-" + uuid.uuid4().hex,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database.url("faults"),
            "REDIS_URL": cache.url,
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
        }
        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--no-input", "-v0"],
            ["collectstatic", "--no-input", "-v0"],
            ["shell", "-c", SETUP],
        ):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        for number in (1, 2):
            port = free_port()
            log = (tmp_path / f"gunicorn-{number}.log").open("w")
            servers.append((port, _gunicorn(port, env, log)))
        for port, _server in servers:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if Browser().get(port, "/healthz")[0].status == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield [port for port, _server in servers], cache, folder / "media"
    finally:
        for _port, server in servers:
            server.terminate()
            server.wait(timeout=20)
        if cache is not None:
            cache.stop()
        if database is not None:
            database.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def test_log_in_on_one_post_with_a_file_on_the_other(two_servers):
    (one, other), _cache, media = two_servers
    member = Browser()
    response, _ = member.log_in(one, "poster@example.com")
    assert response.status == 302, "login on the first server"
    assert "Log out" in member.get(other, "/")[1]  # the same session on the second

    _response, form = member.get(other, "/communities/shared/new/?kind=question")
    response, page = member.post_multipart(
        other,
        "/communities/shared/new/",
        {
            "csrfmiddlewaretoken": _token(form),
            "submission_token": _token(form, "submission_token"),
            "kind": "question",
            "title": "Who keeps the shift handover sheet?",
            "body": "We lose it every week.",
            "tags": "",
            "ask_anyway": "1",
        },
        {"attachment": ("handover.pdf", PDF, "application/pdf")},
    )
    assert response.status == 302, page[:2000]
    item_path = response.getheader("Location")

    response, page = member.get(one, item_path)  # read back on the first
    assert response.status == 200
    assert "Who keeps the shift handover sheet?" in page
    file_path = re.search(r'href="(/files/[0-9a-f-]+/handover\.pdf)"', page).group(1)
    response, _ = member.get(one, file_path)
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    stored = list((media / "attachments").rglob("*.pdf"))
    assert [path.read_bytes() for path in stored] == [PDF]


def test_failed_logins_count_on_both_servers(two_servers):
    """5 failed logins per address in 5 minutes (ACCOUNT_RATE_LIMITS): three
    on one server and two on the other use them up, so the sixth attempt
    is refused even with the right password; per-process counters would
    each have seen three at most."""
    (one, other), cache, _media = two_servers
    guesser = Browser()
    for port in (one, one, one, other, other):
        response, page = guesser.log_in(port, "guessed@example.com", "wrong-password")
        assert response.status == 200
        assert "Too many failed login attempts" not in page
    response, page = guesser.log_in(other, "guessed@example.com")
    assert response.status != 302
    assert "Too many failed login attempts" in page
    response, page = guesser.log_in(one, "guessed@example.com")
    assert "Too many failed login attempts" in page
    assert redis.Redis.from_url(cache.url).dbsize() > 0  # where they were counted
