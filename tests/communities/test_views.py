"""Community flows end to end through the client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from members.models import LeadershipRole
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

Status = Membership.Status
pytestmark = pytest.mark.django_db

# The destructive actions act only once confirmed (members.confirm).
CONFIRMED = {"confirmed": "yes"}


def url(name, community=None, **kwargs):
    if community is not None:
        kwargs["slug"] = community.slug
    return reverse(f"communities:{name}", kwargs=kwargs)


def _m(user, community):
    return Membership.objects.get(user=user, community=community)


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# --- Create ------------------------------------------------------------------


def test_create_makes_the_creator_steward_and_redirects_to_the_page(
    member_client, member
):
    response = member_client.post(
        url("create"),
        {
            "name": "Customer Escalations",
            "purpose": "Solving hard cases.",
            "description": "# Hello",
            "tags": "support, escalations",
            "visibility": "open",
        },
        follow=True,
    )
    community = Community.objects.get(name="Customer Escalations")
    assert response.redirect_chain[-1][0] == community.get_absolute_url()
    assert community.slug == "customer-escalations"
    assert _m(member, community).is_steward
    assert "You are its steward" in response.content.decode()


def test_create_with_a_chosen_slug(member_client):
    member_client.post(
        url("create"),
        {
            "name": "Lean",
            "slug": "lean-shop-floor",
            "purpose": "p",
            "visibility": "private",
        },
    )
    community = Community.objects.get(name="Lean")
    assert community.slug == "lean-shop-floor" and community.is_private


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "shift HANDOVER practice"}, "name", "already exists"),
        ({"name": ""}, "name", "Give the community a name."),
        ({"name": "   "}, "name", "Give the community a name."),
        ({"slug": "taken"}, "slug", "is taken"),
        ({"slug": "new"}, "slug", "reserved"),
        ({"slug": "not a slug!"}, "slug", "Enter a valid"),
        ({"purpose": ""}, "purpose", "Say in one line"),
        ({"name": "x" * 121}, "name", "at most 120"),
        ({"visibility": "secret"}, "visibility", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(
    member_client, data, field, message
):
    CommunityFactory(name="Shift Handover Practice", slug="taken")
    typed = {
        "name": "Onboarding Newcomers",
        "slug": "",
        "purpose": "Drawing new people in.",
        "description": "Typed *description* stays",
        "tags": "onboarding",
        "visibility": "open",
        **data,
    }
    response = member_client.post(url("create"), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in e for e in form.errors[field]), form.errors
    html = response.content.decode()
    assert "Typed *description* stays" in html
    assert 'aria-invalid="true"' in html
    if data.get("name", "").strip():
        assert f'value="{typed["name"]}"' in html
    assert Community.objects.count() == 1


# --- Join, request, leave ------------------------------------------------------------


def test_join_open_then_welcome_panel(member_client, member):
    community = CommunityFactory(name="Lean on the Shop Floor")
    steward = MembershipFactory(community=community, steward=True).user
    response = member_client.post(url("join", community), follow=True)
    assert _m(member, community).is_active
    html = response.content.decode()
    assert "Welcome to Lean on the Shop Floor!" in html
    assert steward.display_name in html
    assert "Introduce yourself" in html
    assert "Find a peer or mentor" in html


def test_joining_twice_is_harmless(member_client, member):
    community = CommunityFactory()
    first = member_client.post(url("join", community))
    joined_at = _m(member, community).joined_at
    second = member_client.post(url("join", community))
    assert first.status_code == second.status_code == 302
    assert Membership.objects.filter(community=community).count() == 1
    assert _m(member, community).joined_at == joined_at


def test_request_private_twice_tells_stewards_once(member_client, member):
    community = CommunityFactory(private=True)
    steward = MembershipFactory(community=community, steward=True).user
    response = member_client.post(url("request", community), follow=True)
    member_client.post(url("request", community))
    assert _m(member, community).status == Status.PENDING
    assert Notification.objects.filter(recipient=steward).count() == 1
    assert "is with its stewards" in response.content.decode()
    # Still only name and purpose for the requester: the inside stays closed.
    assert member_client.get(community.get_absolute_url()).status_code == 404
    listing = member_client.get(url("list")).content.decode()
    assert "Request pending" in listing


def test_steward_approves_a_request_and_the_member_gets_in(client, world):
    pending = _m(world.pending, world.private)
    client.force_login(world.steward)
    settings_page = client.get(url("settings", world.private)).content.decode()
    assert "Pat Pending" in settings_page
    client.post(url("approve", world.private, pk=pending.pk))
    note = Notification.objects.get(recipient=world.pending)
    assert note.kind == "communities.approved"
    assert note.url == world.private.get_absolute_url()
    client.force_login(world.pending)
    assert client.get(world.private.get_absolute_url()).status_code == 200


def test_steward_declines_a_request(client, world):
    pending = _m(world.pending, world.private)
    client.force_login(world.steward)
    client.post(url("decline", world.private, pk=pending.pk))
    pending.refresh_from_db()
    assert pending.status == Status.DECLINED
    assert Notification.objects.filter(
        recipient=world.pending, kind="communities.declined"
    ).exists()


def test_requester_withdraws(client, world):
    client.force_login(world.pending)
    response = client.post(url("leave", world.private), CONFIRMED, follow=True)
    assert _m(world.pending, world.private).status == Status.LEFT
    assert "withdrawn" in response.content.decode()


def test_member_leaves(client, world):
    client.force_login(world.member)
    client.post(url("leave", world.open), CONFIRMED)
    assert _m(world.member, world.open).status == Status.LEFT
    # Leaving again is harmless.
    assert client.post(url("leave", world.open), CONFIRMED).status_code == 302


def test_last_steward_cannot_leave_and_is_told_how_to_hand_over(client, world):
    client.force_login(world.steward)
    page = client.get(world.open.get_absolute_url()).content.decode()
    assert "You are the only steward" in page
    response = client.post(url("leave", world.open), CONFIRMED, follow=True)
    assert _m(world.steward, world.open).is_steward
    assert any("last steward" in m for m in _messages(response))


def test_removed_member_cannot_rejoin_an_open_community_directly(client, world):
    membership = _m(world.member, world.open)
    client.force_login(world.steward)
    client.post(url("remove", world.open, pk=membership.pk), CONFIRMED)
    client.force_login(world.member)
    response = client.post(url("join", world.open), follow=True)
    assert _m(world.member, world.open).status == Status.REMOVED
    assert any("ask to join again" in m for m in _messages(response))


# --- Invitations ------------------------------------------------------------------


def test_invite_accept_flow(client, world):
    client.force_login(world.steward)
    response = client.post(
        url("invite", world.private), {"who": world.outsider.email.upper()}, follow=True
    )
    assert any("is invited" in m for m in _messages(response))
    assert _m(world.outsider, world.private).status == Status.INVITED
    note = Notification.objects.get(recipient=world.outsider)
    assert note.url == url("invitations")
    client.force_login(world.outsider)
    page = client.get(url("invitations")).content.decode()
    assert "People Leaders" in page and "Sue Steward invited you" in page
    home = client.get(reverse("home")).content.decode()
    assert "Invitations waiting" in home
    response = client.post(url("invitation_accept", world.private), follow=True)
    assert response.redirect_chain[-1][0] == world.private.get_absolute_url()
    assert _m(world.outsider, world.private).is_active


def test_invite_decline_flow(client, world):
    client.force_login(world.steward)
    client.post(url("invite", world.open), {"who": world.outsider.username})
    client.force_login(world.outsider)
    client.post(url("invitation_decline", world.open))
    assert _m(world.outsider, world.open).status == Status.DECLINED
    assert client.get(url("invitations")).context["invitations"].paginator.count == 0


def test_invite_unknown_person_gets_a_clear_message(client, world):
    client.force_login(world.steward)
    response = client.post(
        url("invite", world.open), {"who": "nobody@nowhere.test"}, follow=True
    )
    assert any("Nobody called" in m for m in _messages(response))
    assert Membership.objects.filter(community=world.open).count() == 2


def test_cancel_an_invitation(client, world):
    client.force_login(world.steward)
    client.post(url("invite", world.open), {"who": world.outsider.email})
    invitation = _m(world.outsider, world.open)
    client.post(url("remove", world.open, pk=invitation.pk), CONFIRMED)
    invitation.refresh_from_db()
    assert invitation.status == Status.DECLINED


# --- Roles --------------------------------------------------------------------------


def test_promote_then_demote_from_the_members_page(client, world):
    membership = _m(world.member, world.open)
    client.force_login(world.steward)
    members_page = client.get(url("members", world.open)).content.decode()
    assert "Make steward" in members_page
    back = url("members", world.open) + "?page=1"
    response = client.post(url("promote", world.open, pk=membership.pk), {"next": back})
    assert response["Location"] == back
    membership.refresh_from_db()
    assert membership.is_steward
    client.post(url("demote", world.open, pk=membership.pk))
    membership.refresh_from_db()
    assert not membership.is_steward


def test_demoting_the_last_steward_is_refused_with_a_message(client, world):
    steward = _m(world.steward, world.open)
    client.force_login(world.staff)
    response = client.post(url("demote", world.open, pk=steward.pk), follow=True)
    steward.refresh_from_db()
    assert steward.is_steward
    assert any("last steward" in m for m in _messages(response))


def test_next_must_be_local(client, world):
    membership = _m(world.member, world.open)
    client.force_login(world.steward)
    response = client.post(
        url("promote", world.open, pk=membership.pk), {"next": "https://evil.test/"}
    )
    assert response["Location"] == url("settings", world.open)


# --- Settings and archive -------------------------------------------------------------


def test_steward_edits_the_community(client, world):
    world.open.tags.set(["safety"])
    client.force_login(world.steward)
    form = client.get(url("settings", world.open)).content.decode()
    assert 'value="Shift Handover Practice"' in form
    assert 'value="shift-handover"' in form and 'value="safety"' in form
    response = client.post(
        url("settings", world.open),
        {
            "name": "Shift Handover",
            "slug": "handover",
            "purpose": "New purpose",
            "description": "**Now**",
            "tags": "safety",
            "visibility": "open",
        },
    )
    assert response["Location"] == "/communities/handover/settings/"
    world.open.refresh_from_db()
    assert world.open.name == "Shift Handover"
    assert world.open.description_html == "<p><strong>Now</strong></p>"


def test_edit_keeps_its_own_name_and_rejects_anothers(client, world):
    client.force_login(world.steward)
    data = {
        "name": "SHIFT handover practice",
        "slug": "shift-handover",
        "purpose": "p",
        "visibility": "open",
    }
    assert client.post(url("settings", world.open), data).status_code == 302
    data["name"] = "people leaders' circle"
    response = client.post(url("settings", world.open), data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_archived_community_is_read_only_with_a_banner(client, world):
    client.force_login(world.steward)
    client.post(url("archive", world.open), CONFIRMED)
    client.force_login(world.outsider)
    page = client.get(world.open.get_absolute_url()).content.decode()
    assert "Archived." in page
    assert url("join", world.open) not in page
    response = client.post(url("join", world.open), follow=True)
    assert any("archived" in m for m in _messages(response))
    assert not Membership.objects.filter(user=world.outsider).exists()
    client.force_login(world.steward)
    client.post(
        url("settings", world.open),
        {"name": "Changed", "purpose": "p", "visibility": "open"},
    )
    world.open.refresh_from_db()
    assert world.open.name == "Shift Handover Practice"
    settings_page = client.get(url("settings", world.open)).content.decode()
    assert "Reopen" in settings_page
    client.post(url("reopen", world.open))
    world.open.refresh_from_db()
    assert not world.open.is_archived


# --- The list -------------------------------------------------------------------------


def test_list_shows_mine_first_and_private_ones_by_name_and_purpose_only(client, world):
    CommunityFactory(name="Aardvark Open", last_activity_at=timezone.now())
    secret = CommunityFactory(
        name="Executive Thinking Partners",
        private=True,
        purpose="Thinking partners.",
        description="Secret description",
        tags=["secret-topic"],
    )
    MembershipFactory(community=secret, steward=True)
    client.force_login(world.member)
    response = client.get(url("list"))
    names = [c.name for c in response.context["page"]]
    assert set(names[:2]) == {world.open.name, world.private.name}
    html = response.content.decode()
    assert "Executive Thinking Partners" in html and "Thinking partners." in html
    assert f'href="{secret.get_absolute_url()}"' not in html
    assert "Secret description" not in html
    assert "secret-topic" not in html
    assert "Ask to join" in html


def test_list_search_tag_and_sort(member_client):
    lean = CommunityFactory(name="Lean on the Shop Floor", tags=["lean"])
    CommunityFactory(name="Key Account Selling", purpose="Big lean customers")
    CommunityFactory(name="Systems Thinking Circle")
    MembershipFactory.create_batch(3, community=lean)

    def names(**params):
        response = member_client.get(url("list"), params)
        return [c.name for c in response.context["page"]]

    assert set(names(q="LEAN")) == {"Lean on the Shop Floor", "Key Account Selling"}
    assert names(tag="lean") == ["Lean on the Shop Floor"]
    assert names(sort="size")[0] == "Lean on the Shop Floor"
    assert names(sort="newest")[0] == "Systems Thinking Circle"
    assert len(names(sort="nonsense")) == 3


def test_list_empty_states(member_client):
    assert "No communities yet" in member_client.get(url("list")).content.decode()
    CommunityFactory()
    html = member_client.get(url("list"), {"q": "zzz"}).content.decode()
    assert "No community matches your search" in html


def test_list_is_paginated(member_client, settings):
    settings.PAGE_SIZE = 5
    CommunityFactory.create_batch(7)
    page2 = member_client.get(url("list"), {"page": 2, "sort": "newest"})
    assert len(page2.context["page"].object_list) == 2
    assert "Page 2 of 2" in page2.content.decode()


# --- The community page ---------------------------------------------------------------


def test_page_groups_members_by_leadership_role_and_notes_gaps(member_client):
    community = CommunityFactory()
    line = UserFactory(
        leadership_role=LeadershipRole.LINE_LEADER, display_name="Lou Line"
    )
    MembershipFactory(community=community, user=line, steward=True)
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert "Lou Line" in html
    assert "No executive leader, internal networker yet." in html
    for role in (LeadershipRole.EXECUTIVE, LeadershipRole.NETWORKER):
        MembershipFactory(community=community, user=UserFactory(leadership_role=role))
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert "yet.</strong>" not in html
    assert "Executive leader <small" in html


def test_feed_area_shows_registered_panels_or_an_empty_state(
    member_client, settings, monkeypatch
):
    from members import sections

    # Only this test's provider, not the knowledge feed the real app registers.
    monkeypatch.setitem(sections._entries, "community", [])
    community = CommunityFactory(name="Customer Escalations")
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert 'id="feed"' in html and "Nothing shared here yet" in html

    from pathlib import Path

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "DIRS": [
                *settings.TEMPLATES[0]["DIRS"],
                Path(__file__).parent / "templates",
            ],
        }
    ]

    def provider(request, community, membership):
        return {
            "template": "communities_test/panel.html",
            "community_name": community.name,
        }

    sections.register("community", provider)
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert "Feed panel for Customer Escalations" in html
    assert "Nothing shared here yet" not in html


def test_welcome_checklist_ticks_from_the_membership(client):
    community = CommunityFactory()
    membership = MembershipFactory(community=community)
    client.force_login(membership.user)
    html = client.get(community.get_absolute_url()).content.decode()
    assert html.count("(to do)") == 3
    membership.introduced_at = timezone.now()
    membership.save(update_fields=["introduced_at"])
    html = client.get(community.get_absolute_url()).content.decode()
    assert html.count("(to do)") == 2 and html.count("(done)") == 1
    Membership.objects.filter(pk=membership.pk).update(
        read_helpful_at=timezone.now(), connected_at=timezone.now()
    )
    html = client.get(community.get_absolute_url()).content.decode()
    assert "welcome-panel" not in html


def test_no_welcome_for_long_standing_members(client, settings):
    settings.PRACTICA_NEWCOMER_DAYS = 30
    community = CommunityFactory()
    membership = MembershipFactory(
        community=community, joined_at=timezone.now() - timedelta(days=31)
    )
    client.force_login(membership.user)
    assert (
        "welcome-panel" not in client.get(community.get_absolute_url()).content.decode()
    )


def test_stewards_see_newcomers_and_who_has_not_taken_part(client, world):
    now = timezone.now()
    quiet = MembershipFactory(
        community=world.open,
        user=UserFactory(display_name="Quinn Quiet"),
        joined_at=now - timedelta(days=3),
    )
    MembershipFactory(
        community=world.open,
        user=UserFactory(display_name="Ivy Intro"),
        joined_at=now - timedelta(days=4),
        introduced_at=now,
    )
    MembershipFactory(
        community=world.open,
        user=UserFactory(display_name="Olly Old"),
        joined_at=now - timedelta(days=200),
    )
    client.force_login(world.steward)
    response = client.get(world.open.get_absolute_url())
    newcomers = response.context["newcomers"]
    recent = [m.user.display_name for m in newcomers.recent]
    assert (
        "Quinn Quiet" in recent and "Ivy Intro" in recent and "Olly Old" not in recent
    )
    quiet_names = [m.user.display_name for m in newcomers.quiet]
    assert "Ivy Intro" not in quiet_names and "Olly Old" not in quiet_names
    assert quiet.pk in [m.pk for m in newcomers.quiet]
    assert "Not yet taken part" in response.content.decode()
    client.force_login(world.member)
    assert (
        "Newcomers <small"
        not in client.get(world.open.get_absolute_url()).content.decode()
    )


def test_members_page_filters_and_paginates(client, world):
    for i in range(55):
        MembershipFactory(
            community=world.open, user=UserFactory(display_name=f"Zed {i:02d}")
        )
    MembershipFactory(
        community=world.open,
        user=UserFactory(
            display_name="Nina Networker", leadership_role=LeadershipRole.NETWORKER
        ),
    )
    client.force_login(world.member)
    first = client.get(url("members", world.open))
    assert first.context["page"][0].user == world.steward  # stewards first
    assert first.context["page"].paginator.num_pages == 2
    only = client.get(url("members", world.open), {"role": "networker"})
    assert [m.user.display_name for m in only.context["page"]] == ["Nina Networker"]
    assert "Make steward" not in first.content.decode()
    empty = client.get(url("members", world.open), {"q": "nobody-like-this"})
    assert "Nobody matches" in empty.content.decode()


def test_a_private_communitys_tags_do_not_find_it_for_outsiders(member_client, member):
    secret = CommunityFactory(name="Acquisition Room", private=True, tags=["merger"])
    assert [
        c.name
        for c in member_client.get(url("list"), {"tag": "merger"}).context["page"]
    ] == []
    MembershipFactory(user=member, community=secret)
    found = member_client.get(url("list"), {"tag": "merger"}).context["page"]
    assert [c.name for c in found] == ["Acquisition Room"]


@pytest.mark.parametrize("sort", ["size", "activity"])
def test_hidden_figures_never_order_the_list(member_client, sort):
    """An outsider sees private communities after every community whose
    figures they may see, in name order, however big or busy they are."""
    busy_secret = CommunityFactory(name="B Secret", private=True)
    CommunityFactory(name="A Secret", private=True)
    MembershipFactory.create_batch(5, community=busy_secret)
    CommunityFactory(name="Open Guild")
    found = member_client.get(url("list"), {"sort": sort}).context["page"]
    assert [c.name for c in found] == ["Open Guild", "A Secret", "B Secret"]
