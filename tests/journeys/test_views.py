"""Every journeys page and action: who may see or do it (anonymous,
outsider, member, private member, steward, manager, staff), what it shows,
query counts pinned at two sizes, and CSV equal to the page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from communities import services as communities
from communities.models import Membership
from journeys.models import Plan, PlanStep, StepKind, TourStop
from journeys.services.cohorts import cohort_snapshot_build
from journeys.services.plans import story_steps_sync
from journeys.services.stages import stage_snapshot_build
from journeys.services.tours import tour_add
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory
from tests.dashboards.test_views import csv_rows, page_rows
from tests.journeys.conftest import START
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "outsider",
    "member",
    "private_member",
    "steward",
    "manager",
    "staff",
]


@pytest.fixture
def joined(org):
    """Nia joined Lean (open) and, approved, Skunkworks (private)."""
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    communities.community_request_join(
        acting_user=org.newcomer, community=org.skunkworks
    )
    membership = Membership.objects.get(user=org.newcomer, community=org.skunkworks)
    communities.membership_approve(acting_user=org.steward, membership=membership)
    return org


def login(client, org, who):
    if who != "anonymous":
        client.force_login(getattr(org, who))
    return client


def step_of(org, community, kind):
    return PlanStep.objects.get(
        plan__user=org.newcomer, plan__community=community, kind=kind
    )


# --- My first 90 days ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "slug", "status"),
    [
        ("anonymous", "lean", 302),
        ("outsider", "lean", 404),  # no plan: they are not a member
        ("member", "lean", 200),  # a member with no plan: an empty state
        ("private_member", "lean", 404),
        ("steward", "lean", 200),
        ("manager", "lean", 404),
        ("staff", "lean", 404),
        ("anonymous", "skunkworks", 302),
        ("outsider", "skunkworks", 404),
        ("member", "skunkworks", 404),
        ("private_member", "skunkworks", 200),
        ("steward", "skunkworks", 200),
        ("manager", "skunkworks", 404),
        ("staff", "skunkworks", 404),
        ("newcomer", "lean", 200),
        ("newcomer", "skunkworks", 200),
    ],
)
def test_a_plan_is_its_newcomer_s_alone(client, joined, who, slug, status):
    response = login(client, joined, who).get(reverse("journeys:plan", args=[slug]))

    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        mine = who == "newcomer"
        assert ("Check in with a steward" in content) == mine
        assert ("no plan for you here" in content) == (not mine)


def test_the_plan_page_shows_dates_people_and_the_tour(client, joined, clock):
    item = ItemFactory(community=joined.lean, title="Gemba walks, our way")
    tour_add(acting_user=joined.steward, community=joined.lean, item=item)
    clock.set(START + timedelta(days=8))
    client.force_login(joined.newcomer)

    content = client.get(reverse("journeys:plan", args=["lean"])).content.decode()

    assert "Overdue: was due 9 Mar 2026" in content
    assert "Nina Networker" in content and "Quality" in content
    assert "Sid Secret" not in content and "Skunkworks" not in content
    assert "Gemba walks, our way" in content
    assert "I have read it" in content

    response = client.post(reverse("journeys:tour_read", args=["lean", item.pk]))
    assert response.status_code == 302
    assert step_of(joined, joined.lean, StepKind.TOUR).done_at is not None


def test_the_community_page_links_a_newcomer_to_their_plan(client, joined):
    client.force_login(joined.newcomer)
    content = client.get(joined.lean.get_absolute_url()).content.decode()
    assert reverse("journeys:plan", args=["lean"]) in content
    client.force_login(joined.outsider)
    content = client.get(joined.lean.get_absolute_url()).content.decode()
    assert reverse("journeys:plan", args=["lean"]) not in content


def test_home_lists_my_open_plans(client, joined):
    client.force_login(joined.newcomer)
    content = client.get("/").content.decode()
    assert "Your first 90 days" in content
    assert reverse("journeys:plan", args=["skunkworks"]) in content


def test_home_plans_follow_every_change_at_once(client, org):
    """The panel is cached per member and day (journeys.panels): joining,
    a step done, a rename, leaving and rejoining each show at the next
    view; the newcomer's plans never reach another member."""
    client.force_login(org.newcomer)
    assert "Your first 90 days" not in client.get("/").content.decode()
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    content = client.get("/").content.decode()
    assert "Lean</a>: 0 of" in content
    step = step_of(org, org.lean, StepKind.PEER)
    assert client.post(reverse("journeys:step_done", args=[step.pk])).status_code == 302
    assert "Lean</a>: 1 of" in client.get("/").content.decode()
    communities.community_update(
        community=org.lean,
        acting_user=org.steward,
        name="Lean Ops",
        slug="lean",
        purpose=org.lean.purpose,
        visibility=org.lean.visibility,
    )
    assert "Lean Ops</a>: 1 of" in client.get("/").content.decode()
    client.force_login(org.member)
    assert "Your first 90 days" not in client.get("/").content.decode()
    client.force_login(org.newcomer)
    communities.community_leave(acting_user=org.newcomer, community=org.lean)
    assert "Your first 90 days" not in client.get("/").content.decode()
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    assert "Lean Ops</a>: 1 of" in client.get("/").content.decode()


