"""The API's permission table equals the pages': every endpoint for every
person (anonymous, outsider, member, member of a private community, steward,
manager, staff). Private communities' insides never reach outsiders: not
listed, 404 on detail. Where a page exists for the same thing, the API's
answer is checked against the page's own answer for the same person."""

import pytest
from django.urls import reverse

from knowledge.models import Item
from mentoring.models import MentoringRequest
from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db

# A page sends anonymous visitors to log in; the API answers 401.
PAGE_TO_API = {302: 401, 200: 200, 403: 403, 404: 404}

SEES_PRIVATE = {"private_member", "steward", "staff"}


def table(**statuses):
    assert set(statuses) == set(ROLES)
    return statuses


READ_OPEN = table(
    anonymous=401,
    outsider=200,
    member=200,
    private_member=200,
    steward=200,
    manager=200,
    staff=200,
)
READ_PRIVATE = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=200,
    steward=200,
    manager=404,
    staff=200,
)
SIGNED_IN = READ_OPEN


def _item_page(item):
    return item.get_absolute_url()


def _case(world, which):
    community = world.open if which == "open" else world.private
    item = world.open_item if which == "open" else world.private_item
    return community, item


# --- Reads, against the pages --------------------------------------------------


@pytest.mark.parametrize("which", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_community_detail_answers_as_its_page(world, api_as, page_as, role, which):
    community, _item = _case(world, which)
    api = api_as(role).get(f"/api/v1/communities/{community.slug}/")
    page = page_as(role).get(community.get_absolute_url())
    expected = (READ_OPEN if which == "open" else READ_PRIVATE)[role]
    assert api.status_code == expected
    assert PAGE_TO_API[page.status_code] == api.status_code
    assert api["Content-Type"] == "application/json"


@pytest.mark.parametrize("which", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_item_detail_and_replies_answer_as_the_item_page(
    world, api_as, page_as, role, which
):
    _community, item = _case(world, which)
    expected = (READ_OPEN if which == "open" else READ_PRIVATE)[role]
    page = page_as(role).get(_item_page(item))
    for path in (f"/api/v1/items/{item.pk}/", f"/api/v1/items/{item.pk}/replies/"):
        api = api_as(role).get(path)
        assert api.status_code == expected, path
        assert PAGE_TO_API[page.status_code] == expected
    if expected == 200:
        assert api_as(role).get(f"/api/v1/items/{item.pk}/").json()["title"] == (
            item.title
        )


@pytest.mark.parametrize("role", ROLES)
def test_item_list_filtered_by_a_community_answers_as_its_feed(
    world, api_as, page_as, role
):
    for community in (world.open, world.private):
        api = api_as(role).get("/api/v1/items/", {"community": community.slug})
        page = page_as(role).get(reverse("knowledge:feed", args=[community.slug]))
        assert PAGE_TO_API[page.status_code] == api.status_code


@pytest.mark.parametrize("role", ROLES)
def test_private_items_are_listed_and_found_only_for_those_inside(world, api_as, role):
    client = api_as(role)
    responses = {
        "items": client.get("/api/v1/items/"),
        "tag": client.get("/api/v1/items/", {"tag": "welding"}),
        "search": client.get("/api/v1/search/", {"q": "story"}),
    }
    if role == "anonymous":
        assert {r.status_code for r in responses.values()} == {401}
        return
    for name, response in responses.items():
        assert response.status_code == 200, name
        titles = {row["title"] for row in response.json()["results"]}
        assert "Open story" in titles, name
        assert ("Private story" in titles) == (role in SEES_PRIVATE), name


@pytest.mark.parametrize("role", ROLES)
def test_private_community_is_listed_by_name_and_purpose_only(world, api_as, role):
    response = api_as(role).get("/api/v1/communities/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    rows = {row["slug"]: row for row in response.json()["results"]}
    assert set(rows) == {"welders", "board-room"}
    private = rows["board-room"]
    assert private["name"] == "Board room" and private["is_private"] is True
    if role in SEES_PRIVATE:
        assert private["inside"] == {
            "size": 3,
            "last_activity_at": private["inside"]["last_activity_at"],
            "tags": [],
        }
    else:
        assert private["inside"] is None
    assert rows["welders"]["inside"]["size"] == 3


@pytest.mark.parametrize("role", ROLES)
def test_a_private_communitys_tags_are_found_only_inside(world, api_as, role):
    world.private_item.tags.add("secret-sauce")
    Item.objects.filter(pk=world.private_item.pk).update(
        tag_names="secret-sauce welding"
    )
    response = api_as(role).get("/api/v1/tags/", {"q": "secret"})
    if role == "anonymous":
        assert response.status_code == 401
        return
    names = [tag["name"] for tag in response.json()]
    assert names == (["secret-sauce"] if role in SEES_PRIVATE else [])


@pytest.mark.parametrize("role", ROLES)
def test_members_directory_and_profiles_show_public_fields_only(
    world, api_as, page_as, role
):
    listing = api_as(role).get("/api/v1/members/")
    profile = api_as(role).get(f"/api/v1/members/{world.author.username}/")
    page = page_as(role).get(world.author.get_absolute_url())
    assert listing.status_code == SIGNED_IN[role]
    assert profile.status_code == PAGE_TO_API[page.status_code] == SIGNED_IN[role]
    if role != "anonymous":
        assert "email" not in listing.json()["results"][0]
        assert "email" not in profile.json()
        assert profile.json()["display_name"] == "Ada Author"


BROKER_QUEUE = table(
    anonymous=401,
    outsider=403,
    member=403,
    private_member=403,
    steward=403,
    manager=200,
    staff=200,
)


@pytest.mark.parametrize("role", ROLES)
def test_the_broker_queue_is_for_managers_as_on_the_broker_console(
    world, api_as, page_as, role
):
    MentoringRequest.objects.create(mentee=world.author, goals="Learn welding")
    api = api_as(role).get("/api/v1/mentoring/requests/", {"queue": "broker"})
    page = page_as(role).get(reverse("mentoring:broker"))
    assert api.status_code == BROKER_QUEUE[role]
    assert PAGE_TO_API[page.status_code] == api.status_code
    if api.status_code == 200:
        assert [r["goals"] for r in api.json()["results"]] == ["Learn welding"]


REQUEST_DETAIL = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=404,
    steward=404,
    manager=200,
    staff=200,
)


@pytest.mark.parametrize("role", ROLES)
def test_a_mentoring_request_is_seen_as_on_its_page(world, api_as, page_as, role):
    req = MentoringRequest.objects.create(mentee=world.author, goals="Learn")
    api = api_as(role).get(f"/api/v1/mentoring/requests/{req.pk}/")
    page = page_as(role).get(req.get_absolute_url())
    assert api.status_code == REQUEST_DETAIL[role]
    assert PAGE_TO_API[page.status_code] == api.status_code


@pytest.mark.parametrize("role", ROLES)
def test_own_requests_and_notifications_are_ones_own(world, api_as, role):
    MentoringRequest.objects.create(mentee=world.author, goals="Not yours")
    for path in ("/api/v1/mentoring/requests/", "/api/v1/notifications/"):
        response = api_as(role).get(path)
        assert response.status_code == SIGNED_IN[role]
        if role != "anonymous":
            assert response.json()["results"] == [], path


# --- Writes ----------------------------------------------------------------------

POST_OPEN = table(
    anonymous=401,
    outsider=403,
    member=201,
    private_member=403,
    steward=201,
    manager=403,
    staff=403,
)
POST_PRIVATE = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=201,
    steward=201,
    manager=404,
    staff=403,
)


@pytest.mark.parametrize("which", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_publishing_and_replying_is_for_active_members(world, api_as, role, which):
    community, item = _case(world, which)
    expected = (POST_OPEN if which == "open" else POST_PRIVATE)[role]
    created = api_as(role).post(
        "/api/v1/items/",
        {
            "community": community.slug,
            "kind": "question",
            "title": "How do you weld aluminium?",
            "body": "Asking for the night shift.",
            "tags": ["Welding", "aluminium"],
        },
    )
    assert created.status_code == expected, created.content
    replied = api_as(role).post(
        f"/api/v1/items/{item.pk}/replies/", {"body": "We preheat it."}
    )
    assert replied.status_code == expected, replied.content
    made = Item.objects.filter(title="How do you weld aluminium?")
    assert made.exists() == (expected == 201)
    assert item.replies.exists() == (expected == 201)
    if expected == 201:
        assert created.json()["tags"] == ["aluminium", "welding"]


EDIT_OPEN = table(
    anonymous=401,
    outsider=403,
    member=403,
    private_member=403,
    steward=200,
    manager=403,
    staff=200,
)
EDIT_PRIVATE = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=403,
    steward=200,
    manager=404,
    staff=200,
)


@pytest.mark.parametrize("which", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_editing_answers_as_the_edit_page(world, api_as, page_as, role, which):
    _community, item = _case(world, which)
    expected = (EDIT_OPEN if which == "open" else EDIT_PRIVATE)[role]
    page = page_as(role).get(
        reverse("knowledge:item_edit", args=[item.community.slug, item.pk])
    )
    response = api_as(role).patch(f"/api/v1/items/{item.pk}/", {"title": "Renamed"})
    assert response.status_code == expected
    assert PAGE_TO_API[page.status_code] == expected
    item.refresh_from_db()
    assert (item.title == "Renamed") == (expected == 200)
    if expected == 200:
        assert response.json()["title"] == "Renamed"
        assert response.json()["body"] == "First line.\nSecond line."


JOIN_OPEN = table(
    anonymous=401,
    outsider=200,
    member=200,
    private_member=200,
    steward=200,
    manager=200,
    staff=200,
)
# A private community is asked to join, never joined at once (the service
# says so, whoever asks: 409 with its message); outsiders do not see it.
JOIN_PRIVATE = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=409,
    steward=409,
    manager=404,
    staff=409,
)


@pytest.mark.parametrize("which", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_joining(world, api_as, role, which):
    community, _item = _case(world, which)
    expected = (JOIN_OPEN if which == "open" else JOIN_PRIVATE)[role]
    response = api_as(role).post(f"/api/v1/communities/{community.slug}/join/")
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["status"] == "active"
    if expected == 409:
        assert "private" in response.json()["detail"]


def test_leaving_and_the_last_steward(world, api_as):
    left = api_as("member").post("/api/v1/communities/welders/leave/")
    assert left.status_code == 200
    assert left.json() == {"community": "welders", "status": "left"}
    again = api_as("outsider").post("/api/v1/communities/welders/leave/")
    assert again.status_code == 404
    last = api_as("steward").post("/api/v1/communities/board-room/leave/")
    assert last.status_code == 409
    assert "steward" in last.json()["detail"]


ASK_IN_PRIVATE = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=201,
    steward=201,
    manager=404,
    staff=400,
)


@pytest.mark.parametrize("role", ROLES)
def test_asking_for_mentoring_names_only_ones_own_community(world, api_as, role):
    """Anyone signed in may ask; naming a private community one is not in is
    404 as on its page, and one where one is not active is refused."""
    plain = api_as(role).post(
        "/api/v1/mentoring/requests/", {"topics": ["Welding"], "goals": "Learn"}
    )
    assert plain.status_code == (401 if role == "anonymous" else 201)
    if role != "anonymous":
        assert plain.json()["topics"] == ["welding"]
    in_private = api_as(role).post(
        "/api/v1/mentoring/requests/",
        {"topics": ["welding"], "goals": "Learn", "community": "board-room"},
    )
    assert in_private.status_code == ASK_IN_PRIVATE[role], in_private.content
    if in_private.status_code == 400:
        assert "active member" in str(in_private.json()["errors"]["community"])


WITHDRAW = table(
    anonymous=401,
    outsider=404,
    member=404,
    private_member=404,
    steward=404,
    manager=403,
    staff=403,
)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_mentee_withdraws_a_request(world, api_as, role):
    """As on the request page: those who may see it but are not its mentee
    are refused (403), everyone else finds nothing (404)."""
    req = MentoringRequest.objects.create(mentee=world.author, goals="Learn")
    response = api_as(role).post(f"/api/v1/mentoring/requests/{req.pk}/withdraw/")
    assert response.status_code == WITHDRAW[role]
    req.refresh_from_db()
    assert req.status == MentoringRequest.Status.OPEN


def test_the_mentee_withdraws_once(world):
    from tests.api.conftest import ApiClient, token_for

    req = MentoringRequest.objects.create(mentee=world.author, goals="Learn")
    mentee = ApiClient(token_for(world.author))
    first = mentee.post(f"/api/v1/mentoring/requests/{req.pk}/withdraw/")
    assert first.status_code == 200 and first.json()["status"] == "withdrawn"
    again = mentee.post(f"/api/v1/mentoring/requests/{req.pk}/withdraw/")
    assert again.status_code == 200
