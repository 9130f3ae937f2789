"""The OpenAPI schema is served and valid; the docs page (Swagger UI from
static/vendor) runs under the site's strict CSP: no inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/communities/", "get"),
    ("/api/v1/communities/{slug}/", "get"),
    ("/api/v1/communities/{slug}/join/", "post"),
    ("/api/v1/communities/{slug}/leave/", "post"),
    ("/api/v1/items/", "get"),
    ("/api/v1/items/", "post"),
    ("/api/v1/items/{id}/", "get"),
    ("/api/v1/items/{id}/", "put"),
    ("/api/v1/items/{id}/", "patch"),
    ("/api/v1/items/{id}/replies/", "get"),
    ("/api/v1/items/{id}/replies/", "post"),
    ("/api/v1/tags/", "get"),
    ("/api/v1/search/", "get"),
    ("/api/v1/members/", "get"),
    ("/api/v1/members/{username}/", "get"),
    ("/api/v1/mentoring/requests/", "get"),
    ("/api/v1/mentoring/requests/", "post"),
    ("/api/v1/mentoring/requests/{id}/", "get"),
    ("/api/v1/mentoring/requests/{id}/withdraw/", "post"),
    ("/api/v1/notifications/", "get"),
    ("/api/v1/notifications/read/", "post"),
}


def test_the_schema_is_served_and_names_every_operation(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    found = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert found == OPERATIONS
    schemes = schema["components"]["securitySchemes"]
    assert {"personalAccessToken", "oauth2", "cookieAuth"} <= set(schemes)
    flows = schemes["oauth2"]["flows"]
    assert set(flows) == {"authorizationCode", "clientCredentials"}


def test_the_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yaml"),
    )


def test_the_docs_page_needs_no_inline_script_or_style(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<style" not in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body for attrs, body in scripts)
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "default-src 'self'" in response["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_swagger_ui_is_vendored_without_source_maps():
    folder = Path(settings.BASE_DIR) / "static/vendor/swagger-ui-dist"
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert "sourceMappingURL" not in (folder / name).read_text()
    assert "sourceMappingURL" not in (folder / "swagger-ui.css").read_text()
