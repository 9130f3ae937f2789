"""Leaders and bridges, and what could spread next: each figure on a
constructed organisation with a known answer, who may see which page, CSV
equal to the page, query counts at two sizes, the nightly job."""

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards import triad
from dashboards.models import BridgeScore, MissingBridge, NetworkSnapshot
from dashboards.periods import preset_period
from dashboards.scope import Scope
from dashboards.snapshots import network_snapshot_build
from members.models import LeadershipRole, OutboxJob
from mentoring.models import Pair
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import (
    days_ago,
    item,
    member_of,
    mentoring_request,
    question,
    reply,
)
from tests.dashboards.test_views import csv_rows, page_rows
from tests.knowledge.factories import HelpfulMarkFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import PairFactory

pytestmark = pytest.mark.django_db

L, E, N = (
    LeadershipRole.LINE_LEADER,
    LeadershipRole.EXECUTIVE,
    LeadershipRole.NETWORKER,
)
LEADERS = reverse("dashboards:leaders")
SPREAD = reverse("dashboards:spread_next")


def leaders_url(community):
    return reverse("dashboards:community_leaders", kwargs={"slug": community.slug})


def build_snapshot():
    return network_snapshot_build(day=timezone.localdate())


# --- The triad ----------------------------------------------------------------


def build_triad(community):
    line = member_of(community, user=UserFactory(leadership_role=L)).user
    executive = member_of(community, user=UserFactory(leadership_role=E)).user
    networker = member_of(community, user=UserFactory(leadership_role=N)).user
    asked = question(community, line, days=5)
    answer = reply(asked, networker, days=4)  # networker -> line leader
    asked.accepted_reply = answer
    asked.save(update_fields=["accepted_reply"])
    story = item(community, executive, days=5)
    HelpfulMarkFactory(item=story, user=line)  # executive -> line leader
    reply(story, line, days=3)  # line leader -> executive
    reply(story, networker, days=3)  # networker -> executive
    reply(item(community, networker, days=5), executive, days=2)  # exec -> netw.
    reply(story, executive, days=2)  # their own item: no flow
    PairFactory(
        request=mentoring_request(networker, community=community),
        mentor=executive,
        status=Pair.Status.ACTIVE,
        started_at=days_ago(3),
    )  # executive -> networker, mentoring
    return line, executive, networker


def test_the_six_flows_and_their_broken_links(community):
    build_triad(community)
    build_triad(CommunityFactory())  # elsewhere: not in this community's triad

    found = triad.live_triad(Scope.community(community), preset_period(30))

    assert found.edge(N, L).counts == {
        "replies": 1,
        "answers": 1,
        "marks": 0,
        "shares": 0,
        "adoptions": 0,
        "mentoring": 0,
    }
    assert found.edge(E, L).counts["marks"] == 1
    assert found.edge(E, L).total == 1
    assert found.edge(L, E).counts["replies"] == 1
    assert found.edge(N, E).counts["replies"] == 1
    assert found.edge(E, N).counts["replies"] == 1
    assert found.edge(E, N).counts["mentoring"] == 1
    assert found.edge(L, N).total == 0
    assert [e.broken_text("the last 30 days") for e in found.broken] == [
        "Line leaders never answered, helped or mentored internal networkers in "
        "the last 30 days.",
        "Executives never answered line leaders in the last 30 days.",
    ]


def test_the_snapshot_triad_equals_the_live_one(steward_client, community):
    build_triad(community)
    build_snapshot()

    from_snapshot = steward_client.get(leaders_url(community) + "?period=30")
    live = steward_client.get(
        leaders_url(community),
        {
            "period": "custom",
            "start": preset_period(30).start.date().isoformat(),
            "end": timezone.localdate().isoformat(),
        },
    )

    assert from_snapshot.context["report"].triad_from_snapshot
    assert not live.context["report"].triad_from_snapshot
    # The same counts; only the period's name differs in the broken links.
    assert [r[:-1] for r in page_rows(from_snapshot.text, "triad")] == [
        r[:-1] for r in page_rows(live.text, "triad")
    ]
    assert (
        "Executives never answered line leaders in the last 30 days."
        in from_snapshot.text
    )
    assert 'id="triad-chart"' in from_snapshot.text
    assert '<desc id="triad-chart-desc">Line leaders never answered' in (
        from_snapshot.text
    )
    assert from_snapshot.text.count("triad-edge triad-broken") == 2


# --- Bridges ------------------------------------------------------------------


