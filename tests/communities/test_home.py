"""The home page panel of my communities."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
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
