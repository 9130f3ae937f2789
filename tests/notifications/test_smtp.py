"""The SMTP backend puts on the wire exactly what smtplib would, and is the
one an smtp:// EMAIL_URL selects."""

import os
import random
import smtplib
import subprocess
import sys

import pytest

from notifications import smtp

MESSAGES = [
    b"",
    b".",
    b"..",
    b".\r\n",
    b"\r\n.",
    b"\n.\n.",
    b".starts with a dot\r\nthen\r\n.again\r\n..twice\r\n",
    b"no dot at a line start. none.\r\n",
    b"a\r.not after a bare carriage return\r\n",
    b"ends without a line break\r\n.",
    "caf\u00e9 \u2013 .\r\n.\u00e9t\u00e9\r\n".encode(),
]


def _random_messages(count=300):
    rng = random.Random(20261206)
    pieces = [b".", b"\r\n", b"\n", b"\r", b"a", b" ", b"..", b"\xc3\xa9"]
    return [
        b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        for _ in range(count)
    ]


@pytest.mark.parametrize("data", MESSAGES)
def test_dot_stuffing_is_smtplibs(data):
    assert smtp.dot_stuffed(data) == smtplib._quote_periods(data)


def test_dot_stuffing_is_smtplibs_for_any_mix_of_dots_and_line_breaks():
    for data in _random_messages():
        assert smtp.dot_stuffed(data) == smtplib._quote_periods(data), data


class Wire:
    """An SMTP client of `base`, not connected: DATA's bytes are kept and
    the server's replies scripted."""

    def __init__(self, base, replies):
        self.sent = []
        self.replies = list(replies)
        client = base.__new__(base)
        client.debuglevel = 0
        client.putcmd = lambda cmd, args="": self.sent.append(f"{cmd}\r\n".encode())
        client.send = self.sent.append
        client.getreply = lambda: self.replies.pop(0)
        self.client = client


@pytest.mark.parametrize("data", [*MESSAGES, "a str.\n.with bare line feeds\n"])
def test_data_sends_what_smtplib_sends(data):
    ours = Wire(smtp.SMTP, [(354, b"go on"), (250, b"queued")])
    theirs = Wire(smtplib.SMTP, [(354, b"go on"), (250, b"queued")])
    assert ours.client.data(data) == theirs.client.data(data) == (250, b"queued")
    assert ours.sent == theirs.sent


def test_data_refused_raises_as_smtplib_does():
    wire = Wire(smtp.SMTP, [(554, b"no thanks")])
    with pytest.raises(smtplib.SMTPDataError) as refused:
        wire.client.data(b"hello\r\n")
    assert refused.value.smtp_code == 554
    assert wire.sent == [b"data\r\n"]  # nothing of the message went out


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("smtp+tls://u:p@mail.example.com:587", "notifications.smtp.EmailBackend"),
        ("consolemail://", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_email_url_selects_the_backend(url, backend):
    """Production settings, read in a process of their own."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "EMAIL_URL": url,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "practica.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/0",  # read, not connected to
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == backend


def test_an_ssl_url_connects_with_ssl():
    backend = smtp.EmailBackend(host="mail.example.com", use_ssl=True)
    assert backend.connection_class is smtp.SMTP_SSL
    assert smtp.EmailBackend(host="mail.example.com").connection_class is smtp.SMTP