def test_home_plans_follow_the_story_job_at_once(client, org):
    """The job that ticks "what I learned" bumps each member's plans."""
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    client.force_login(org.newcomer)
    assert "Lean</a>: 0 of" in client.get("/").content.decode()
    ItemFactory(author=org.newcomer, community=org.lean, kind=ItemKind.STORY)
    assert story_steps_sync() == 1
    assert "Lean</a>: 1 of" in client.get("/").content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_home_plans_panel_queries_do_not_grow(rf, org, size, django_assert_num_queries):
    """One query for the plans on a cold cache, none from the cache."""
    from journeys.panels import home_panel

    for n in range(size):
        community = CommunityFactory(name=f"Open {n}", slug=f"open-{n}")
        communities.community_join(acting_user=org.newcomer, community=community)
    request = rf.get("/")
    request.user = org.newcomer
    with django_assert_num_queries(1):
        assert len(home_panel(request)["plans"]) == size
    with django_assert_num_queries(0):
        assert len(home_panel(request)["plans"]) == size


# --- Marking steps done, reading the tour -----------------------------------


@pytest.mark.parametrize(
    ("who", "status", "done"),
    [
        ("anonymous", 302, False),
        ("outsider", 404, False),
        ("member", 404, False),
        ("private_member", 404, False),
        ("steward", 302, True),
        ("manager", 404, False),
        ("staff", 302, True),
        ("newcomer", 302, True),
    ],
)
def test_who_may_mark_a_check_in_done(client, joined, who, status, done):
    step = step_of(joined, joined.skunkworks, StepKind.CHECKIN)

    response = login(client, joined, who).post(
        reverse("journeys:step_done", args=[step.pk])
    )

    assert response.status_code == status
    step.refresh_from_db()
    assert (step.done_at is not None) == done
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))


def test_marking_done_answers_get_with_405_and_a_missing_step_with_404(client, joined):
    client.force_login(joined.newcomer)
    step = step_of(joined, joined.lean, StepKind.PEER)
    assert client.get(reverse("journeys:step_done", args=[step.pk])).status_code == 405
    assert client.post(reverse("journeys:step_done", args=[99999])).status_code == 404


def test_the_story_step_says_why_it_cannot_be_marked_yet(client, joined):
    client.force_login(joined.newcomer)
    step = step_of(joined, joined.lean, StepKind.STORY)

    response = client.post(
        reverse("journeys:step_done", args=[step.pk]),
        {"next": reverse("journeys:plan", args=["lean"])},
        follow=True,
    )

    assert "Post your story in Lean first" in response.content.decode()
    step.refresh_from_db()
    assert step.done_at is None


@pytest.mark.parametrize("who", WHO)
def test_only_the_newcomer_ticks_their_tour(client, joined, who):
    item = ItemFactory(community=joined.skunkworks)
    tour_add(acting_user=joined.steward, community=joined.skunkworks, item=item)

    response = login(client, joined, who).post(
        reverse("journeys:tour_read", args=["skunkworks", item.pk])
    )

    assert response.status_code == (302 if who == "anonymous" else 404)


# --- Stewards: newcomers and the tour -----------------------------------------

STEWARD_PAGES = [
    ("newcomers", "lean", {"anonymous": 302, "outsider": 403, "member": 403,
                           "private_member": 403, "steward": 200, "manager": 403,
                           "staff": 200}),
    ("newcomers", "skunkworks", {"anonymous": 302, "outsider": 404, "member": 404,
                                 "private_member": 403, "steward": 200,
                                 "manager": 404, "staff": 200}),
    ("tour", "lean", {"anonymous": 302, "outsider": 403, "member": 403,
                      "private_member": 403, "steward": 200, "manager": 403,
                      "staff": 200}),
    ("tour", "skunkworks", {"anonymous": 302, "outsider": 404, "member": 404,
                            "private_member": 403, "steward": 200, "manager": 404,
                            "staff": 200}),
]  # fmt: skip


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(("page", "slug", "expected"), STEWARD_PAGES)
def test_steward_pages_are_for_stewards_and_staff(
    client, joined, who, page, slug, expected
):
    response = login(client, joined, who).get(reverse(f"journeys:{page}", args=[slug]))
    assert response.status_code == expected[who]


