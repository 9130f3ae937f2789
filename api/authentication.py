"""Who is calling: a personal access token, an OAuth2 token, or the browser
session. Each answers as the member it belongs to; a token whose member was
deactivated, or that was revoked or expired, is refused with a reason."""

from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import authentication, exceptions

from api import selectors, services

REALM = 'Bearer realm="api"'


def _bearer(request) -> str | None:
    header = authentication.get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"bearer":
        return None
    try:
        return header[1].decode()
    except UnicodeError:
        raise exceptions.AuthenticationFailed(_("That token is malformed.")) from None


class PersonalAccessTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer pat_...`, made on the member's token page."""

    def authenticate(self, request):
        raw = _bearer(request)
        if raw is None or not raw.startswith(services.TOKEN_PREFIX):
            return None
        token = selectors.token_by_text(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("That token is not known."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("That token was revoked."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(_("That token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("That account is deactivated."))
        services.token_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return REALM


class MemberOAuth2Authentication(OAuth2Authentication):
    """django-oauth-toolkit's access tokens. A client-credentials token has no
    user of its own: it acts as the member who registered the application,
    and so sees exactly what that member may see."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            if _bearer(request) is not None:
                raise exceptions.AuthenticationFailed(
                    _("That token is not valid, or has expired.")
                )
            return None
        user, token = result
        if user is None:
            user = token.application.user if token.application_id else None
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("That account is deactivated."))
        return user, token

    def authenticate_header(self, request):
        return REALM
