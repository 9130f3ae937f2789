"""Signatures, both ways.

Outgoing webhooks: `X-Practica-Signature: t=<unix time>,v1=<hex>`, the hex
being HMAC-SHA256 with the hook's secret over "<t>.<raw body>". A receiver
recomputes it, compares in constant time and refuses old timestamps
(replays). `signature_verify` is that receiver, used by the tests and
quoted in the README.

Incoming Slack requests: "v0=" HMAC-SHA256 with the app's signing secret over
"v0:<X-Slack-Request-Timestamp>:<raw body>", refused when five minutes old.
"""

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Practica-Signature"
EVENT_HEADER = "X-Practica-Event"
EVENT_ID_HEADER = "X-Practica-Event-Id"
TOLERANCE_SECONDS = 5 * 60


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={_hmac(secret, str(timestamp).encode() + b'.' + body)}"


def signature_verify(
    *, secret: str, header: str, body: bytes, now: float, tolerance=TOLERANCE_SECONDS
) -> bool:
    """What a receiver does with X-Practica-Signature."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = _hmac(secret, str(timestamp).encode() + b"." + body)
    return hmac.compare_digest(expected, parts.get("v1", ""))


def slack_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    return "v0=" + _hmac(secret, b"v0:" + timestamp.encode() + b":" + body)


def slack_request_verify(
    *, secret: str, timestamp: str, signature: str, body: bytes, now: float
) -> bool:
    """Slack's own check: a configured secret, a fresh timestamp, a match."""
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return False
    expected = slack_signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected.encode(), signature.encode())