@pytest.mark.parametrize("who", WHO)
def test_only_stewards_and_staff_change_the_tour(client, joined, who):
    item = ItemFactory(community=joined.skunkworks)
    stop = tour_add(acting_user=joined.steward, community=joined.skunkworks, item=item)
    other = ItemFactory(community=joined.skunkworks)
    client = login(client, joined, who)

    added = client.post(
        reverse("journeys:tour", args=["skunkworks"]), {"item": other.pk}
    )
    removed = client.post(
        reverse("journeys:tour_remove", args=["skunkworks", stop.pk]),
        {"confirmed": "yes"},
    )

    allowed = who in ("steward", "staff")
    expected = {"anonymous": 302, "outsider": 404, "member": 404, "manager": 404}
    assert added.status_code == (302 if allowed else expected.get(who, 403))
    assert removed.status_code == (302 if allowed else expected.get(who, 403))
    stops = set(TourStop.objects.values_list("item_id", flat=True))
    assert stops == ({other.pk} if allowed else {item.pk})


def test_removing_a_tour_stop_asks_first(client, joined):
    item = ItemFactory(community=joined.lean, title="Our first kaizen")
    stop = tour_add(acting_user=joined.steward, community=joined.lean, item=item)
    client.force_login(joined.steward)

    response = client.get(reverse("journeys:tour_remove", args=["lean", stop.pk]))

    assert response.status_code == 200
    assert "Remove this item from the tour of Lean?" in response.content.decode()
    assert TourStop.objects.filter(pk=stop.pk).exists()


def test_a_bad_tour_pick_says_why_and_changes_nothing(client, joined):
    client.force_login(joined.steward)
    ItemFactory(community=joined.lean, title="A fine pick")
    elsewhere = ItemFactory(community=joined.quality)

    for data in ({"item": elsewhere.pk}, {"item": "not a number"}, {}):
        response = client.post(reverse("journeys:tour", args=["lean"]), data)
        assert response.status_code == 400, data
        assert "There is a problem with the form" in response.content.decode()
    assert not TourStop.objects.exists()


def test_newcomers_lists_plans_overdue_first(client, joined, clock):
    late = UserFactory(display_name="Lou Late")
    communities.community_join(acting_user=late, community=joined.lean)
    clock.set(START + timedelta(days=5))
    fresh = UserFactory(display_name="Fay Fresh")
    communities.community_join(acting_user=fresh, community=joined.lean)
    for step in Plan.objects.get(
        user=joined.newcomer, community=joined.lean
    ).steps.all():
        step.done_at = START
        step.save()
    clock.set(START + timedelta(days=9))
    client.force_login(joined.steward)

    response = client.get(reverse("journeys:newcomers", args=["lean"]))

    names = [row["plan"].user.display_name for row in response.context["rows"]]
    # Lou's tour is overdue; Fay joined later (newest first); Nia is all done.
    assert names == ["Lou Late", "Fay Fresh", "Nia Newcomer"]
    assert "has an overdue step" in response.content.decode()


def _add_newcomers(org, community, n):
    for _ in range(n):
        communities.community_join(acting_user=UserFactory(), community=community)


@pytest.mark.parametrize(("size", "queries"), [(1, 8), (4, 8)])
def test_newcomers_page_queries_do_not_grow_with_plans(
    client, org, django_assert_num_queries, size, queries
):
    _add_newcomers(org, org.lean, size)
    client.force_login(org.steward)
    url = reverse("journeys:newcomers", args=["lean"])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("size", "queries"), [(1, 10), (5, 10)])
def test_plan_page_queries_do_not_grow_with_the_tour(
    client, org, django_assert_num_queries, size, queries
):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    for _ in range(size):
        tour_add(
            acting_user=org.steward,
            community=org.lean,
            item=ItemFactory(community=org.lean),
        )
    client.force_login(org.newcomer)
    url = reverse("journeys:plan", args=["lean"])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# --- My journeys, the aspiration ----------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_my_journeys_and_my_aspiration_are_for_anyone_signed_in(client, joined, who):
    client = login(client, joined, who)
    for name in ("journeys:mine", "journeys:aspiration"):
        response = client.get(reverse(name))
        assert response.status_code == (302 if who == "anonymous" else 200)


