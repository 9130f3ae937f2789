"""The member's home page gathers every app's panel; its query count stays
flat as a member's communities, questions and mentoring grow."""

import pytest

from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, PairFactory

# session, user, unread badge; communities (communities, invitations, their
# count once there are more than the panel shows);
# knowledge (expertise, questions you could answer, latest; on a cold cache
# also the expertise tags' open questions); mentoring
# (proposals, active pairs); journeys (open 90-day plans).
HOME_QUERIES = 12


def _grow(member, size):
    for _ in range(size):
        community = CommunityFactory()
        MembershipFactory(user=member, community=community)
        MembershipFactory(user=member, status="invited", joined_at=None)
        ItemFactory(community=community, kind=ItemKind.QUESTION, tags=["lean"])
        ItemFactory(community=community, kind=ItemKind.STORY)
        PairFactory(request=MentoringRequestFactory(mentee=member), active=True)
        PairFactory(mentor=member)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 12])
def test_home_page_queries_do_not_grow(client, size, django_assert_max_num_queries):
    member = UserFactory(expertise=["lean"])
    _grow(member, size)
    client.force_login(member)
    # The first view also reads each expertise tag's open questions (one
    # query for all tags), cached until a change to an item of the tag.
    with django_assert_max_num_queries(HOME_QUERIES + 1):
        client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    # Every panel is on the page.
    for template in (
        "communities/_home_panel.html",
        "knowledge/_home_panel.html",
        "mentoring/_home_panel.html",
    ):
        assert template in [t.name for t in response.templates]
    assert "What we learned" in html


@pytest.mark.django_db
def test_a_visitor_sees_what_practica_is_and_how_to_get_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "/accounts/signup/" in response.content.decode()
    assert "home_visitor.html" in [t.name for t in response.templates]