@pytest.fixture
def network():
    """Open A, B, C and private D. Pat alone links A and B; Quinn (a
    networker) and Rae link B and C; Sam links private D and A; Nell, a
    networker, takes part in A only."""
    a = CommunityFactory(name="Alpha", tags=["pumps", "safety"])
    b = CommunityFactory(name="Beta", tags=["safety"])
    c = CommunityFactory(name="Gamma")
    d = CommunityFactory(name="Delta secret", private=True, tags=["pumps"])
    maintenance = CommunityFactory(name="Maintenance", tags=["pumps"])
    people = {
        name: UserFactory(display_name=name, leadership_role=role)
        for name, role in [
            ("Pat", LeadershipRole.NONE),
            ("Quinn", N),
            ("Rae", LeadershipRole.NONE),
            ("Sam", LeadershipRole.NONE),
            ("Nell", N),
        ]
    }
    posts = {x: item(x, UserFactory(), days=10) for x in (a, b, c, d)}
    for name, places in [
        ("Pat", [a, b]),
        ("Quinn", [b, c]),
        ("Rae", [b, c]),
        ("Sam", [d, a]),
        ("Nell", [a]),
    ]:
        for place in places:
            member_of(place, user=people[name])
            reply(posts[place], people[name], days=5)
    return {"a": a, "b": b, "c": c, "d": d, "m": maintenance, **people}


def scores(snapshot, community=None):
    return {
        s.user.display_name: round(s.score, 4)
        for s in BridgeScore.objects.filter(snapshot=snapshot, community=community)
    }


def test_betweenness_finds_the_known_bridges(network):
    snapshot = build_snapshot()

    assert scores(snapshot) == {
        "Pat": round(4 / 6, 4),
        "Quinn": 0.25,
        "Rae": 0.25,
        "Sam": 0.5,
    }
    # Alpha's stewards: routes from Alpha to the open communities only, all
    # leaving by Pat (Sam's link is to the private Delta).
    assert scores(snapshot, network["a"]) == {"Pat": 1.0}
    # Delta's: over the open communities and Delta itself, all through Sam.
    assert scores(snapshot, network["d"]) == {"Sam": 1.0}
    # Beta's: to Alpha through Pat, to Gamma through Quinn and Rae.
    assert scores(snapshot, network["b"]) == {"Pat": 0.5, "Quinn": 0.25, "Rae": 0.25}


def test_declared_and_observed_roles_for_staff(staff_client, network):
    build_snapshot()

    response = staff_client.get(LEADERS)

    assert [r[0] for r in page_rows(response.text, "bridges")] == [
        "Pat",
        "Sam",
        "Quinn",
        "Rae",
    ]
    assert [r[0] for r in page_rows(response.text, "bridges_unroled")] == [
        "Pat",
        "Sam",
        "Rae",
    ]
    assert [r[0] for r in page_rows(response.text, "networkers_idle")] == ["Nell"]
    assert page_rows(response.text, "bridges")[1][3] == "Alpha, Delta secret"
    assert 'id="network-chart"' in response.text
    assert "network-person network-networker" in response.text


def test_a_steward_sees_their_community_and_no_other_private_one(client, network):
    steward = member_of(network["a"], steward=True).user
    client.force_login(steward)

    build_snapshot()
    response = client.get(leaders_url(network["a"]))

    assert [r[0] for r in page_rows(response.text, "bridges")] == ["Pat"]
    assert page_rows(response.text, "bridges")[0][3] == "Alpha, Beta"
    assert [r[0] for r in page_rows(response.text, "networkers_idle")] == ["Nell"]
    assert "Delta secret" not in response.text
    assert "Sam" not in response.text


# --- Missing bridges and ready to spread ----------------------------------------


def test_missing_bridges_with_a_suggested_networker(network):
    snapshot = build_snapshot()

    pairs = {
        (m.first.name, m.second.name): (m.topics, m.networker)
        for m in MissingBridge.objects.filter(snapshot=snapshot)
    }

    # Alpha and Beta share Pat; Alpha and Delta share Sam.
    assert pairs == {
        ("Alpha", "Maintenance"): ("pumps", network["Nell"]),
        ("Delta secret", "Maintenance"): ("pumps", None),
    }


def test_networkers_see_only_bridges_between_communities_they_can_see(client, network):
    build_snapshot()
    client.force_login(network["Nell"])

    response = client.get(SPREAD)

    assert page_rows(response.text, "missing_bridges") == [
        ["Alpha", "Maintenance", "pumps", "Nell"]
    ]
    assert "Delta secret" not in response.text


def ready_items(network):
    a, b, d = network["a"], network["b"], network["d"]
    ready = item(a, UserFactory(), days=20, title="Pump checklist", tags=["pumps"])
    shared = item(a, UserFactory(), days=20, title="Already travelled")
    item(b, UserFactory(), days=2, shared_from=shared, shared_by=network["Pat"])
    few = item(a, UserFactory(), days=20, title="Only two marks")
    secret = item(d, UserFactory(), days=20, title="Delta's own")
    for target, marks in [(ready, 3), (shared, 4), (few, 2), (secret, 5)]:
        for _ in range(marks):
            HelpfulMarkFactory(item=target)
    return ready


