"""The API's own gate: a signed-in, active member, and a token allowed to do
what the request asks. What that member may see or change is decided by the
apps' own permissions (communities.access, knowledge.permissions, check_*),
exactly as for the pages."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractAccessToken
from rest_framework import permissions

from api.models import PersonalAccessToken


def needed_scope(request) -> str:
    return "read" if request.method in permissions.SAFE_METHODS else "write"


class IsActiveMember(permissions.BasePermission):
    message = _("Sign in, or send a token: Authorization: Bearer <token>.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class TokenScopes(permissions.BasePermission):
    """Reads need the read scope, writes the write scope; the browser's own
    session may do what the member may."""

    message = _("This token may only read. Make one with write access to do this.")

    def has_permission(self, request, view):
        token = request.auth
        scope = needed_scope(request)
        if isinstance(token, PersonalAccessToken):
            return scope in token.scopes
        if isinstance(token, AbstractAccessToken):
            return token.allow_scopes([scope])
        return True
