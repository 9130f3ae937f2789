"""A dashboard's tables are cached until the rollups next change
(dashboards.table_cache): a repeat view reads them, a rollup run shows new
figures at once, and one viewer's page is never served to another."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from dashboards import rollups
from dashboards.models import RollupState
from dashboards.services import snapshot_build
from dashboards.tasks import rollup_recent as rollup_recent_task
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory
from tests.dashboards.factories import (
    item,
    member_of,
    mentoring_request,
    pair_for,
    question,
)
from tests.dashboards.test_views import build_organisation, page_rows
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboards:index")


@pytest.fixture(autouse=True)
def manual_rollups_only(manual_rollups):
    """Here the rollups run only when a test runs them (the dashboards'
    conftest otherwise rolls up before every page, changing the version)."""


def dashboard_url(community):
    return reverse("dashboards:community", kwargs={"slug": community.slug})


def steward_of(community):
    return member_of(community, role=Membership.Role.STEWARD).user


# Staff's repeat view reads the whole rendered body from the cache: session,
# user and notification badge 3, the rollups' state 1, and the
# organisation's latest snapshot (which one, not its tables) 1 (was 17: the
# tables that read the viewer were counted at every view). A community's
# page as staff: the community and the viewer's membership instead of the
# snapshot.
ORGANISATION_REPEAT_QUERIES = 5
STAFF_COMMUNITY_REPEAT_QUERIES = 6
# A steward's repeat view reads their own cached body: 3, the community and
# the membership 2, the rollups' state 1, and the communities hidden from the
# viewer 1 (part of the key). Was 18: the tables that read the viewer
# (spread 3, stick rate 2, mentoring 4 + 2 + 1) were counted at every view.
COMMUNITY_REPEAT_QUERIES = 7


def body(html: str) -> str:
    """The page below its heading: from the period form to the end of main
    (the layout around it holds a per-request CSRF token)."""
    return html[
        html.index('<form method="get" class="period-form"') : html.index("</main>")
    ]


@pytest.mark.parametrize("size", [3, 6])
def test_a_repeat_view_of_the_organisation_reads_its_body_from_the_cache(
    staff_client, django_assert_num_queries, size
):
    build_organisation(size)
    rollups.rollup_all()
    first = staff_client.get(INDEX + "?period=30")

    with django_assert_num_queries(ORGANISATION_REPEAT_QUERIES):
        again = staff_client.get(INDEX + "?period=30")

    assert again.status_code == 200
    for name in ("communities", "summary", "askers", "unheard", "experts"):
        assert page_rows(again.text, name) == page_rows(first.text, name), name
    assert len(page_rows(again.text, "communities")) == size


@pytest.mark.parametrize("size", [3, 6])
def test_a_repeat_view_of_a_community_as_staff_reads_its_body_from_the_cache(
    staff_client, django_assert_num_queries, size
):
    communities = build_organisation(size)
    rollups.rollup_all()
    url = dashboard_url(communities[0]) + "?period=30"
    first = staff_client.get(url)

    with django_assert_num_queries(STAFF_COMMUNITY_REPEAT_QUERIES):
        again = staff_client.get(url)

    assert body(again.text) == body(first.text)
    assert len(page_rows(again.text, "askers")) == size


@pytest.mark.parametrize(
    "query", ["?period=30", "?period=90&unanswered_page=2", "?period=custom"]
)
def test_staffs_cached_body_equals_a_fresh_rendering(staff_client, query):
    """Every table, the spread and mentoring included, reads the same from
    the cache as counted afresh (the cache emptied)."""
    communities = build_organisation(3)
    mentee = member_of(communities[0]).user
    pair_for(mentoring_request(mentee, days=40), proposed=30, started=30)
    rollups.rollup_all()
    snapshot_build()
    for url in (INDEX + query, dashboard_url(communities[1]) + query):
        staff_client.get(url)
        cached = staff_client.get(url)
        cache.clear()
        fresh = staff_client.get(url)

        assert "tables" not in cached.context  # nothing was counted
        assert "tables" in fresh.context
        assert body(cached.text) == body(fresh.text)
        for name in ("flows", "stick", "mentoring_summary", "mentoring_quiet"):
            assert page_rows(cached.text, name) == page_rows(fresh.text, name)


@pytest.mark.parametrize("size", [3, 6])
def test_a_repeat_view_of_a_community_reads_its_body_from_the_cache(
    client, django_assert_num_queries, size
):
    communities = build_organisation(size)
    steward = (
        Membership.objects.filter(
            community=communities[0], role=Membership.Role.STEWARD
        )
        .first()
        .user
    )
    client.force_login(steward)
    rollups.rollup_all()
    url = dashboard_url(communities[0]) + "?period=30"
    first = client.get(url)

    with django_assert_num_queries(COMMUNITY_REPEAT_QUERIES):
        again = client.get(url)

    assert body(again.text) == body(first.text)
    assert len(page_rows(again.text, "askers")) == size


@pytest.mark.parametrize("staff", [False, True])
def test_a_rollup_run_shows_new_figures_at_once(client, staff):
    community = CommunityFactory()
    steward = steward_of(community)
    client.force_login(UserFactory(is_staff=True) if staff else steward)
    asker = member_of(community).user
    question(community, asker, days=3, title="How do we bleed the pump?")
    rollups.rollup_all()
    url = dashboard_url(community)
    before = client.get(url)
    assert "How do we bleed the pump?" in before.text

    question(community, asker, days=0.5, title="Which gasket for steam?")
    cached = client.get(url)
    rollups.rollup_recent()
    after = client.get(url)

    # Until a run the page shows what the rollups held; after one, at once.
    assert "Which gasket for steam?" not in cached.text
    assert "Which gasket for steam?" in after.text
    assert "How do we bleed the pump?" in after.text


def test_a_page_of_a_long_table_is_cached_for_that_page_only(client):
    community = CommunityFactory()
    client.force_login(steward_of(community))
    for n in range(30):
        asker = member_of(community).user
        question(community, asker, days=40 - n, title=f"Open question {n:02}")
    rollups.rollup_all()
    url = dashboard_url(community)

    first = client.get(url)
    second_page = client.get(url + "?unanswered_page=2")
    first_again = client.get(url)
    second_again = client.get(url + "?unanswered_page=2")

    assert page_rows(first.text, "unanswered")[0][0] == "Open question 00"
    assert page_rows(second_page.text, "unanswered")[0][0] == "Open question 25"
    assert page_rows(first_again.text, "unanswered") == page_rows(
        first.text, "unanswered"
    )
    assert page_rows(second_again.text, "unanswered") == page_rows(
        second_page.text, "unanswered"
    )
    assert "30" in second_again.text  # the count still shows


def test_a_private_communitys_cached_figures_never_reach_another_viewer(client):
    private = CommunityFactory(private=True, name="Skunkworks")
    other = CommunityFactory(name="Open floor")
    private_steward, other_steward = steward_of(private), steward_of(other)
    insider = member_of(private).user
    question(private, insider, days=10, title="Secret valve question")
    item(private, insider, days=2, kind=ItemKind.STORY, tags=["secret-tag"])
    question(other, member_of(other).user, days=10, title="Open question")
    rollups.rollup_all()

    # Staff and the private community's steward fill the cache first.
    client.force_login(UserFactory(is_staff=True))
    assert "Secret valve question" in client.get(INDEX).text
    assert "Secret valve question" in client.get(dashboard_url(private)).text
    client.force_login(private_steward)
    assert "Secret valve question" in client.get(dashboard_url(private)).text

    client.force_login(other_steward)
    own = client.get(dashboard_url(other))
    assert own.status_code == 200
    assert "Open question" in own.text
    assert "Secret valve question" not in own.text
    assert "secret-tag" not in own.text
    assert client.get(dashboard_url(private)).status_code in (403, 404)
    assert client.get(INDEX).status_code == 403


def test_staff_and_steward_pages_are_cached_apart(client):
    """The mentoring tables link a pair only for who may open it, so they
    are counted for each viewer; the rest is cached per audience: a
    steward's first view after staff's counts everything again."""
    community = CommunityFactory()
    steward = steward_of(community)
    broker = UserFactory(display_name="Bea Broker")
    mentee = member_of(community, user=UserFactory(display_name="Mo Mentee")).user
    pair = pair_for(mentoring_request(mentee, days=40), broker=broker, proposed=30)
    rollups.rollup_all()
    url = dashboard_url(community)
    pair_href = f'href="{pair.get_absolute_url()}"'

    client.force_login(UserFactory(is_staff=True))
    as_staff = client.get(url)
    client.force_login(steward)
    with CaptureQueriesContext(connection) as steward_first:
        as_steward = client.get(url)
    with CaptureQueriesContext(connection) as steward_again:
        client.get(url)

    assert pair_href in as_staff.text
    assert pair_href not in as_steward.text
    assert "Mo Mentee" in page_rows(as_steward.text, "mentoring_quiet")[0][0]
    assert len(steward_first) > len(steward_again) + 10


def test_a_new_snapshot_shows_at_once_on_staffs_cached_page(staff_client):
    community = CommunityFactory()
    asker = member_of(community).user
    question(community, asker, days=3, title="How do we bleed the pump?")
    rollups.rollup_all()
    snapshot_build()
    before = staff_client.get(INDEX + "?period=30")
    assert "How do we bleed the pump?" in before.text

    newcomer = member_of(community, joined_days_ago=20).user
    item(community, newcomer, days=10, title="Hello from the night shift")
    version = rollups.rollup_state().version
    rollups.rollup_all()
    # Only the snapshot tells the page: the rollups' version is as it was.
    RollupState.objects.update(version=version)
    cached = staff_client.get(INDEX + "?period=30")
    snapshot_build()
    after = staff_client.get(INDEX + "?period=30")

    assert "Hello from the night shift" not in cached.text
    assert "Hello from the night shift" in after.text


def test_a_steward_never_reads_staffs_cached_spread(client):
    """Staff's cached body names every community; a steward who may not
    see a private community reads its flows under a neutral label, even
    when staff looked first (and the other way round)."""
    private = CommunityFactory(private=True, name="Skunkworks")
    open_floor = CommunityFactory(name="Open floor")
    insider = member_of(private).user
    source = item(private, insider, days=20, title="Secret valve trick")
    item(open_floor, insider, days=2, shared_from=source)
    rollups.rollup_all()
    url = dashboard_url(open_floor)

    for staff_first in (True, False):
        cache.clear()
        viewers = [UserFactory(is_staff=True), steward_of(open_floor)]
        pages = {}
        for viewer in viewers if staff_first else viewers[::-1]:
            client.force_login(viewer)
            client.get(url)
            pages[viewer.is_staff] = client.get(url)  # from the cache

        staff_flows = page_rows(pages[True].text, "flows")
        steward_flows = page_rows(pages[False].text, "flows")
        assert staff_flows[0][0] == "Skunkworks"
        assert steward_flows[0][0] == "A private community"
        assert "Skunkworks" not in pages[False].text


# A custom period's first view after a rollup run counts every table but
# those that do not depend on the period, read from what the job counted for
# the standard periods: single-expert risk 2, pockets 2, stick rate 2,
# activity balance 2, join requests 2 (count + page), quiet pairs 2.
CUSTOM_FIRST_VIEW_QUERIES = 31


@pytest.mark.parametrize("size", [3, 6])
def test_a_custom_periods_first_view_reads_the_tables_no_period_changes(
    staff_client, django_assert_num_queries, size
):
    build_organisation(size)
    rollup_recent_task()  # rolls up, then counts the standard periods
    url = INDEX + "?period=custom&start=2026-01-01&end=2026-12-01"

    with django_assert_num_queries(CUSTOM_FIRST_VIEW_QUERIES):
        first = staff_client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as counted:
        fresh = staff_client.get(url)

    assert len(counted) == CUSTOM_FIRST_VIEW_QUERIES + 12

    assert body(first.text) == body(fresh.text)
    assert len(page_rows(first.text, "experts")) >= 1
    assert len(page_rows(first.text, "pockets")) >= 1
    assert len(page_rows(first.text, "mentoring_quiet")) >= 1


def test_a_permission_change_shows_at_once_on_a_stewards_cached_page(client):
    """No rollup runs: losing a private community's membership, or an open
    community turning private, hides its name from the steward's next view."""
    private = CommunityFactory(private=True, name="Skunkworks")
    workshop = CommunityFactory(name="Workshop")
    open_floor = CommunityFactory(name="Open floor")
    insider = member_of(private).user
    item(open_floor, insider, days=2, shared_from=item(private, insider, days=20))
    item(open_floor, insider, days=3, shared_from=item(workshop, insider, days=20))
    steward = steward_of(open_floor)
    member_of(private, user=steward)
    rollups.rollup_all()
    client.force_login(steward)
    url = dashboard_url(open_floor)

    def sources():
        client.get(url)
        return sorted(row[0] for row in page_rows(client.get(url).text, "flows"))

    assert sources() == ["Skunkworks", "Workshop"]
    Membership.objects.filter(community=private, user=steward).update(
        status=Membership.Status.LEFT
    )
    assert sources() == ["A private community", "Workshop"]
    workshop.visibility = "private"
    workshop.save(update_fields=["visibility"])
    assert sources() == ["A private community", "A private community"]