def test_ready_to_spread_for_a_networker(client, network):
    ready_items(network)
    client.force_login(network["Nell"])

    response = client.get(SPREAD)

    assert page_rows(response.text, "ready") == [
        ["Pump checklist", "Alpha", "3", "Maintenance"]
    ]


def test_the_networker_home_section(client, network):
    ready = ready_items(network)
    client.force_login(network["Nell"])

    response = client.get(reverse("home"))

    assert "Ready to spread" in response.text
    assert f'href="{ready.get_absolute_url()}"' in response.text
    assert f'href="{network["m"].get_absolute_url()}">Maintenance' in response.text
    assert "Delta" not in response.text


@pytest.mark.parametrize(
    "who", ["member", "steward", "executive", "private_member", "staff"]
)
def test_the_home_section_is_for_networkers_only(client, network, who):
    ready_items(network)
    user = UserFactory(
        is_staff=who == "staff",
        leadership_role=E if who == "executive" else LeadershipRole.NONE,
    )
    if who == "private_member":
        member_of(network["d"], user=user)
    member_of(network["a"], user=user, steward=who == "steward")
    client.force_login(user)

    response = client.get(reverse("home"))

    assert "Ready to spread" not in response.text


# --- Who may see which page -------------------------------------------------------

PEOPLE = [
    "anonymous",
    "outsider",
    "member",
    "member_of_private",
    "steward",
    "manager",
    "networker",
    "staff",
]


def login_as(client, who, community):
    if who == "anonymous":
        return None
    user = UserFactory(
        is_staff=who == "staff",
        leadership_role={"manager": E, "networker": N}.get(who, LeadershipRole.NONE),
    )
    if who == "member":
        MembershipFactory(user=user, community=community)
    elif who == "member_of_private":
        MembershipFactory(user=user, community=CommunityFactory(private=True))
    elif who == "steward":
        MembershipFactory(user=user, community=community, steward=True)
    client.force_login(user)
    return user


AS_PAGE_AND_CSV = pytest.mark.parametrize(
    "query", [{}, {"format": "csv", "table": "bridges"}], ids=["page", "csv"]
)


@AS_PAGE_AND_CSV
@pytest.mark.parametrize(
    ("who", "status"),
    list(zip(PEOPLE, [302, 403, 403, 403, 403, 403, 403, 200], strict=True)),
)
def test_the_organisation_leaders_page_is_for_staff(client, who, status, query):
    login_as(client, who, CommunityFactory())

    assert client.get(LEADERS, query).status_code == status


@AS_PAGE_AND_CSV
@pytest.mark.parametrize(
    ("who", "status"),
    list(zip(PEOPLE, [302, 404, 403, 404, 200, 404, 404, 200], strict=True)),
)
def test_a_private_community_leaders_page_is_for_its_stewards_and_staff(
    client, who, status, query
):
    community = CommunityFactory(private=True)
    login_as(client, who, community)

    assert client.get(leaders_url(community), query).status_code == status


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"format": "csv", "table": "ready"},
        {"format": "csv", "table": "missing_bridges"},
    ],
    ids=["page", "ready", "missing"],
)
@pytest.mark.parametrize(
    ("who", "status"),
    list(zip(PEOPLE, [302, 403, 403, 403, 403, 403, 200, 200], strict=True)),
)
def test_what_could_spread_next_is_for_networkers_and_staff(client, who, status, query):
    login_as(client, who, CommunityFactory())

    assert client.get(SPREAD, query).status_code == status


def test_unknown_tables_and_posts_are_refused(staff_client, community):
    assert staff_client.get(LEADERS, {"format": "csv", "table": "x"}).status_code == 404
    assert staff_client.get(SPREAD, {"format": "csv", "table": "x"}).status_code == 404
    assert staff_client.post(LEADERS).status_code == 405
    assert staff_client.post(SPREAD).status_code == 405


# --- CSV equals the page ----------------------------------------------------------


@pytest.mark.parametrize("url", ["organisation", "community", "spread"])
def test_every_table_downloads_as_csv_with_the_page_content(staff_client, network, url):
    ready_items(network)
    build_triad(network["a"])
    build_snapshot()
    address = {
        "organisation": LEADERS,
        "community": leaders_url(network["a"]),
        "spread": SPREAD,
    }[url]

    page = staff_client.get(address)

    for name, table in page.context["tables"].items():
        rows = csv_rows(staff_client.get(address, {"format": "csv", "table": name}))
        assert rows[0] == [str(c) for c in table.columns], name
        assert rows[1:] == page_rows(page.text, name), name
        if name != "networkers_idle" or url == "organisation":
            assert len(rows) > 1, name


# --- Query counts -------------------------------------------------------------------


