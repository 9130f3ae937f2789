"""The digest e-mail's bytes, written directly (digests/mime.py), are the
bytes Django's own message() gives the same e-mail, boundary aside; what
does not have the digest's shape goes through Django's message()."""

import re

import pytest
from django.core import mail
from django.core.mail import BadHeaderError

from digests.mime import DigestEmail, FlatMessage
from notifications.emails import MemberEmail

BOUNDARY = re.compile(rb"={15}\d{19}==")
UNSUBSCRIBE = (
    "<https://practica.example.com/notifications/unsubscribe/" + "t" * 90 + "/>"
)


def pair(**overrides):
    kwargs = {
        "subject": "What your communities learned in the week of November 23",
        "body": "Your week in Practica\n=====\n\nHello Zoë, café\n",
        "from_email": "Practica <practica@example.com>",
        "to": ["zoe.smith+digest@example.com"],
        "headers": {
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Message-ID": "<digest-12-20261123@practica.example.com>",
            "Date": "Mon, 30 Nov 2026 08:00:00 -0000",
        },
    }
    html = overrides.pop("html", "<p>Hello Zoë</p>\n<p>two</p>")
    kwargs.update(overrides)
    emails = []
    for cls in (DigestEmail, MemberEmail):
        email = cls(**kwargs)
        email.attach_alternative(html, "text/html")
        emails.append(email)
    return emails


def wire(email, **kwargs):
    return BOUNDARY.sub(b"B", email.message().as_bytes(**kwargs))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"body": "plain ascii\nsecond line\n", "html": "<p>ascii</p>"},
        {"body": "Zoë’s café\r\nno newline at the end", "html": "x\ry\r\nz"},
        {"body": "\n\n.starts with a dot\rold mac line\nFrom here\n"},
        {"subject": "Was Ihre Communities in der Woche vom 23. November gelernt haben"},
        {"subject": "Ce que vos communautés ont appris la semaine du 23 novembre"},
        {"subject": "What your communities learned in the week of 23 November" * 2},
        {"from_email": "Prâctica Digest <digest@example.com>"},
        {"body": "a line just short enough " + "é" * 480 + "\n"},
    ],
)
def test_the_bytes_are_djangos(overrides):
    flat, standard = pair(**overrides)
    assert isinstance(flat.message(), FlatMessage)
    for kwargs in ({}, {"linesep": "\r\n"}):
        assert wire(flat, **kwargs) == wire(standard, **kwargs)


def test_a_message_without_date_gets_one():
    flat, _standard = pair()
    del flat.extra_headers["Date"]
    sent = flat.message().as_bytes()
    assert re.search(rb"\nDate: \w{3}, \d\d \w{3} \d{4} ", sent)


@pytest.mark.parametrize(
    "overrides",
    [
        {"body": "a line far too long for SMTP " + "x" * 1200 + "\n"},
        {"html": "<p>" + "é" * 500 + "</p>"},  # 1,007 bytes
        {"to": ["Zoë <zoe@example.com>"]},
        {"to": ["zoe@bücher.example"]},
        {"cc": ["boss@example.com"]},
    ],
)
def test_other_shapes_go_through_django(overrides):
    flat, standard = pair(**overrides)
    assert not isinstance(flat.message(), FlatMessage)
    assert wire(flat) == wire(standard)


def test_a_header_with_a_newline_is_refused_as_django_does():
    flat, _standard = pair(subject="Hello\nBcc: everyone@example.com")
    with pytest.raises(BadHeaderError):
        flat.message()


def test_it_goes_through_the_smtp_backends_interface(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    flat, _standard = pair()
    assert mail.get_connection().send_messages([flat]) == 1
    assert mail.outbox[-1].body == flat.body
