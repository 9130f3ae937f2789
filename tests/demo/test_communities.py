"""demo.communities: eight communities through communities.services, with
stewards, every leadership role, requests, an invitation and newcomers."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from demo import communities as demo
from demo import people as members_demo
from members.models import LeadershipRole

pytestmark = pytest.mark.django_db


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
