"""The list and the community page cost the same number of queries whatever
the number of communities, members and tags (pinned exactly, at two sizes)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import AdoptionFactory, ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
ROLES = list(LeadershipRole)

# session, user, unread badge, count, page, the cards' topics, the viewer's
# visible communities (the key of the cached topic filter)
LIST_QUERIES = 7
# + the topic filter itself, on a cold cache
LIST_QUERIES_COLD = 8
# session, user, badge, community, membership, the viewer's follow of it
# (knowledge's follow form), the knowledge feed panel's page of items, and
# which of the communities that adopted its items the viewer may see, for
# the practice balance panel's stick rate (knowledge.panels.
# practice_balance_panel; no adoptions, no such question). The people part
# (stewards, role counters, role sample; communities.people), the topics,
# the balance and the stick rate's outcomes per adopting community are
# cache reads ...
DETAIL_QUERIES = 8
# ... or, on a cold cache or after a change, six queries more (the people
# part 3, the topics 1, the balance 1, the stick rate's outcomes 1).
DETAIL_QUERIES_COLD = DETAIL_QUERIES + 6
# + newcomers (count, recent, quiet) and pending count for stewards
STEWARD_EXTRA = 4


def _populate(size, viewer):
    communities = []
    for i in range(size):
        community = CommunityFactory(private=i % 3 == 0, tags=[f"t{i}", "shared"])
        MembershipFactory(community=community, steward=True)
        MembershipFactory.create_batch(
            2, community=community, joined_at=timezone.now() - timedelta(days=i)
        )
        communities.append(community)
    for community in communities[::2]:
        MembershipFactory(community=community, user=viewer)
    MembershipFactory(community=communities[-1], user=UserFactory(), pending=True)
    return communities


@pytest.mark.parametrize("size", [3, 18])
@pytest.mark.parametrize("warm", [False, True])
def test_list_queries_do_not_grow(
    client, member, size, warm, django_assert_num_queries
):
    _populate(size, member)
    client.force_login(member)
    if warm:
        client.get(reverse("communities:list"), {"sort": "size"})
    with django_assert_num_queries(LIST_QUERIES if warm else LIST_QUERIES_COLD):
        response = client.get(reverse("communities:list"), {"sort": "size"})
    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [2, 40])
@pytest.mark.parametrize("as_steward", [False, True])
@pytest.mark.parametrize("warm", [False, True])
@pytest.mark.parametrize("adopted", [False, True])
def test_community_page_queries_do_not_grow(
    client, size, as_steward, warm, adopted, django_assert_num_queries
):
    """The same count at both sizes, on a cold cache (the people part
    computed) and a warm one (read from the cache); one query less when
    none of its items has been adopted elsewhere."""
    community = CommunityFactory(tags=["lean", "safety"])
    viewer = MembershipFactory(community=community, steward=as_steward).user
    MembershipFactory(community=community, steward=True)
    for i in range(size):
        MembershipFactory(
            community=community,
            user=UserFactory(leadership_role=ROLES[i % len(ROLES)]),
            joined_at=timezone.now() - timedelta(days=i * 5),
        )
    MembershipFactory(community=community, pending=True)
    if adopted:
        practice = ItemFactory(community=community, kind="practice")
        for i in range(size):
            AdoptionFactory(item=practice, community=CommunityFactory(private=i % 2))
    client.force_login(viewer)
    if warm:
        client.get(community.get_absolute_url())
    limit = DETAIL_QUERIES if warm else DETAIL_QUERIES_COLD
    limit += STEWARD_EXTRA if as_steward else 0
    limit -= 0 if adopted else 1
    with django_assert_num_queries(limit):
        response = client.get(community.get_absolute_url())
    assert response.context["people"].total == size + 2
    if adopted:
        # Only the open half of the adopting communities counts for the viewer.
        assert f"no outcome known yet; {size // 2} not yet known" in response.text


@pytest.mark.parametrize("size", [3, 60])
def test_members_page_queries_do_not_grow(client, size, django_assert_num_queries):
    community = CommunityFactory()
    viewer = MembershipFactory(community=community, steward=True).user
    MembershipFactory.create_batch(size, community=community)
    client.force_login(viewer)
    # session, user, badge, community, membership, count, page
    with django_assert_num_queries(7):
        client.get(reverse("communities:members", kwargs={"slug": community.slug}))


@pytest.mark.parametrize("size", [1, 12])
def test_home_panel_queries_do_not_grow(
    rf, member, size, django_assert_max_num_queries
):
    """The communities panel of the home page (the whole page is pinned in
    tests/test_home.py): communities, invitations (+ a count when many)."""
    from communities.home import panel

    for _ in range(size):
        MembershipFactory(user=member)
        MembershipFactory(user=member, status="invited", joined_at=None)
    request = rf.get("/")
    request.user = member
    with django_assert_max_num_queries(3):
        result = panel(request)
    assert len(result["communities"]) == min(size, 6)
    assert result["invitation_count"] == size
