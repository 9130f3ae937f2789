"""Every list endpoint costs the same number of queries whatever the size of
the page: pinned at two sizes. (A token's first use in a minute adds one
write, its last_used_at; the warm-up request takes it.)"""

import pytest

from communities import services as communities
from knowledge import services as knowledge
from mentoring.models import MentoringRequest
from notifications.services import notify
from tests.api.conftest import ApiClient, token_for
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def grow(world, n: int):
    """n more of everything the lists show."""
    steward = world.people["steward"]
    manager = world.people["manager"]
    for i in range(n):
        community = CommunityFactory(name=f"Guild {i}", slug=f"guild-{i}", tags=["x"])
        MembershipFactory(user=steward, community=community)
        communities.community_join(acting_user=manager, community=community)
        item = knowledge.item_create(
            author=steward,
            community=world.open,
            kind="story",
            title=f"Story {i}",
            body="A story about welding.",
            tags=["welding", f"t{i}"],
        )
        knowledge.reply_create(item=world.open_item, author=steward, body=f"R {i}")
        UserFactory(expertise=["welding", f"e{i}"])
        MentoringRequest.objects.create(mentee=manager, goals=f"G {i}").topics.set(
            [f"t{i}", "x"]
        )
        notify(recipient=manager, kind="t", message=f"N {i}", url="/", actor=steward)
        assert item


# Each count starts with the token's lookup (with its member).
ENDPOINTS = {
    # the page, its topics
    "/api/v1/communities/": 3,
    "/api/v1/items/": 2,
    # the community (access) and the caller's membership, the page
    "/api/v1/items/?community=welders&kind=story&tag=welding": 4,
    # the item's community slug, the item, the membership, the page
    "replies": 5,
    "/api/v1/tags/?q=t": 2,
    # the ranked ids, the page's rows with their headlines
    "/api/v1/search/?q=welding": 3,
    # the page, its expertise tags
    "/api/v1/members/": 3,
    # the page, its topics
    "/api/v1/mentoring/requests/": 3,
    "/api/v1/mentoring/requests/?queue=broker": 3,
    "/api/v1/notifications/": 2,
}


@pytest.mark.parametrize("path", list(ENDPOINTS))
@pytest.mark.parametrize("size", [2, 7])
def test_list_queries_are_pinned(world, path, size, django_assert_num_queries):
    grow(world, size)
    client = ApiClient(token_for(world.people["manager"]))
    client.get("/api/v1/members/me-warm-up/")  # notes the token's first use
    url = path
    if path == "replies":
        url = f"/api/v1/items/{world.open_item.pk}/replies/"
    with django_assert_num_queries(ENDPOINTS[path]):
        response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    rows = body if isinstance(body, list) else body["results"]
    assert len(rows) >= min(size, 2)
