"""Every error is JSON: {"detail": "what went wrong"} and, for input that
does not fit, {"errors": {"field": ["why"]}} too. The services' own refusals
(Django's ValidationError, a membership that cannot change) keep their
messages, which are written for people."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from communities.services.errors import MembershipError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("That cannot happen in the current state.")
    default_code = "conflict"


def _message_of(error: DjangoValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = getattr(exc, "message_dict", None)
        exc = exceptions.ValidationError(errors or {"detail": exc.messages})
    elif isinstance(exc, MembershipError):
        exc = Conflict(str(exc))
    elif isinstance(exc, PermissionDenied) and not str(exc):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.NotAuthenticated):
        challenge = getattr(exc, "auth_header", None)
        exc = exceptions.NotAuthenticated(
            _("Sign in, or send a token: Authorization: Bearer <token>.")
        )
        exc.auth_header = challenge
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not yours to see."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = response.data
        if isinstance(data, dict):
            errors = {k: v for k, v in data.items() if k not in ("detail",)}
            detail = data.get("detail")
        else:
            errors, detail = {}, data
        if isinstance(detail, list):
            detail = " ".join(str(d) for d in detail)
        response.data = {
            "detail": str(detail or _("Some of what was sent does not fit.")),
            "errors": errors,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


def error_response(message: str, code: int = status.HTTP_400_BAD_REQUEST):
    return Response({"detail": message}, status=code)
