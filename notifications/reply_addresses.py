"""Signed reply addresses: reply+<token>@<REPLY_BY_EMAIL_DOMAIN>.

The token names one member and one item and when it was issued, signed with
an HMAC of SECRET_KEY. It is base32 (letters and 2-7 only), because mail
systems may lowercase the local part: decoding ignores case. A token is good
for REPLY_BY_EMAIL_MAX_AGE_DAYS; whether its member may still reply on its
item is decided when the reply arrives (knowledge/inbound.py), never here.

Notification e-mails learn which item a notification is about through a hook
the knowledge app fills (`register_reply_item`): notifications sit below
knowledge and may not import it.
"""

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings

SALT = "practica.reply-by-email"
LOCAL_PREFIX = "reply+"
# 80 bits of HMAC: forging one needs 2**80 tries against a server that
# logs and refuses each.
MAC_BYTES = 10


class ReplyAddressError(ValueError):
    """Why a reply address was refused: `reason` is "forged" or "expired"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def reply_domain() -> str:
    """The reply domain, or "" when reply by e-mail is off."""
    return (settings.REPLY_BY_EMAIL_DOMAIN or "").strip().lower()


def reply_enabled() -> bool:
    return bool(reply_domain())


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated")


@lru_cache(maxsize=4)
def _mac_key(secret: str) -> bytes:
    # As django.utils.crypto.salted_hmac derives it, once per secret: a
    # digest e-mail signs dozens of addresses.
    return hashlib.sha256((SALT + secret).encode()).digest()


def _mac(payload: bytes) -> bytes:
    key = _mac_key(settings.SECRET_KEY)
    return hmac.new(key, payload, hashlib.sha256).digest()[:MAC_BYTES]


def reply_token(*, member_id: int, item_id: int, issued_at: int | None = None) -> str:
    """A token for `member_id` replying on `item_id`, issued now (unix
    seconds) unless told otherwise."""
    issued = int(time.time() if issued_at is None else issued_at)
    payload = _varint(member_id) + _varint(item_id) + issued.to_bytes(5, "big")
    raw = payload + _mac(payload)
    return base64.b32encode(raw).decode().rstrip("=").lower()


def reply_address(*, member_id: int, item_id: int, issued_at: int | None = None):
    """reply+<token>@<domain>, or "" when reply by e-mail is off."""
    domain = reply_domain()
    if not domain:
        return ""
    token = reply_token(member_id=member_id, item_id=item_id, issued_at=issued_at)
    return f"{LOCAL_PREFIX}{token}@{domain}"


def token_of(address: str) -> str:
    """The token of a reply address, or "" if it is not one of ours."""
    address = (address or "").strip().strip("<>").strip()
    local, _at, domain = address.rpartition("@")
    if not local or domain.lower() != reply_domain():
        return ""
    if not local.lower().startswith(LOCAL_PREFIX):
        return ""
    return local[len(LOCAL_PREFIX) :].lower()


def reply_token_read(token: str, *, now: float | None = None) -> tuple[int, int, int]:
    """(member id, item id, issued at) of a genuine, unexpired token; raises
    ReplyAddressError otherwise."""
    token = (token or "").strip().upper()
    if not token or len(token) > 64:
        raise ReplyAddressError("forged", "not a reply address")
    try:
        raw = base64.b32decode(token + "=" * (-len(token) % 8))
    except (ValueError, TypeError) as exc:
        raise ReplyAddressError("forged", "malformed reply address") from exc
    if base64.b32encode(raw).decode().rstrip("=") != token:
        # Unused trailing bits set: one token, one spelling (replays are
        # recognised by it).
        raise ReplyAddressError("forged", "malformed reply address")
    payload, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if len(payload) < 7 or not hmac.compare_digest(mac, _mac(payload)):
        raise ReplyAddressError("forged", "bad signature")
    try:
        member_id, pos = _read_varint(payload, 0)
        item_id, pos = _read_varint(payload, pos)
    except ValueError as exc:
        raise ReplyAddressError("forged", "malformed reply address") from exc
    if len(payload) - pos != 5:
        raise ReplyAddressError("forged", "malformed reply address")
    issued = int.from_bytes(payload[pos:], "big")
    now = time.time() if now is None else now
    max_age = settings.REPLY_BY_EMAIL_MAX_AGE_DAYS * 86400
    if issued > now + 300:
        raise ReplyAddressError("forged", "issued in the future")
    if now - issued > max_age:
        raise ReplyAddressError("expired", "reply address expired")
    return member_id, item_id, issued


def token_digest(token: str) -> str:
    """What the inbound log keeps of a token: enough to spot a replay."""
    return hashlib.sha256(token.lower().encode()).hexdigest()


# --- Which item a notification is about (filled by knowledge) -------------------

_reply_item: Callable | None = None


def register_reply_item(resolver: Callable) -> None:
    """`resolver(notification) -> item id or None`: the item its recipient
    may reply on by answering the notification e-mail."""
    global _reply_item
    _reply_item = resolver


def notification_reply_address(notification) -> str:
    """The Reply-To of a notification e-mail, or "" (off, or not about an
    item the recipient may reply on)."""
    if not reply_enabled() or _reply_item is None:
        return ""
    item_id = _reply_item(notification)
    if not item_id:
        return ""
    return reply_address(member_id=notification.recipient_id, item_id=item_id)