def test_saving_an_aspiration_keeps_only_communities_i_may_see(client, joined):
    client.force_login(joined.outsider)

    response = client.post(
        reverse("journeys:aspiration"),
        {
            "text": "a lean coach",
            "tags": "Lean, Root Cause",
            "communities": [joined.lean.pk],
        },
    )

    assert response.status_code == 302
    response = client.post(
        reverse("journeys:aspiration"),
        {"text": "x", "communities": [joined.skunkworks.pk]},
    )
    assert response.status_code == 400  # not a choice: the form says so
    page = client.get(reverse("journeys:mine")).content.decode()
    assert "a lean coach" in page and "lean, root-cause" in page


def test_a_too_long_tag_list_keeps_what_was_typed(client, joined):
    client.force_login(joined.member)
    typed = ", ".join(f"t{n}" for n in range(12))
    response = client.post(
        reverse("journeys:aspiration"), {"text": "a coach", "tags": typed}
    )
    assert response.status_code == 400
    assert typed in response.content.decode()


def test_the_own_profile_shows_stage_and_next_step_others_see_nothing(client, joined):
    stage_snapshot_build(day=START.date())
    client.force_login(joined.member)
    mine = client.get(reverse("members:profile", args=[joined.member.username]))
    assert "Your next step:" in mine.content.decode()
    assert "Ask your first question in Lean" in mine.content.decode()
    other = client.get(reverse("members:profile", args=[joined.steward.username]))
    assert "Your next step:" not in other.content.decode()
    assert "Becoming" not in other.content.decode()


@pytest.mark.parametrize(("size", "queries"), [(1, 7), (3, 7)])
def test_my_journeys_queries_do_not_grow_with_communities(
    client, org, django_assert_num_queries, size, queries
):
    for community in [org.lean, org.quality, org.skunkworks][:size]:
        Membership.objects.get_or_create(
            user=org.newcomer,
            community=community,
            defaults={"status": "active", "joined_at": START},
        )
    stage_snapshot_build(day=START.date())
    client.force_login(org.newcomer)
    with django_assert_num_queries(queries):
        assert client.get(reverse("journeys:mine")).status_code == 200


# --- The dashboards -----------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("query", [{}, {"format": "csv", "table": "cohorts"}])
def test_who_sees_the_journeys_dashboards(client, joined, who, query):
    client = login(client, joined, who)
    org_page = client.get(reverse("dashboards:journeys"), query)
    lean = client.get(reverse("dashboards:community_journeys", args=["lean"]), query)
    secret = client.get(
        reverse("dashboards:community_journeys", args=["skunkworks"]), query
    )

    assert org_page.status_code == {"anonymous": 302, "staff": 200}.get(who, 403)
    assert lean.status_code == {"anonymous": 302, "steward": 200, "staff": 200}.get(
        who, 403
    )
    assert secret.status_code == {
        "anonymous": 302,
        "steward": 200,
        "staff": 200,
        "private_member": 403,
    }.get(who, 404)


def test_a_steward_s_cohorts_hold_their_community_only(client, joined):
    other_steward = UserFactory()
    Membership.objects.create(
        user=other_steward,
        community=joined.quality,
        role="steward",
        status="active",
        joined_at=START,
    )
    client.force_login(other_steward)
    rows = csv_rows(
        client.get(
            reverse("dashboards:community_journeys", args=["quality"]),
            {"format": "csv", "table": "cohorts"},
        )
    )
    assert rows[1:] == []  # Nia joined Lean and Skunkworks, not Quality