def grow(size):
    """`size` communities linked in a chain by their own bridges, each with
    triad flows, ready items and a missing bridge."""
    chain = [CommunityFactory(tags=["pumps"]) for _ in range(size)]
    for k, community in enumerate(chain):
        build_triad(community)
        ready = item(community, UserFactory(), days=3, tags=["pumps"])
        for _ in range(3):
            HelpfulMarkFactory(item=ready)
        if k:
            bridge = UserFactory()
            for place in (chain[k - 1], community):
                reply(item(place, UserFactory(), days=4), bridge, days=2)
    networker = UserFactory(leadership_role=N)
    for community in chain:
        member_of(community, user=networker)
    build_snapshot()
    return chain, networker


@pytest.mark.parametrize("size", [3, 6])
def test_leaders_pages_query_counts(
    client, django_assert_num_queries, manual_rollups, size
):
    chain, _networker = grow(size)
    manual_rollups()
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    with django_assert_num_queries(LEADERS_QUERIES):
        assert client.get(LEADERS).status_code == 200
    with django_assert_num_queries(COMMUNITY_LEADERS_QUERIES):
        assert client.get(leaders_url(chain[0])).status_code == 200


@pytest.mark.parametrize("size", [3, 6])
def test_spread_next_and_home_query_counts(
    client, django_assert_num_queries, manual_rollups, size
):
    _chain, networker = grow(size)
    manual_rollups()
    client.force_login(networker)

    # Once: the topics, and the communities' most marked items merged.
    with django_assert_num_queries(SPREAD_QUERIES + 2):
        response = client.get(SPREAD)
    assert len(response.context["tables"]["ready"].rows) == size
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert "Ready to spread" in response.text
    with django_assert_num_queries(SPREAD_QUERIES):
        client.get(SPREAD)


# Session, user, badge 3 (+2 community and membership); the snapshot 1; the
# triad 1; bridges, bridges without the role, idle networkers: count + page
# each 6; community names 1; the network's people 1.
# (These pins once counted the rollup job too, which the dashboards' conftest
# runs before every dashboard page unless a test asks for manual_rollups:
# 30/30/26 then.)
LEADERS_QUERIES = 13
COMMUNITY_LEADERS_QUERIES = 15
# The request's own (session, user, notification badge); the snapshot 1;
# ready to spread 3 (the viewer's communities, those items, the key of the
# communities they see, by which the communities' topics are cached; each
# community's most marked items are cached too: one query more each on a
# cold cache); missing bridges count + page 2.
SPREAD_QUERIES = 8
# The home page's first view (nothing cached yet) with every panel a
# networker gets (the 90-day plans panel included; knowledge's lists read
# which items they hold, then the rows: tests/test_home.py); this section
# adds 3 (the networker's communities, those items, the key of the
# communities they see; their most marked items and the topics are cached).
HOME_QUERIES = 15


# --- The nightly job ----------------------------------------------------------------


def test_the_nightly_job_goes_through_the_outbox_and_replaces_the_day(
    network, django_capture_on_commit_callbacks
):
    from dashboards.tasks import network_snapshot_run

    day = timezone.localdate().isoformat()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            network_snapshot_run.delay(day=day)

    assert (
        OutboxJob.objects.filter(
            task_name="dashboards.network_snapshot_build", kwargs={"day": day}
        ).count()
        == 2
    )
    assert NetworkSnapshot.objects.count() == 1
    assert BridgeScore.objects.filter(community=None).count() == 4


def test_the_topic_index_follows_community_changes_and_never_leaks():
    """The communities by topic are cached per set of visible communities:
    an insider's index (with a private community) never reaches an
    outsider, and a topic change or an archive shows at once."""
    from communities.services.lifecycle import community_archive, community_update
    from dashboards.spread_next import topic_index

    open_one = CommunityFactory(name="Alpha", tags=["pumps"])
    private = CommunityFactory(name="Hidden", private=True, tags=["pumps"])
    insider = member_of(private, user=UserFactory()).user
    outsider = UserFactory()
    steward = member_of(open_one, user=UserFactory(), role="steward").user

    def names(viewer, tag):
        return sorted(name for _pk, name, _slug in topic_index(viewer).get(tag, []))

    assert names(insider, "pumps") == ["Alpha", "Hidden"]
    assert names(outsider, "pumps") == ["Alpha"]
    community_update(
        community=open_one,
        acting_user=steward,
        name="Alpha",
        slug=open_one.slug,
        purpose=open_one.purpose,
        tags=["valves"],
        visibility=open_one.visibility,
    )
    assert names(outsider, "pumps") == []
    assert names(outsider, "valves") == ["Alpha"]
    community_archive(community=open_one, acting_user=steward)
    assert names(outsider, "valves") == []
    assert names(insider, "pumps") == ["Hidden"]
