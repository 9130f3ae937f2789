"""Rate limits per credential, counted in the shared cache (Redis in
production), so every web process counts together."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import PersonalAccessToken


class PerCredentialThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT per token (each personal or OAuth2 token counts on its
    own) or per member's session; API_ANON_RATE_LIMIT per address for
    requests that are not signed in."""

    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):
        # The rate is read per request (SimpleRateThrottle reads it once, at
        # import), so a setting changed in tests takes effect.
        pass

    def allow_request(self, request, view):
        signed_in = request.user is not None and request.user.is_authenticated
        self.scope = "api" if signed_in else "api_anon"
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, PersonalAccessToken):
            ident = f"pat-{token.pk}"
        elif token is not None and hasattr(token, "pk"):
            ident = f"oauth-{token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
