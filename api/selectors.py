"""Reads for the API's own data: tokens."""

from api.models import PersonalAccessToken


def tokens_of(*, user):
    """A member's tokens, newest first (revoked and expired ones too)."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_by_text(raw: str) -> PersonalAccessToken | None:
    from api.services import token_digest

    return (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=token_digest(raw))
        .first()
    )
