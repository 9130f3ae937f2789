"""The LMTP server behind `manage.py receive_replies` (aiosmtpd).

The mail server of the reply domain (Postfix: `transport_maps` to
`lmtp:inet:127.0.0.1:8024`, `lmtp_destination_recipient_limit = 1`) hands
each e-mail for reply+<token>@ to it. One recipient per transaction, so
the single answer after DATA is that recipient's: 250 taken (or already
taken: a retransmission), 550 refused with the reason (the sender's mail
system bounces it to them), 451 when the database is unavailable (their
mail system tries again later).
"""

import email
import email.policy
import html
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections, connection
from django.utils.html import strip_tags

from knowledge.inbound import inbound_reply_receive, is_duplicate_delivery
from knowledge.models import InboundMailLog

logger = logging.getLogger(__name__)

# The largest e-mail taken: a reply is at most 20,000 characters; the rest
# is quoting, HTML and attachments we do not keep.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def mail_text(message) -> str:
    """The plain-text body of a parsed e-mail (from its HTML when it has
    no text part)."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        content = part.get_payload(decode=True) or b""
        content = content.decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = html.unescape(strip_tags(content))
    return content


def lmtp_deliver(*, recipient: str, content: bytes) -> str:
    """The LMTP answer for one e-mail to `recipient`."""
    close_old_connections()
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
        try:
            sender = str(message.get("From", ""))
            message_id = str(message.get("Message-ID", ""))
            text = mail_text(message)
        except (ValueError, LookupError, TypeError):
            sender = message_id = text = ""
        log = inbound_reply_receive(
            channel=InboundMailLog.Channel.LMTP,
            sender=sender,
            recipient=recipient,
            message_id=message_id,
            text=text,
        )
    except DatabaseError:
        logger.exception("Inbound mail not processed: database error")
        return "451 4.3.0 Temporary failure, try again later"
    finally:
        # Replies are few: a fresh connection each keeps nothing open
        # between them.
        connection.close()
    if log.outcome == InboundMailLog.Outcome.ACCEPTED:
        return "250 2.0.0 Reply posted"
    if is_duplicate_delivery(log):
        return "250 2.0.0 Already delivered"
    reason = log.reason.replace("\r", " ").replace("\n", " ")
    return f"550 5.7.1 Reply refused ({log.outcome}): {reason}"


class ReplyHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if envelope.rcpt_tos:
            return "452 4.5.3 One recipient per message"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        # The ORM is synchronous: one worker thread does the database work.
        return await sync_to_async(lmtp_deliver, thread_sensitive=True)(
            recipient=envelope.rcpt_tos[0], content=envelope.original_content
        )


class LMTPController(Controller):
    """aiosmtpd's threaded controller, speaking LMTP."""

    def factory(self):
        return LMTP(self.handler, **self.SMTP_kwargs)


def lmtp_controller(*, host: str, port: int) -> LMTPController:
    return LMTPController(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=MAX_MESSAGE_BYTES,
        enable_SMTPUTF8=True,
    )