def test_cohort_figures_on_a_constructed_fixture(client, org, clock):
    """March: three newcomers in Lean, one leaves, one finishes every step;
    April: one newcomer. On 20 April, March's steps due are the tour and
    the check-in (and the networker, due 1 April)."""
    march = [UserFactory() for _ in range(3)]
    for user in march:
        communities.community_join(acting_user=user, community=org.lean)
    finisher, leaver, _slow = march
    for step in Plan.objects.get(user=finisher).steps.all():
        step.done_at = START + timedelta(days=1)
        step.save()
    Plan.objects.filter(user=finisher).update(completed_at=START + timedelta(days=1))
    clock.set(START + timedelta(days=2))
    communities.community_leave(acting_user=leaver, community=org.lean)
    clock.set(START + timedelta(days=40))  # 11 April
    communities.community_join(acting_user=UserFactory(), community=org.lean)
    clock.set(START + timedelta(days=49))  # 20 April
    client.force_login(org.staff)

    page = client.get(reverse("dashboards:journeys"))

    assert page_rows(page.content.decode(), "cohorts") == [
        # joined, newcomers, all done, left, done, steps, %, on time %, overdue
        ["2026-04", "1", "0", "0", "0", "5", "0", "0", "1"],
        ["2026-03", "3", "1", "1", "5", "15", "33", "33", "3"],
    ]
    csv = csv_rows(
        client.get(
            reverse("dashboards:journeys"), {"format": "csv", "table": "cohorts"}
        )
    )
    assert csv[1:] == page_rows(page.content.decode(), "cohorts")
    svg = page.context["cohort_chart"]
    assert 'role="img"' in svg and "March 2026: 33%" in svg
    assert page.context["counted_on"] is None  # no night yet: counted live

    # The nightly count holds the same figures; the page then reads it.
    cohort_snapshot_build(today=clock.now().date())
    ItemFactory(community=org.lean)  # unrelated: nothing changes
    nightly = client.get(reverse("dashboards:journeys"))
    assert page_rows(nightly.content.decode(), "cohorts") == page_rows(
        page.content.decode(), "cohorts"
    )
    assert nightly.context["counted_on"] == date(2026, 4, 20)
    assert "figures as of 20 Apr 2026" in nightly.content.decode()
    steward = client.get(reverse("dashboards:community_journeys", args=["quality"]))
    assert steward.status_code == 200  # staff; Quality has no newcomers
    assert page_rows(steward.content.decode(), "cohorts") == []


def test_stage_moves_per_month_and_csv_equals_page(client, org):
    ItemFactory(
        community=org.lean, author=org.member, kind="question", created_at=START
    )
    stage_snapshot_build(day=START.date())
    ItemFactory(
        community=org.lean,
        author=org.member,
        kind="story",
        created_at=START + timedelta(days=31),
    )
    stage_snapshot_build(day=START.date() + timedelta(days=31))
    client.force_login(org.steward)
    url = reverse("dashboards:community_journeys", args=["lean"])

    page = client.get(url)

    rows = page_rows(page.content.decode(), "stage_moves")
    # April: Mo asker -> storyteller; March: Mo reader -> asker, Sue -> steward.
    assert rows == [
        ["2026-04", "0", "0", "1", "0", "0"],
        ["2026-03", "1", "0", "0", "1", "0"],
    ]
    assert (
        csv_rows(client.get(url, {"format": "csv", "table": "stage_moves"}))[1:] == rows
    )
    assert client.get(url, {"format": "csv", "table": "nope"}).status_code == 404


@pytest.mark.parametrize(("size", "queries"), [(1, 6), (4, 6)])
def test_journeys_dashboard_queries_do_not_grow_with_cohorts(
    client, org, clock, django_assert_num_queries, size, queries
):
    for month in range(size):
        clock.set(START + timedelta(days=31 * month))
        communities.community_join(acting_user=UserFactory(), community=org.lean)
    stage_snapshot_build(day=clock.now().date())
    cohort_snapshot_build(today=clock.now().date())
    client.force_login(org.staff)
    with django_assert_num_queries(queries):
        assert client.get(reverse("dashboards:journeys")).status_code == 200


@pytest.mark.parametrize(("size", "queries"), [(1, 7), (5, 7)])
def test_tour_page_queries_do_not_grow_with_stops(
    client, org, django_assert_num_queries, size, queries
):
    for _ in range(size):
        tour_add(
            acting_user=org.steward,
            community=org.lean,
            item=ItemFactory(community=org.lean),
        )
        ItemFactory(community=org.lean)  # a candidate too
    client.force_login(org.steward)
    with django_assert_num_queries(queries):
        assert client.get(reverse("journeys:tour", args=["lean"])).status_code == 200


@pytest.mark.parametrize(("size", "queries"), [(1, 6), (3, 6)])
def test_aspiration_page_queries_do_not_grow_with_communities(
    client, org, django_assert_num_queries, size, queries
):
    from journeys.services.aspirations import aspiration_save

    picked = [org.lean, org.quality, org.skunkworks][:size]
    for community in picked:
        Membership.objects.get_or_create(
            user=org.newcomer,
            community=community,
            defaults={"status": "active", "joined_at": START},
        )
    aspiration_save(
        acting_user=org.newcomer, text="a coach", tags=["lean"], communities=picked
    )
    client.force_login(org.newcomer)
    with django_assert_num_queries(queries):
        assert client.get(reverse("journeys:aspiration")).status_code == 200


def test_the_newcomers_page_never_names_a_private_community_or_its_members(
    client, joined
):
    client.force_login(joined.steward)
    content = client.get(reverse("journeys:newcomers", args=["lean"])).content.decode()
    assert "Nina Networker" in content and "Quality" in content
    assert "Skunkworks" not in content and "Sid Secret" not in content
