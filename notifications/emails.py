"""E-mails to members: HTML and plain text, with one-click unsubscribe
headers (RFC 8058). Digests build theirs with `member_message` too."""

import re
import smtplib
from email import generator
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from members.timezones import member_zone
from notifications.reply_addresses import notification_reply_address
from notifications.unsubscribe import NOTIFICATIONS, unsubscribe_url

# Errors worth retrying later: SMTP refusals and network trouble.
SEND_ERRORS = (smtplib.SMTPException, OSError)


_NEWLINES = re.compile(r"\r\n|\r|\n")


class _BodyAtOnceGenerator(generator.BytesGenerator):
    """The standard generator, writing a body in one piece instead of one
    write per line: the same bytes, in a third of the time for a digest
    (about 1,600 lines, 60 KiB)."""

    def _write_lines(self, lines):
        if lines:
            self.write(_NEWLINES.sub(self._NL, lines))


class MemberEmail(EmailMultiAlternatives):
    def message(self):
        msg = super().message()

        def as_bytes(unixfrom=False, linesep="\n"):
            out = BytesIO()
            _BodyAtOnceGenerator(out, mangle_from_=False).flatten(
                msg, unixfrom=unixfrom, linesep=linesep
            )
            return out.getvalue()

        msg.as_bytes = as_bytes
        return msg


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def stable_message_id(kind: str, key) -> str:
    """The same Message-ID for every attempt at one delivery, so a mail
    system can recognise a repeat after a retry."""
    domain = urlsplit(site_url()).hostname or "practica.local"
    return f"<{kind}-{key}@{domain}>"


def unsubscribe_headers(unsubscribe: str) -> dict:
    """The headers of every e-mail to a member: one-click unsubscribe
    (RFC 8058) and "not a person writing" (RFC 3834)."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def member_message(
    *, member, subject, template, context, scope
) -> EmailMultiAlternatives:
    """One e-mail to `member` from `template`.txt and `template`.html (a
    template path without its extension), unsubscribing from `scope`."""
    unsubscribe = unsubscribe_url(member, scope)
    context = {
        **context,
        "member": member,
        "site_url": site_url(),
        "unsubscribe_url": unsubscribe,
    }
    # Times in the recipient's zone, named ("09:14 CET"), as on the site.
    with member_zone(member):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = MemberEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers=unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_message(*, notification) -> EmailMultiAlternatives:
    member = notification.recipient
    url = notification.url
    if url.startswith("/"):
        url = site_url() + url
    message = member_message(
        member=member,
        subject=notification.message[:120],
        template="notifications/email/notification",
        context={"notification": notification, "link": url},
        scope=NOTIFICATIONS,
    )
    message.extra_headers["Message-ID"] = stable_message_id(
        "notification", notification.pk
    )
    # Answering the e-mail replies on the item (when reply by e-mail is on).
    reply_to = notification_reply_address(notification)
    if reply_to:
        message.reply_to = [reply_to]
    return message
