"""A dashboard's tables are cached until the rollups next change
(dashboards.table_cache): a repeat view reads them, a rollup run shows new
figures at once, and one viewer's page is never served to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Membership
from dashboards import rollups
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


# Session, user and notification badge 3, the rollups' state 1, and the
# tables that read the viewer, counted at every view: spread 3 (shares and
# adoptions grouped, then the communities), stick rate 2, mentoring summary
# 4, quiet pairs count + page, matches per broker 1. The organisation's
# latest snapshot +1; a community and the viewer's membership +2.
ORGANISATION_REPEAT_QUERIES = 17
COMMUNITY_REPEAT_QUERIES = 18


@pytest.mark.parametrize("size", [3, 6])
def test_a_repeat_view_of_the_organisation_reads_its_tables_from_the_cache(
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
    assert len(again.context["tables"]["communities"].rows) == size


@pytest.mark.parametrize("size", [3, 6])
def test_a_repeat_view_of_a_community_reads_its_tables_from_the_cache(
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

    assert page_rows(again.text, "askers") == page_rows(first.text, "askers")
    assert len(again.context["tables"]["askers"].rows) == size


def test_a_rollup_run_shows_new_figures_at_once(client):
    community = CommunityFactory()
    steward = steward_of(community)
    client.force_login(steward)
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


def test_the_rollup_job_counts_the_staff_dashboard_ahead_of_the_first_view(
    staff_client, django_assert_num_queries
):
    build_organisation(3)
    rollup_recent_task()  # the first run rolls up everything, then counts

    for days in (30, 90, 365):
        with django_assert_num_queries(ORGANISATION_REPEAT_QUERIES):
            response = staff_client.get(INDEX + f"?period={days}")
        assert len(response.context["tables"]["communities"].rows) == 3