def test_two_stewards_of_a_community_never_share_a_cached_page(client):
    private = CommunityFactory(private=True, name="Skunkworks")
    open_floor = CommunityFactory(name="Open floor")
    insider = member_of(private).user
    item(open_floor, insider, days=2, shared_from=item(private, insider, days=20))
    inside, outside = steward_of(open_floor), steward_of(open_floor)
    member_of(private, user=inside)
    mentee = member_of(open_floor).user
    pair = pair_for(mentoring_request(mentee, days=40), broker=inside, proposed=30)
    rollups.rollup_all()
    url = dashboard_url(open_floor)

    for order in ([inside, outside], [outside, inside]):
        cache.clear()
        pages = {}
        for steward in order:
            client.force_login(steward)
            client.get(url)
            pages[steward] = client.get(url)

        assert "Skunkworks" in pages[inside].text
        assert pair.get_absolute_url() in pages[inside].text
        assert "Skunkworks" not in pages[outside].text
        assert pair.get_absolute_url() not in pages[outside].text


def test_the_rollup_job_counts_the_staff_dashboard_ahead_of_the_first_view(
    staff_client, django_assert_num_queries
):
    """Every table, the spread and mentoring included: staff's first view
    after a run only renders the page."""
    build_organisation(3)
    rollup_recent_task()  # the first run rolls up everything, then counts

    for days in (30, 90, 365):
        with django_assert_num_queries(ORGANISATION_REPEAT_QUERIES):
            response = staff_client.get(INDEX + f"?period={days}")
        assert len(response.context["tables"]["communities"].rows) == 3


def test_the_weekly_table_keeps_every_week_of_the_longest_period_on_one_page():
    """A cached table keeps only the page shown; the weekly chart reads every
    week from it, so one page must hold the longest custom period's weeks."""
    from dashboards.forms import MAX_CUSTOM_DAYS, PeriodForm
    from dashboards.report import Report
    from dashboards.scope import Scope

    end = timezone.localdate()
    form = PeriodForm(
        {
            "period": "custom",
            "start": end - timedelta(days=MAX_CUSTOM_DAYS),
            "end": end,
        }
    )
    assert form.is_valid(), form.errors
    report = Report(scope=Scope.organisation(), period=form.to_period(), viewer=None)

    assert len(report.period.week_windows()) <= report.table("weekly").page_size
