"""Mailgun's inbound-mail webhook: a route forward()s each e-mail sent to a
reply address here as a form post (Mailgun's "fully parsed" format).

Mailgun signs every post: the HMAC-SHA256 of timestamp + token under the
webhook signing key. That signature is what proves the post came from
Mailgun, so the view is exempt from CSRF (a browser form could not forge it).
Answers follow Mailgun's rules: 200 taken (no retry), 406 refused (no
retry), 503 when the database is down (Mailgun retries for hours).
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from knowledge.inbound import (
    inbound_refusal_log,
    inbound_reply_receive,
    is_duplicate_delivery,
)
from knowledge.models import InboundMailLog

logger = logging.getLogger(__name__)


def mailgun_signature_valid(*, timestamp: str, token: str, signature: str) -> bool:
    key = settings.MAILGUN_WEBHOOK_SIGNING_KEY
    if not (key and timestamp and token and signature):
        return False
    expected = hmac.new(
        key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _message_id(post) -> str:
    if post.get("Message-Id"):
        return post["Message-Id"]
    try:
        headers = json.loads(post.get("message-headers") or "[]")
        for name, value in headers:
            if str(name).lower() == "message-id":
                return str(value)
    except (ValueError, TypeError):
        pass
    return ""


@csrf_exempt  # the Mailgun signature replaces the CSRF token
@require_POST
def mailgun_inbound(request):
    post = request.POST
    fields = {
        "channel": InboundMailLog.Channel.MAILGUN,
        # The From header is who wrote it; `sender` (MAIL FROM) may be a
        # forwarding or bounce address.
        "sender": post.get("from") or post.get("sender", ""),
        "recipient": post.get("recipient", ""),
        "message_id": _message_id(post),
    }
    try:
        if not mailgun_signature_valid(
            timestamp=post.get("timestamp", ""),
            token=post.get("token", ""),
            signature=post.get("signature", ""),
        ):
            inbound_refusal_log(
                log=InboundMailLog(
                    **{k: str(v)[:254] for k, v in fields.items()},
                ),
                outcome=InboundMailLog.Outcome.FORGED,
                why="webhook signature invalid",
            )
            return HttpResponse("signature invalid", status=406)
        log = inbound_reply_receive(
            text=post.get("body-plain") or post.get("stripped-text", ""), **fields
        )
    except DatabaseError:
        logger.exception("Inbound mail not processed: database error")
        return HttpResponse("try again later", status=503)
    if log.outcome == InboundMailLog.Outcome.ACCEPTED or is_duplicate_delivery(log):
        return HttpResponse("ok")
    return HttpResponse(log.reason, status=406, content_type="text/plain")
