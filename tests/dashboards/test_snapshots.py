"""The nightly snapshot of the organisation dashboard's heavy figures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.models import Snapshot
from dashboards.rollups import rollup_all
from dashboards.services import SNAPSHOT_TABLES
from dashboards.services import snapshot_build as build
from dashboards.tasks import snapshot_build as snapshot_build_task
from tests.dashboards.factories import item, member_of, question
from tests.dashboards.test_views import build_organisation, csv_rows, page_rows
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def snapshot_build(**kwargs):
    """The nightly jobs in their order: the rollups, then the snapshot."""
    rollup_all()
    return build(**kwargs)


INDEX = reverse("dashboards:index")


def test_building_twice_a_day_keeps_one_snapshot_per_period(community):
    item(community, member_of(community).user, days=2)

    snapshot_build()
    snapshot_build_task()  # the task as beat runs it

    assert sorted(Snapshot.objects.values_list("period_days", flat=True)) == [
        30,
        90,
        365,
    ]
    snapshot = Snapshot.objects.get(period_days=90)
    assert snapshot.tables == set(SNAPSHOT_TABLES)


def test_old_snapshots_are_removed_and_each_day_gets_its_own(community):
    now = timezone.now()
    snapshot_build(now=now - timedelta(days=10))
    snapshot_build(now=now - timedelta(days=1))
    snapshot_build(now=now)

    days = sorted(set(Snapshot.objects.values_list("day", flat=True)))
    assert days == [
        timezone.localdate(now - timedelta(days=1)),
        timezone.localdate(now),
    ]


def test_the_page_reads_the_latest_snapshot_for_a_standard_period(
    staff_client, community
):
    author = member_of(community).user
    item(community, author, days=2)
    snapshot_build()
    for _ in range(4):  # contributions after the snapshot was taken
        item(community, author, days=0.01)

    response = staff_client.get(INDEX + "?period=30")

    assert response.context["snapshot"] == Snapshot.objects.get(period_days=30)
    summary = {c[0].text: c[1].text for c in response.context["tables"]["summary"].rows}
    assert summary["Contributions (items and replies)"] == "1"
    assert page_rows(response.text, "communities")[0][3] == "1"
    assert "figures as of" in response.text
    assert response.context["tables"]["summary"].as_of is not None


def test_a_custom_period_is_counted_live_even_with_a_snapshot(staff_client, community):
    author = member_of(community).user
    item(community, author, days=2)
    snapshot_build()
    item(community, author, days=0.01)
    today = timezone.localdate()
    query = f"?period=custom&start={today - timedelta(days=29)}&end={today}"

    response = staff_client.get(INDEX + query)

    assert response.context["snapshot"] is None
    summary = {c[0].text: c[1].text for c in response.context["tables"]["summary"].rows}
    assert summary["Contributions (items and replies)"] == "2"
    assert "figures as of" not in response.text


def test_live_tables_stay_live_next_to_a_snapshot(staff_client, community):
    snapshot_build()
    question(community, UserFactory(), days=1, title="Asked after the snapshot")

    response = staff_client.get(INDEX + "?period=30")

    assert response.context["tables"]["unanswered"].as_of is None
    assert "Asked after the snapshot" in response.text


def test_a_snapshot_page_and_its_csv_agree(staff_client):
    build_organisation(3)
    snapshot_build()

    page = staff_client.get(INDEX + "?period=30")
    for name in ("communities", "newcomers", "askers", "helpful", "rising"):
        rows = csv_rows(
            staff_client.get(INDEX, {"period": "30", "format": "csv", "table": name})
        )
        assert rows[1:] == page_rows(page.text, name), name
        assert len(rows) > 1, name
    assert 'id="weekly-chart"' in page.text


@pytest.mark.parametrize("size", [3, 6])
def test_a_snapshot_page_needs_few_queries(
    staff_client, django_assert_num_queries, manual_rollups, size
):
    build_organisation(size)
    snapshot_build()

    with django_assert_num_queries(SNAPSHOT_PAGE_QUERIES):
        response = staff_client.get(INDEX + "?period=30")

    assert response.status_code == 200
    assert len(response.context["tables"]["communities"].rows) == size


# Session, user, badge, snapshot 4, its tables 1 (read only when the page is
# counted: staff's cached page needs only which snapshot it shows); rollups'
# time 1; from the rollups:
# unanswered count + page 2, single-expert risk 2 (the grouped answers, then
# the experts' names); live: spread 3, pockets count + page 2, mentoring
# 4 + 2 + 1; adoptions that lasted: stick rate count + page 2, the
# research / capacity / practice balance count + page 2.
SNAPSHOT_PAGE_QUERIES = 26
