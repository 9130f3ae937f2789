"""The home page panel and the demo data."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from communities import demo
from communities.models import Community, Membership
from members import demo as members_demo
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_panel_lists_my_communities_by_recent_activity(member_client, member):
    quiet = CommunityFactory(
        name="Quiet One", last_activity_at=timezone.now() - timedelta(days=30)
    )
    busy = CommunityFactory(name="Busy One", last_activity_at=timezone.now())
    CommunityFactory(name="Not Mine")
    for community in (quiet, busy):
        MembershipFactory(user=member, community=community)
    html = member_client.get(reverse("home")).content.decode()
    assert "Your communities" in html
    assert html.index("Busy One") < html.index("Quiet One")
    assert "Not Mine" not in html


def test_home_panel_empty_state_points_to_the_list(member_client):
    html = member_client.get(reverse("home")).content.decode()
    assert "You have not joined a community yet" in html
    assert reverse("communities:list") in html


def test_declining_from_home_returns_home(member_client, member):
    community = CommunityFactory(name="Invited Here")
    MembershipFactory(user=member, community=community, status="invited")
    html = member_client.get(reverse("home")).content.decode()
    assert "Invitations waiting" in html and "Invited Here" in html
    response = member_client.post(
        reverse("communities:invitation_decline", kwargs={"slug": community.slug}),
        {"next": reverse("home")},
    )
    assert response["Location"] == reverse("home")
    assert Membership.objects.get(user=member).status == "declined"


def test_demo_is_rich_and_idempotent():
    out = io.StringIO()
    members_demo.seed(out)
    demo.seed(out)
    counts = (Community.objects.count(), Membership.objects.count())
    demo.seed(out)
    assert (Community.objects.count(), Membership.objects.count()) == counts
    assert Community.objects.count() == 8
    assert Community.objects.filter(visibility="private").count() >= 2
    active = Membership.objects.filter(status="active")
    assert set(active.values_list("user__leadership_role", flat=True)) == set(
        LeadershipRole.values
    )
    assert Membership.objects.filter(status="pending").exists()
    assert Membership.objects.filter(status="invited").exists()
    for community in Community.objects.all():
        assert community.memberships.filter(role="steward", status="active").exists()
    assert active.filter(joined_at__gte=timezone.now() - timedelta(days=90)).exists()
    assert active.filter(joined_at__lte=timezone.now() - timedelta(days=180)).exists()
    assert Community.objects.get(slug="shift-handover-practice").description_html


def test_seed_demo_command_runs_twice():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Community.objects.filter(name="Executive Thinking Partners").exists()
