"""Who may call the SCIM endpoints: the organisation's identity provider,
with a bearer token made by `manage.py scim_token_create`. Nothing else, not
even a staff member's session (django-scim2 applies this to every SCIM view
as its AUTH_CHECK_MIDDLEWARE)."""

import json

from django.http import HttpResponse
from django_scim.constants import SCIM_CONTENT_TYPE, SchemaURI
from django_scim.middleware import SCIMAuthCheckMiddleware

from members import services

CHALLENGE = 'Bearer realm="Practica SCIM"'


def _refused() -> HttpResponse:
    body = {
        "schemas": [SchemaURI.ERROR],
        "status": "401",
        "detail": "A valid SCIM bearer token is required.",
    }
    response = HttpResponse(
        json.dumps(body), status=401, content_type=SCIM_CONTENT_TYPE
    )
    response["WWW-Authenticate"] = CHALLENGE
    return response


class ScimTokenAuth(SCIMAuthCheckMiddleware):
    def process_request(self, request):
        scheme, _space, raw = request.headers.get("Authorization", "").partition(" ")
        token = None
        if scheme.lower() == "bearer" and raw.strip():
            token = services.scim_token_authenticate(raw=raw.strip())
        if token is None:
            return _refused()
        request.scim_token = token
        return None
