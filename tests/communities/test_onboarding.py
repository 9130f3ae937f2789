"""The first visit: a welcome (not "welcome back"), what you know and want to
learn, the communities that match, one-click join, then the community's own
checklist."""

import pytest
from django.urls import reverse

from communities.models import Membership
from members.models import User
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

WELCOME = "onboarding:welcome"


@pytest.fixture
def newcomer(db):
    return UserFactory(display_name="Nina Newcomer", onboarded_at=None)


@pytest.fixture
def topics(db):
    lean = CommunityFactory(name="Lean on the Shop Floor", tags=["lean"])
    safety = CommunityFactory(name="Safety First", tags=["safety", "lean"])
    CommunityFactory(name="Gardening Club", tags=["gardening"])
    # A private community's topics are its insides: they never find it...
    CommunityFactory(name="Board Room", private=True, tags=["lean"])
    # ...its listed name and purpose may.
    circle = CommunityFactory(
        name="Lean Leaders' Circle", private=True, tags=["secret-topic"]
    )
    return {"lean": lean, "safety": safety, "circle": circle}


def test_a_first_visit_is_a_welcome_with_a_way_in(client, newcomer):
    client.force_login(newcomer)
    html = client.get(reverse("home")).content.decode()
    assert "Welcome to Practica, Nina Newcomer" in html
    assert "Welcome back" not in html
    assert newcomer.username not in html.replace(f"/members/{newcomer.username}/", "")
    assert reverse(WELCOME) in html


def test_a_returning_member_is_welcomed_back(client, member):
    client.force_login(member)
    assert "Welcome back" in client.get(reverse("home")).content.decode()


def test_signing_up_leads_to_the_welcome(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "María López",
            "email": "maria.lopez@example.com",
            "password1": "a-long-practice-password-42",
            "password2": "a-long-practice-password-42",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(WELCOME)
    user = User.objects.get(email="maria.lopez@example.com")
    assert user.onboarded_at is None
    html = client.get(response["Location"]).content.decode()
    assert "Welcome to Practica, María López" in html


def test_a_name_made_from_the_email_never_shows_the_handle(db):
    user = User.objects.create_user(email="maria.lopez@example.com", password="x")
    assert user.display_name == "Maria Lopez"


def test_picking_topics_shows_matching_communities_first(client, newcomer, topics):
    client.force_login(newcomer)
    response = client.post(
        reverse(WELCOME), {"expertise": "Lean", "interests": "safety"}
    )
    assert response.status_code == 302
    assert sorted(t.name for t in newcomer.expertise.all()) == ["lean"]
    assert sorted(t.name for t in newcomer.interests.all()) == ["safety"]
    page = client.get(reverse(WELCOME))
    names = [c.name for c in page.context["communities"]]
    # Two topics in common first; the private circle by its listed name.
    assert names[0] == "Safety First"
    assert set(names) == {
        "Safety First",
        "Lean on the Shop Floor",
        "Lean Leaders' Circle",
    }
    assert "Board Room" not in page.content.decode()
    assert "Gardening Club" not in names
    html = page.content.decode()
    # Every repeated button names its community.
    assert 'Join<span class="visually-hidden"> Lean on the Shop Floor</span>' in html
    assert 'Ask to join<span class="visually-hidden"> Lean Leaders&#x27; Circle' in html


def test_with_no_topics_the_busiest_open_communities_are_offered(
    client, newcomer, topics
):
    client.force_login(newcomer)
    names = [c.name for c in client.get(reverse(WELCOME)).context["communities"]]
    assert "Board Room" not in names and "Lean Leaders' Circle" not in names
    assert "Lean on the Shop Floor" in names


def test_too_many_tags_keep_what_was_typed(client, newcomer):
    client.force_login(newcomer)
    typed = ", ".join(f"topic {i}" for i in range(12))
    response = client.post(reverse(WELCOME), {"expertise": typed})
    assert response.status_code == 200
    assert "topic 11" in response.content.decode()
    assert not newcomer.expertise.exists()


def test_one_click_join_comes_back_to_the_welcome(client, newcomer, topics):
    newcomer.expertise.set(["lean"])
    client.force_login(newcomer)
    welcome = reverse(WELCOME) + "#communities"
    response = client.post(
        reverse("communities:join", kwargs={"slug": topics["lean"].slug}),
        {"next": welcome},
    )
    assert response["Location"] == welcome
    assert Membership.objects.get(user=newcomer, community=topics["lean"]).is_active
    response = client.post(
        reverse("communities:request", kwargs={"slug": topics["circle"].slug}),
        {"next": welcome},
    )
    assert response["Location"] == welcome
    assert Membership.objects.get(user=newcomer, community=topics["circle"]).is_pending
    html = client.get(reverse(WELCOME)).content.decode()
    assert "Joined" in html and "Your request is with the stewards." in html


def test_finishing_continues_with_the_communitys_checklist(client, newcomer, topics):
    client.force_login(newcomer)
    client.post(reverse("communities:join", kwargs={"slug": topics["lean"].slug}))
    response = client.post(reverse("onboarding:done"))
    assert response["Location"] == topics["lean"].get_absolute_url()
    newcomer.refresh_from_db()
    assert newcomer.onboarded_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Getting started" in html
    assert "Welcome back" in client.get(reverse("home")).content.decode()


def test_finishing_without_a_community_goes_home(client, newcomer):
    client.force_login(newcomer)
    assert client.post(reverse("onboarding:done"))["Location"] == reverse("home")


ACTORS = ["anonymous", "outsider", "member", "private_member", "steward", "staff"]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("name", ["onboarding:welcome", "onboarding:done"])
def test_the_welcome_is_for_any_signed_in_member(client, topics, actor, name):
    people = {
        "outsider": lambda: UserFactory(),
        "member": lambda: MembershipFactory(community=topics["lean"]).user,
        "private_member": lambda: MembershipFactory(community=topics["circle"]).user,
        "steward": lambda: (
            MembershipFactory(community=topics["lean"], steward=True).user
        ),
        "staff": lambda: UserFactory(is_staff=True),
    }
    if actor != "anonymous":
        client.force_login(people[actor]())
    response = (
        client.get(reverse(name)) if name == WELCOME else client.post(reverse(name))
    )
    if actor == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (200 if name == WELCOME else 302)


def test_the_done_step_refuses_get(client, newcomer):
    client.force_login(newcomer)
    assert client.get(reverse("onboarding:done")).status_code == 405


@pytest.mark.parametrize("size", [2, 12])
def test_welcome_queries_do_not_grow(client, newcomer, size, django_assert_num_queries):
    for i in range(size):
        community = CommunityFactory(tags=["lean", f"topic-{i}"])
        MembershipFactory(community=community)
    newcomer.expertise.set(["lean"])
    client.force_login(newcomer)
    # session, user, unread badge, expertise, interests, form initial (x2),
    # communities, their tags, popular tags
    with django_assert_num_queries(WELCOME_QUERIES):
        response = client.get(reverse(WELCOME))
    assert len(response.context["communities"]) == size


WELCOME_QUERIES = 10
