"""Writes for personal access tokens: make one (the only moment its text
exists outside the member's hands), revoke one, note its use."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from api.models import PersonalAccessToken, Scope
from members.permissions import check_signed_in

TOKEN_PREFIX = "pat_"  # noqa: S105 - a marker, not a secret
# Writing last_used_at on every request would make each read a write.
LAST_USED_EVERY = timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, acting_user, name: str, scope: str = Scope.READ, days: int | None = None
) -> tuple[PersonalAccessToken, str]:
    """A new token for `acting_user`; returns it and its text (shown once)."""
    check_signed_in(acting_user)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    days = min(days or settings.API_TOKEN_MAX_DAYS, settings.API_TOKEN_MAX_DAYS)
    token = PersonalAccessToken(
        user=acting_user,
        name=name.strip(),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        token_hash=token_digest(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def check_token_revoke(*, acting_user, token_id: int) -> PersonalAccessToken:
    """Revoke one of one's own tokens (404 for anyone else's); again: nothing."""
    check_signed_in(acting_user)
    token = (
        PersonalAccessToken.objects.select_for_update()
        .filter(pk=token_id, user=acting_user)
        .first()
    )
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_used(*, token: PersonalAccessToken) -> None:
    """Note that `token` was used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
