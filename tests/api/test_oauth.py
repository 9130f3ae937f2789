"""OAuth2 through django-oauth-toolkit's own views: an integration's client
credentials act as the member who registered it (seeing what they see); a
member authorises an application with the authorization code flow and PKCE,
and its token carries only the scopes granted."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from oauth2_provider.models import Application

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

SECRET = "integration-secret-0123456789"
REDIRECT = "https://tool.example.com/callback"


def application_of(user, grant, **fields):
    return Application.objects.create(
        name="Wiki sync",
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant,
        client_secret=SECRET,
        redirect_uris=REDIRECT,
        **fields,
    )


def client_credentials_token(app, scope="read") -> str:
    response = Client().post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": SECRET,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.mark.parametrize(
    ("owner", "sees_private"),
    [("private_member", True), ("outsider", False), ("staff", True)],
)
def test_client_credentials_see_what_the_registering_member_sees(
    world, owner, sees_private
):
    app = application_of(world.people[owner], Application.GRANT_CLIENT_CREDENTIALS)
    api = ApiClient(client_credentials_token(app))
    titles = {r["title"] for r in api.get("/api/v1/items/").json()["results"]}
    assert ("Private story" in titles) == sees_private
    detail = api.get(f"/api/v1/items/{world.private_item.pk}/")
    assert detail.status_code == (200 if sees_private else 404)


def test_a_read_scoped_integration_cannot_write_and_a_write_one_can(world):
    app = application_of(world.people["member"], Application.GRANT_CLIENT_CREDENTIALS)
    body = {"community": "welders", "kind": "story", "title": "Sync", "body": "B"}
    reader = ApiClient(client_credentials_token(app, "read"))
    assert reader.post("/api/v1/items/", body).status_code == 403
    writer = ApiClient(client_credentials_token(app, "read write"))
    made = writer.post("/api/v1/items/", body)
    assert made.status_code == 201
    assert made.json()["author"]["display_name"] == "Mo Member"


def test_an_integration_of_a_deactivated_member_stops(world):
    owner = world.people["member"]
    app = application_of(owner, Application.GRANT_CLIENT_CREDENTIALS)
    api = ApiClient(client_credentials_token(app))
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert api.get("/api/v1/items/").status_code == 401


def test_a_made_up_bearer_token_is_refused():
    response = ApiClient("not-a-token").get("/api/v1/items/")
    assert response.status_code == 401
    assert "not valid" in response.json()["detail"]


def test_authorization_code_with_pkce(world):
    member = world.people["private_member"]
    app = application_of(world.people["steward"], Application.GRANT_AUTHORIZATION_CODE)
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        .decode()
        .rstrip("=")
    )
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "read",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    browser = Client()
    # Signed out: to the login page first.
    assert browser.get("/o/authorize/", query).status_code == 302
    browser.force_login(member)
    asked = browser.get("/o/authorize/", query)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Authorize" in page and "Wiki sync" in page
    assert "Practica" in page  # in the site's own layout
    allowed = browser.post("/o/authorize/", {**query, "allow": "Authorize"})
    assert allowed.status_code == 302
    redirect = urlparse(allowed["Location"])
    code = parse_qs(redirect.query)["code"][0]
    assert parse_qs(redirect.query)["state"] == ["xyz"]

    without_verifier = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "client_secret": SECRET,
        },
    )
    assert without_verifier.status_code == 400
    # The failed attempt spent nothing: ask again for a new code.
    allowed = browser.post("/o/authorize/", {**query, "allow": "Authorize"})
    code = parse_qs(urlparse(allowed["Location"]).query)["code"][0]
    token = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "client_secret": SECRET,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    api = ApiClient(token.json()["access_token"])
    # It acts as the member who authorised it, not the application's owner.
    mine = api.get("/api/v1/items/", {"community": "board-room"})
    assert mine.status_code == 200
    assert [r["title"] for r in mine.json()["results"]] == ["Private story"]
    assert api.get("/api/v1/items/", {"community": "welders"}).status_code == 200
    refused = api.post(
        f"/api/v1/items/{world.private_item.pk}/replies/", {"body": "Hi"}
    )
    assert refused.status_code == 403


def test_a_members_applications_page_is_theirs_and_in_the_sites_layout(world):
    browser = Client()
    assert browser.get("/o/applications/").status_code == 302
    browser.force_login(world.people["member"])
    application_of(world.people["member"], Application.GRANT_CLIENT_CREDENTIALS)
    application_of(world.people["outsider"], Application.GRANT_CLIENT_CREDENTIALS)
    page = browser.get("/o/applications/")
    assert page.status_code == 200
    assert page.content.decode().count("Wiki sync") == 1
    assert "<style" not in page.content.decode()
    assert browser.get("/o/authorized_tokens/").status_code == 200
