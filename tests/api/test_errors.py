"""Malformed requests get JSON with a clear message, never a 500."""

import pytest

from tests.api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    return ApiClient(token_for(world.people["member"]))


def test_broken_json_is_a_400_that_says_so(api):
    response = api.client.post(
        "/api/v1/items/",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_invalid_fields_are_named(api):
    response = api.post(
        "/api/v1/items/",
        {"community": "welders", "kind": "poem", "title": "", "tags": ["x" * 41]},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"kind", "title", "body", "tags"}
    assert "40 characters" in str(errors["tags"])


def test_null_characters_are_refused_in_json_and_in_the_query(api):
    body = {"community": "welders", "kind": "story", "title": "A\x00", "body": "B"}
    response = api.post("/api/v1/items/", body)
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    query = api.get("/api/v1/search/", {"q": "a\x00b"})
    assert query.status_code == 400
    assert "null character" in query.json()["detail"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        # Not base64 at all: read as no cursor, the first page.
        ("/api/v1/items/?cursor=%%%", 200),
        ("/api/v1/items/?cursor=" + "cD0yMDI2LXh4eA==", 404),
        # An offset past DRF's cutoff (1,000) is cut to it.
        ("/api/v1/items/?cursor=bz05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", 200),
        ("/api/v1/items/?kind=poem", 400),
        ("/api/v1/items/?page_size=abc", 200),
        ("/api/v1/items/99999999999999999999/", 404),
        ("/api/v1/search/?page=0", 400),
        ("/api/v1/search/?page=x", 400),
        ("/api/v1/mentoring/requests/?queue=everyone", 400),
        ("/api/v1/notifications/?unread=maybe", 400),
        ("/api/v1/tags/", 400),
        ("/api/v1/communities/no-such-place/", 404),
        ("/api/v1/members/nobody/", 404),
    ],
)
def test_malformed_queries_never_fail(api, path, status):
    response = api.get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    if status != 200:
        assert response.json()["detail"]


def test_marking_notifications_read(world, api):
    from notifications.services import notify

    member = world.people["member"]
    first = notify(recipient=member, kind="t", message="One", url="/")
    notify(recipient=member, kind="t", message="Two", url="/")
    other = notify(recipient=world.people["outsider"], kind="t", message="x", url="/")
    marked = api.post("/api/v1/notifications/read/", {"ids": [first.pk, other.pk]})
    assert marked.json() == {"marked": 1}
    unread = api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
    assert [n["message"] for n in unread] == ["Two"]
    assert api.post("/api/v1/notifications/read/", {}).json() == {"marked": 1}
    assert api.post("/api/v1/notifications/read/", {"ids": ["x"]}).status_code == 400


def test_an_address_the_api_does_not_have_answers_in_json(api):
    response = api.get("/api/v1/members/not a slug/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert api.get("/api/v1/nothing-here/").json() == {"detail": "Not found."}
