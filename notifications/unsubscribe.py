"""Signed one-click unsubscribe links, carried by every e-mail Practica sends
a member (digests and notifications). The link itself is the credential, so
it works without logging in; tampering breaks the signature.

The address (/digests/unsubscribe/<token>/) and the salt date from before
this app existed; they stay, so links in e-mails already sent keep working."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.urls import reverse

from members.models import DigestFrequency, NotificationEmails, User

SALT = "practica.digests.unsubscribe"
# Old e-mails keep working for a good while; after that, settings page.
MAX_AGE = dt.timedelta(days=180)

DIGESTS = "digests"
NOTIFICATIONS = "notifications"
SCOPES = (DIGESTS, NOTIFICATIONS)


class InvalidLink(Exception):
    """The token is tampered, expired or names nobody."""

    def __init__(self, *, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def unsubscribe_token(member, scope: str = DIGESTS) -> str:
    if scope not in SCOPES:
        raise ValueError(scope)
    return signing.dumps({"u": member.pk, "s": scope}, salt=SALT)


def unsubscribe_url(member, scope: str = DIGESTS) -> str:
    """Absolute: it goes into e-mails and List-Unsubscribe headers."""
    path = reverse(
        "notifications:unsubscribe",
        kwargs={"token": unsubscribe_token(member, scope)},
    )
    return settings.SITE_URL.rstrip("/") + path


def read_token(token: str) -> tuple[User, str]:
    """(member, scope) named by a valid token, else InvalidLink."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidLink(expired=True) from exc
    except signing.BadSignature as exc:
        raise InvalidLink from exc
    if not isinstance(data, dict) or data.get("s") not in SCOPES:
        raise InvalidLink
    member = User.objects.filter(pk=data.get("u")).first()
    if member is None:
        raise InvalidLink
    return member, data["s"]


def is_subscribed(member, scope: str) -> bool:
    if scope == DIGESTS:
        return member.digest_frequency != DigestFrequency.OFF
    return member.notification_emails != NotificationEmails.OFF


def unsubscribe(*, member, scope: str) -> bool:
    """Stop digest (or notification) e-mails. True if anything changed."""
    if scope == DIGESTS:
        field, off = "digest_frequency", DigestFrequency.OFF
    else:
        field, off = "notification_emails", NotificationEmails.OFF
    changed = User.objects.filter(pk=member.pk).exclude(**{field: off})
    return changed.update(**{field: off}) > 0
