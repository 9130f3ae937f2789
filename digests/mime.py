"""The digest e-mail's MIME form, written directly from its two bodies.

Django's EmailMultiAlternatives.message() builds a tree of email.mime
objects for every e-mail: it parses each address again, checks every line's
length in Python, copies each body through the charset machinery, and the
generator walks the tree. A digest batch sends 500 e-mails of ~80 KiB with
the same shape (one text body, one HTML alternative, the same headers), so
`DigestEmail` writes those bytes itself: the same headers in the same order,
folded by the same policy, the same parts and transfer encodings
(tests/digests/test_mime.py compares them byte for byte with Django's).
Anything outside that shape (an attachment, a line too long for SMTP, an
address that needs encoding) goes through Django's own message().
"""

import re
import secrets
from email import policy as email_policy
from email.utils import formatdate
from functools import lru_cache

from django.conf import settings
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT as RFC5322_LIMIT
from django.core.mail.message import forbid_multi_line_headers

from notifications.emails import MemberEmail

_NEWLINES = re.compile(r"\r\n|\r|\n")
# An address that sanitize_address() returns unchanged.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_FOLD_AT = 78  # compat32's max_line_length, as the standard generator folds
# Where email.header.Header may fold a value (its splitchars and spaces).
_FOLDS_AT = re.compile(r"[\s;,]")
_OWN_HEADERS = {"from", "to", "cc", "reply-to"}


@lru_cache(maxsize=4)
def _policy(linesep: str):
    return email_policy.compat32.clone(linesep=linesep)


@lru_cache(maxsize=64)
def _sanitized(name: str, value: str) -> str:
    """What Django's header check makes of a value the same for every
    message (From, the subject of a language): computed once."""
    return forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)[1]


def _header(name: str, value: str, linesep: str) -> str:
    """`name: value` as compat32 folds it: as it is when it fits in 78
    characters; a long value with nowhere to fold it (a link) on a line of
    its own; anything else by the policy itself."""
    if value.isascii():
        if len(name) + 2 + len(value) <= _FOLD_AT:
            return f"{name}: {value}{linesep}"
        if not _FOLDS_AT.search(value):
            return f"{name}: {linesep} {value}{linesep}"
    return _policy(linesep).fold(name, value)


def _has_long_lines(body: str) -> bool:
    """Django's test for quoted-printable: a line (str.splitlines) over 998
    bytes in UTF-8. Bytes split at fewer characters, so if no line of the
    encoded body is too long, none is (read in C: 70 us for 50 KB, where a
    regular expression scanning for a long run takes 1.4 ms)."""
    encoded = body.encode(errors="surrogateescape")
    if max(map(len, encoded.splitlines()), default=0) <= RFC5322_LIMIT:
        return False
    return any(
        len(line.encode(errors="surrogateescape")) > RFC5322_LIMIT
        for line in body.splitlines()
    )


def _with_linesep(body: str, linesep: str) -> str:
    """Every line ending as `linesep`, as the generator writes them."""
    if "\r" in body:
        return _NEWLINES.sub(linesep, body)
    return body if linesep == "\n" else body.replace("\n", linesep)


class FlatMessage:
    """The part of email.message.Message that Django's mail backends use
    (as_bytes, as_string, get_charset), over pre-built pieces."""

    def __init__(self, headers: list[tuple[str, str]], parts: list[tuple[str, str]]):
        self.headers = headers  # [(name, value)] in order, checked
        self.parts = parts  # [(subtype, body)]

    def get_charset(self):
        return None

    def __getitem__(self, name):
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def as_bytes(self, unixfrom=False, linesep="\n") -> bytes:
        bodies = [body for _subtype, body in self.parts]
        boundary = "=" * 15 + str(secrets.randbelow(10**19)).zfill(19) + "=="
        while any(boundary in body for body in bodies):
            boundary = "=" * 15 + str(secrets.randbelow(10**19)).zfill(19) + "=="
        out = [
            f"Content-Type: multipart/alternative;{linesep}"
            f' boundary="{boundary}"{linesep}',
            f"MIME-Version: 1.0{linesep}",
        ]
        out.extend(_header(name, value, linesep) for name, value in self.headers)
        out.append(linesep)
        for subtype, body in self.parts:
            cte = "7bit" if body.isascii() else "8bit"
            out.append(
                f"--{boundary}{linesep}"
                f'Content-Type: text/{subtype}; charset="utf-8"{linesep}'
                f"MIME-Version: 1.0{linesep}"
                f"Content-Transfer-Encoding: {cte}{linesep}{linesep}"
            )
            out.append(_with_linesep(body, linesep))
            out.append(linesep)
        out.append(f"--{boundary}--{linesep}")
        return "".join(out).encode("utf-8", errors="surrogateescape")

    def as_string(self, unixfrom=False, linesep="\n") -> str:
        return self.as_bytes(unixfrom=unixfrom, linesep=linesep).decode(
            "utf-8", errors="surrogateescape"
        )


class DigestEmail(MemberEmail):
    """member_message's e-mail whose message() is written directly when it
    has the digest's shape, and by Django otherwise."""

    def message(self):
        flat = self._flat_headers()
        if flat is None:
            return super().message()
        return FlatMessage(
            flat, [("plain", self.body), ("html", self.alternatives[0][0])]
        )

    def _flat_headers(self) -> list[tuple[str, str]] | None:
        if (
            self.attachments
            or self.cc
            or self.reply_to
            or len(self.to) != 1
            or (self.encoding or settings.DEFAULT_CHARSET).lower() != "utf-8"
            or self.content_subtype != "plain"
            or len(self.alternatives) != 1
            or self.alternatives[0][1] != "text/html"
            or not _PLAIN_ADDRESS.fullmatch(self.to[0])
            or _has_long_lines(self.body)
            or _has_long_lines(self.alternatives[0][0])
        ):
            return None
        extra = self.extra_headers
        headers = [
            ("Subject", _sanitized("Subject", self.subject)),
            ("From", _sanitized("From", extra.get("From", self.from_email))),
            ("To", self.to[0]),
        ]
        names = {name.lower() for name in extra}
        if "date" not in names:
            headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
        if "message-id" not in names:
            return None  # every digest has its stable one; Django makes others
        for name, value in extra.items():
            if name.lower() in _OWN_HEADERS:
                continue
            if not (value.isascii() and "\n" not in value and "\r" not in value):
                return None  # Django encodes it, or refuses it
            headers.append((name, value))
        return headers
