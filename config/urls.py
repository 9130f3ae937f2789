from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("admin/", admin.site.urls),
    # The JavaScript catalogue for static/js (djangojs.po); its URL carries
    # the language (?v=de), so browsers may keep it for a day.
    path(
        "jsi18n/",
        cache_control(max_age=86400, private=True)(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    # Password pages first: refused while LOCAL_PASSWORDS is off.
    path("accounts/", include("members.urls_passwords")),
    path("accounts/", include("allauth.urls")),
    # Before members/<username>/: a member's own API tokens.
    path("members/me/tokens/", include("api.token_urls")),
    # SCIM 2.0 provisioning for the identity provider (bearer token only).
    path("scim/v2/", include("config.scim_urls")),
    path("members/", include("members.urls")),
    path("", include("notifications.urls")),
    path("communities/", include("communities.urls")),
    path("welcome/", include("communities.urls_onboarding")),
    path("", include("knowledge.urls")),
    path("mentoring/", include("mentoring.urls")),
    path("journeys/", include("journeys.urls")),
    path("", include("digests.urls")),
    path("", include("dashboards.urls")),
    path("privacy/", include("privacy.urls")),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    # OAuth2 for integrations (django-oauth-toolkit): authorize, token, revoke,
    # and a member's registered applications under /o/applications/.
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("integrations/", include("integrations.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
