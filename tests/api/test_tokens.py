"""Personal access tokens: what they open, what closes them, and the page
where a member makes (shown once) and revokes them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api import services
from api.models import PersonalAccessToken
from tests.api.conftest import ApiClient, token_for
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_acts_as_its_member_and_notes_its_use(world):
    raw = token_for(world.people["private_member"])
    response = ApiClient(raw).get("/api/v1/items/")
    assert response.status_code == 200
    assert {r["title"] for r in response.json()["results"]} == {
        "Open story",
        "Private story",
    }
    token = PersonalAccessToken.objects.get()
    assert token.last_used_at is not None
    # Only a fingerprint is kept.
    assert raw not in (token.token_hash, token.prefix)
    assert token.token_hash == services.token_digest(raw)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "That token was revoked."),
        (
            {"expires_at": timezone.now() - timedelta(seconds=1)},
            "That token has expired.",
        ),
    ],
)
def test_revoked_and_expired_tokens_are_refused_with_a_reason(world, change, message):
    raw = token_for(world.people["member"])
    PersonalAccessToken.objects.update(**change)
    response = ApiClient(raw).get("/api/v1/items/")
    assert response.status_code == 401
    assert response.json() == {"detail": message}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_tokens_and_deactivated_members_are_refused(world):
    assert ApiClient("pat_nope").get("/api/v1/items/").status_code == 401
    member = world.people["member"]
    raw = token_for(member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = ApiClient(raw).get("/api/v1/items/")
    assert response.status_code == 401
    assert response.json() == {"detail": "That account is deactivated."}


def test_no_credentials_is_401_with_how_to_sign_in(world):
    response = ApiClient().get("/api/v1/items/")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_read_token_reads_but_does_not_write(world):
    client = ApiClient(token_for(world.people["member"], scope="read"))
    assert client.get("/api/v1/items/").status_code == 200
    response = client.post(
        "/api/v1/items/",
        {"community": "welders", "kind": "story", "title": "T", "body": "B"},
    )
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not world.open.items.filter(title="T").exists()


# --- The page -------------------------------------------------------------------

URL = "/members/me/tokens/"


def test_the_page_needs_a_signed_in_member(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_making_a_token_shows_it_once(client, member):
    client.force_login(member)
    response = client.post(URL, {"name": "Wiki sync", "scope": "write", "days": "30"})
    assert response.status_code == 200
    token = PersonalAccessToken.objects.get(user=member)
    page = response.content.decode()
    shown = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert shown.startswith("pat_") and services.token_digest(shown) == (
        token.token_hash
    )
    assert token.scope == "write" and token.name == "Wiki sync"
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    # Never again: the list shows its first characters only.
    again = client.get(URL).content.decode()
    assert shown not in again and token.prefix in again
    assert ApiClient(shown).get("/api/v1/items/").status_code == 200


def test_bad_input_keeps_what_was_typed(client, member):
    client.force_login(member)
    response = client.post(URL, {"name": "Sync", "scope": "write", "days": "9999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "At most 365 days." in page and 'value="Sync"' in page
    assert not PersonalAccessToken.objects.exists()


def test_revoking_asks_first_then_stops_the_token(client, member):
    token, raw = services.token_create(acting_user=member, name="Old script")
    client.force_login(member)
    url = reverse("api-tokens:revoke", args=[token.pk])
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Revoke “Old script”?" in asked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    done = client.post(url, {"confirmed": "yes"})
    assert done.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(raw).get("/api/v1/items/").status_code == 401


def test_nobody_revokes_another_members_token(client, member):
    token, raw = services.token_create(acting_user=member, name="Mine")
    client.force_login(UserFactory())
    url = reverse("api-tokens:revoke", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmed": "yes"}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# The session, the member, the page's context (unread notifications), the tokens.
QUERIES_TOKEN_PAGE = 4


@pytest.mark.parametrize("tokens", [1, 8])
def test_the_token_page_costs_the_same_whatever_the_number(
    client, member, tokens, django_assert_num_queries
):
    for n in range(tokens):
        services.token_create(acting_user=member, name=f"Token {n}")
    client.force_login(member)
    with django_assert_num_queries(QUERIES_TOKEN_PAGE):
        response = client.get(URL)
    assert response.content.decode().count("<tr>") == tokens + 1
