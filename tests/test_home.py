"""The member's home page gathers every app's panel; its query count stays
flat as a member's communities, questions and mentoring grow."""

import pytest

from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, PairFactory

# session, user, unread badge; communities (communities, invitations);
# knowledge (the member's communities, expertise, the rows of both lists).
# Mentoring's and journeys' panels and which items knowledge's lists hold
# come from the cache.
HOME_QUERIES = 8
# On a cold cache also: knowledge's expertise tags' open questions, the
# questions you could answer and the latest items; mentoring's proposals and
# active pairs; journeys' open 90-day plans.
HOME_QUERIES_COLD = HOME_QUERIES + 6


def _grow(member, size):
    inviter = UserFactory(display_name="Ivy Inviter")
    for _ in range(size):
        community = CommunityFactory()
        MembershipFactory(user=member, community=community)
        MembershipFactory(
            user=member, status="invited", joined_at=None, invited_by=inviter
        )
        ItemFactory(community=community, kind=ItemKind.QUESTION, tags=["lean"])
        ItemFactory(community=community, kind=ItemKind.STORY)
        PairFactory(request=MentoringRequestFactory(mentee=member), active=True)
        PairFactory(mentor=member)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("size", "invitations_counted"),
    # Invitations are counted once there are more than the panel shows.
    [(1, 0), (12, 1)],
)
def test_home_page_queries_do_not_grow(
    client, size, invitations_counted, django_assert_num_queries
):
    member = UserFactory(expertise=["lean"])
    _grow(member, size)
    client.force_login(member)
    with django_assert_num_queries(HOME_QUERIES_COLD + invitations_counted):
        client.get("/")
    with django_assert_num_queries(HOME_QUERIES + invitations_counted):
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
    assert "from Ivy Inviter" in html


@pytest.mark.django_db
def test_a_visitor_sees_what_practica_is_and_how_to_get_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "/accounts/signup/" in response.content.decode()
    assert "home_visitor.html" in [t.name for t in response.templates]
