"""The exclusion radar: join requests left waiting, the status gap, silent
units and locations, members whose last five posts nobody answered. Each
figure on a constructed organisation with a known answer."""

from datetime import timedelta

import pytest
from django.urls import reverse

from dashboards import exclusion
from dashboards.periods import preset_period
from dashboards.scope import Scope
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, item, member_of, question, reply
from tests.dashboards.test_views import csv_rows, page_rows
from tests.knowledge.factories import ReplyFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

RADAR_TABLES = ["join_waiting", "status_gap", "silent_places", "unheard"]


def dashboard_url(community):
    return reverse("dashboards:community", kwargs={"slug": community.slug})


def answered_after(community, asker, hours, *, by):
    asked = question(community, asker, days=10)
    ReplyFactory(
        item=asked, author=by, created_at=asked.created_at + timedelta(hours=hours)
    )
    return asked


# --- Join requests ------------------------------------------------------------


def test_join_requests_waiting_over_a_week_are_listed_per_steward(community):
    sia = member_of(community, user=UserFactory(display_name="Sia"), steward=True)
    member_of(community, user=UserFactory(display_name="Sol"), steward=True)
    MembershipFactory(community=community, pending=True, created_at=days_ago(9))
    MembershipFactory(community=community, pending=True, created_at=days_ago(12))
    MembershipFactory(community=community, pending=True, created_at=days_ago(3))
    elsewhere = CommunityFactory()
    member_of(elsewhere, steward=True)
    MembershipFactory(community=elsewhere, pending=True, created_at=days_ago(2))

    rows = list(
        exclusion.join_requests_waiting(Scope.organisation(), preset_period(30).end)
    )

    assert [(m.user.display_name, m.waiting) for m in rows] == [("Sia", 2), ("Sol", 2)]
    assert rows[0].oldest_request_at.date() == days_ago(12).date()
    assert sia.community == community


# --- The status gap -------------------------------------------------------------


def test_status_gap_compares_median_waits_and_flags_above_twice(community):
    helper = UserFactory()
    member = UserFactory()
    leader = UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    answered_after(community, member, 10, by=helper)
    answered_after(community, member, 30, by=helper)
    question(community, member, days=5)  # never answered: asked, no wait
    answered_after(community, leader, 2, by=helper)
    answered_after(community, leader, 6, by=helper)
    calm = CommunityFactory(name="Calm")
    answered_after(calm, member, 5, by=helper)
    answered_after(calm, leader, 4, by=helper)

    gaps = exclusion.status_gaps(Scope.organisation(), preset_period(30))

    overall, first, second = gaps
    assert overall.community is None
    assert first.community.name == community.name
    assert first.asked_by_members == 3
    assert first.median_members == timedelta(hours=20)
    assert first.median_leaders == timedelta(hours=4)
    assert first.ratio == pytest.approx(5.0)
    assert first.flagged
    assert second.community.name == "Calm"
    assert second.ratio == pytest.approx(1.25)
    assert not second.flagged
    assert overall.median_members == timedelta(hours=10)
    assert overall.median_leaders == timedelta(hours=4)


def test_status_gap_reads_on_the_community_dashboard(steward_client, community):
    helper = UserFactory()
    answered_after(community, UserFactory(), 30, by=helper)
    answered_after(
        community, UserFactory(leadership_role=LeadershipRole.LINE_LEADER), 3, by=helper
    )

    response = steward_client.get(dashboard_url(community))

    (row,) = page_rows(response.text, "status_gap")
    assert row == [
        "Lean Operations",
        "1",
        "30 hours",
        "1",
        "3 hours",
        "10.0×",
        "Members without a role wait over 2× as long",
    ]


# --- Silent units and locations -------------------------------------------------


def test_units_and_locations_with_members_but_no_contributions(community):
    night = [
        member_of(community, user=UserFactory(business_unit="Night shift")).user
        for _ in range(2)
    ]
    day = member_of(
        community, user=UserFactory(business_unit="Day shift", location="Leeds")
    ).user
    member_of(community, user=UserFactory(location="Porto"))
    item(community, day, days=3)
    item(community, night[0], days=45)  # before the period
    outsider = UserFactory(business_unit="Elsewhere")
    member_of(CommunityFactory(), user=outsider)

    places = exclusion.silent_places(Scope.community(community), preset_period(30))

    assert [(p.kind, p.name, p.members) for p in places] == [
        ("business_unit", "Night shift", 2),
        ("location", "Porto", 1),
    ]


# --- Members nobody answers -----------------------------------------------------


def test_members_whose_last_five_posts_got_no_response(community):
    unheard = member_of(community, user=UserFactory(display_name="Una")).user
    heard = member_of(community, user=UserFactory(display_name="Hal")).user
    few = member_of(community, user=UserFactory(display_name="Fay")).user
    for k in range(6):
        reply(item(community, unheard, days=k + 1), unheard)  # own replies only
        posted = item(community, heard, days=k + 1)
        if k == 4:
            reply(posted, unheard)
    old_answered = item(community, unheard, days=60)
    reply(old_answered, heard)  # the sixth-latest post: not among the last five
    for k in range(4):
        item(community, few, days=k + 1)

    users = list(
        exclusion.unheard_members(Scope.community(community), preset_period(30))
    )

    assert [u.display_name for u in users] == ["Una"]
    assert users[0].latest_post_at.date() == days_ago(1).date()


# --- Who sees the radar ---------------------------------------------------------


@pytest.mark.parametrize("table", RADAR_TABLES)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("member", 403),
        ("member_of_another_private", 404),
        ("steward", 200),
        ("manager", 404),
        ("staff", 200),
    ],
)
def test_radar_csv_of_a_private_community_is_for_its_stewards_and_staff(
    client, who, status, table
):
    community = CommunityFactory(private=True)
    user = UserFactory(
        is_staff=who == "staff",
        leadership_role=LeadershipRole.EXECUTIVE
        if who == "manager"
        else LeadershipRole.NONE,
    )
    if who == "member":
        MembershipFactory(user=user, community=community)
    elif who == "member_of_another_private":
        MembershipFactory(user=user, community=CommunityFactory(private=True))
    elif who == "steward":
        MembershipFactory(user=user, community=community, steward=True)
    if who != "anonymous":
        client.force_login(user)

    response = client.get(dashboard_url(community), {"format": "csv", "table": table})

    assert response.status_code == status


def test_radar_csv_equals_the_page(steward_client, community):
    MembershipFactory(community=community, pending=True, created_at=days_ago(8))
    member_of(community, user=UserFactory(location="Porto"))
    quiet = member_of(community).user
    for k in range(5):
        item(community, quiet, days=k + 2)
    answered_after(community, quiet, 5, by=UserFactory())

    page = steward_client.get(dashboard_url(community))

    for table in RADAR_TABLES:
        rows = csv_rows(
            steward_client.get(
                dashboard_url(community), {"format": "csv", "table": table}
            )
        )
        assert rows[1:] == page_rows(page.text, table), table
        assert len(rows) > 1, table
