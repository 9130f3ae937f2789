import csv
import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from communities.models import Membership
from knowledge.models import AdoptionCheckIn, Item
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import (
    days_ago,
    item,
    member_of,
    mentoring_request,
    pair_for,
    question,
    reply,
)
from tests.knowledge.factories import AdoptionFactory, HelpfulMarkFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboards:index")


def dashboard_url(community):
    return reverse("dashboards:community", kwargs={"slug": community.slug})


# --- Who may see what -------------------------------------------------------


# The same gate holds for the page and for its CSV downloads.
AS_PAGE_AND_CSV = pytest.mark.parametrize(
    "query", [{}, {"format": "csv", "table": "unanswered"}], ids=["page", "csv"]
)


@AS_PAGE_AND_CSV
@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("member", 403), ("steward", 403), ("staff", 200)],
)
def test_organisation_dashboard_is_for_staff_only(
    client, community, who, status, query
):
    if who != "anonymous":
        user = UserFactory(is_staff=who == "staff")
        if who in ("member", "steward"):
            MembershipFactory(user=user, community=community, steward=who == "steward")
        client.force_login(user)

    response = client.get(INDEX, query)

    assert response.status_code == status
    if status == 200 and query:
        assert response["Content-Type"].startswith("text/csv")
    if who == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@AS_PAGE_AND_CSV
@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize(
    ("who", "open_status", "private_status"),
    [
        ("anonymous", 302, 302),
        ("non_member", 403, 404),
        ("pending_steward", 403, 404),
        ("member", 403, 403),
        ("steward_of_another", 403, 404),
        ("steward", 200, 200),
        ("staff", 200, 200),
    ],
)
def test_community_dashboard_is_for_its_stewards_and_staff(
    client, who, open_status, private_status, private, query
):
    community = CommunityFactory(private=private)
    user = UserFactory(is_staff=who == "staff")
    if who == "member":
        MembershipFactory(user=user, community=community)
    elif who == "steward":
        MembershipFactory(user=user, community=community, steward=True)
    elif who == "pending_steward":
        MembershipFactory(user=user, community=community, steward=True, pending=True)
    elif who == "steward_of_another":
        MembershipFactory(user=user, steward=True)
    if who != "anonymous":
        client.force_login(user)

    response = client.get(dashboard_url(community), query)

    expected = private_status if private else open_status
    assert response.status_code == expected
    if expected == 200 and query:
        assert response["Content-Type"].startswith("text/csv")


def test_a_steward_sees_only_their_own_community(steward_client, community, steward):
    other = CommunityFactory(name="Other place")
    question(community, UserFactory(), days=3, title="Ours, still open")
    question(other, UserFactory(), days=3, title="Theirs, still open")

    response = steward_client.get(dashboard_url(community))

    assert response.status_code == 200
    assert "Ours, still open" in response.text
    assert "Theirs, still open" not in response.text
    assert steward_client.get(dashboard_url(other)).status_code == 403
    assert steward_client.get(INDEX).status_code == 403


def test_staff_see_every_community_in_the_organisation_table(staff_client):
    CommunityFactory(name="Open one")
    CommunityFactory(name="Secret one", private=True)

    response = staff_client.get(INDEX)

    names = [row[0].text for row in response.context["tables"]["communities"].rows]
    assert names == ["Open one", "Secret one"]


def test_organisation_table_names_missing_leader_roles_briefly(staff_client):
    """The leader-role columns say what is missing ("no executive"), not a
    list of full role names that wraps over several lines."""
    community = CommunityFactory(name="Open one")
    MembershipFactory(
        community=community, user=UserFactory(leadership_role="executive")
    )

    response = staff_client.get(INDEX)

    (row,) = response.context["tables"]["communities"].rows
    assert [cell.text for cell in row[7:9]] == [
        "no line leader, no networker",
        "none",
    ]


def test_dashboards_only_answer_get(staff_client, community):
    assert staff_client.post(INDEX).status_code == 405
    assert staff_client.post(dashboard_url(community)).status_code == 405


# --- The period filter ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("", "the last 90 days"),
        ("?period=30", "the last 30 days"),
        ("?period=365", "the last 365 days"),
        ("?period=custom&start=2025-01-01&end=2025-01-31", "2025-01-01 to 2025-01-31"),
        ("?period=30&start=nonsense", "the last 30 days"),
    ],
)
def test_period_filter_chooses_the_window(staff_client, query, label):
    response = staff_client.get(INDEX + query)

    assert response.status_code == 200
    assert response.context["period"].label == label


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=custom&start=2025-02-10&end=2025-01-01", "on or after the start"),
        ("?period=custom&start=2025-02-10", "both a start and an end date"),
        ("?period=custom&start=yesterday&end=2025-01-01", "Enter a valid date"),
        ("?period=custom&start=2099-01-01&end=2099-01-02", "cannot be in the future"),
        ("?period=custom&start=2015-01-01&end=2025-01-01", "at most three years"),
        ("?period=custom&start=0001-01-01&end=0001-01-02", "on or after 2000-01-01"),
        ("?period=7", "Select a valid choice"),
    ],
)
def test_bad_period_shows_a_clear_error_and_the_default_period(
    steward_client, community, query, message
):
    response = steward_client.get(dashboard_url(community) + query)

    assert response.status_code == 200
    assert message in response.text
    assert response.context["period"].label == "the last 90 days"
    for typed in ("2025-02-10", "yesterday"):
        if typed in query:
            assert f'value="{typed}"' in response.text


# --- CSV downloads ------------------------------------------------------------


class _TableRows(HTMLParser):
    """Rows (cell texts) of the table inside <section id="table-NAME">."""

    def __init__(self, name):
        super().__init__()
        self.target = f"table-{name}"
        self.depth = 0  # <section> nesting inside the target
        self.in_body = False
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "section" and (self.depth or dict(attrs).get("id") == self.target):
            self.depth += 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "section" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_rows(html, name):
    parser = _TableRows(name)
    parser.feed(html)
    return parser.rows


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def build_organisation(size: int):
    """`size` communities with something in every table of both dashboards."""
    helper = UserFactory(display_name="Helper")
    communities = [CommunityFactory() for _ in range(size)]
    first = communities[0]
    for community in communities:
        MembershipFactory(community=community, steward=True, user=helper)
        for k in range(size):
            newcomer = member_of(community, joined_days_ago=30).user
            veteran = member_of(community).user
            story = item(community, veteran, days=k + 1, tags=[f"tag{k}", "lean"])
            reply(story, newcomer, days=k + 0.5)
            item(community, newcomer, days=20 + k)  # waits a week unanswered
            asked = question(community, veteran, days=3 + k, tags=["pumps"])
            answer = reply(asked, helper, days=2 + k)
            asked.accepted_reply = answer
            asked.save(update_fields=["accepted_reply"])
            question(community, newcomer, days=5 + k)  # never answered
            HelpfulMarkFactory(item=story, created_at=days_ago(1))
        if community is not first:
            item(community, helper, days=2, shared_from=story_of(first))
            adoption = AdoptionFactory(item=story_of(first), community=community)
            # It lasted (knowledge.adoptions): pockets count only those.
            AdoptionCheckIn.objects.create(
                adoption=adoption, day=30, due_on=adoption.created_at, answer="kept"
            )
        # The exclusion radar: a request left waiting, a silent unit, and a
        # member whose last five posts nobody answered.
        MembershipFactory(community=community, pending=True, created_at=days_ago(9))
        member_of(community, user=UserFactory(business_unit="Night shift"))
        unheard = member_of(community).user
        for k in range(5):
            item(community, unheard, days=40 + k)
        for k in range(size):
            mentee = member_of(community).user
            asked = mentoring_request(mentee, days=23 + k, community=community)
            pair_for(asked, broker=helper, proposed=22 + k)  # quiet since
            mentoring_request(mentee, days=k + 1)  # waiting, naming no community
    return communities


def story_of(community):
    return community.items.filter(kind="story").order_by("pk").first()


@pytest.mark.parametrize("where", ["organisation", "community"])
def test_every_table_downloads_as_csv_with_the_page_content(staff_client, where):
    communities = build_organisation(3)
    url = INDEX if where == "organisation" else dashboard_url(communities[0])
    page = staff_client.get(url + "?period=30")
    names = list(page.context["tables"])
    assert (
        "communities" in names
        if where == "organisation"
        else "communities" not in names
    )

    for name in names:
        table = page.context["tables"][name]
        response = staff_client.get(
            url, {"period": "30", "format": "csv", "table": name}
        )
        rows = csv_rows(response)
        assert rows[0] == [str(c) for c in table.columns], name
        if name == "summary":  # shown as headline figures, not a <table>
            assert rows[1:] == [[c.text for c in cells] for cells in table.rows]
            continue
        assert rows[1:] == page_rows(page.text, name), name
        assert len(rows) > 1, f"{name} should have rows in this data"


def test_csv_of_a_long_list_holds_every_row_not_just_the_first_page(
    steward_client, community
):
    for n in range(30):
        question(community, UserFactory(), days=n + 1, title=f"Open question {n}")

    page = steward_client.get(dashboard_url(community))
    rows = csv_rows(
        steward_client.get(
            dashboard_url(community), {"format": "csv", "table": "unanswered"}
        )
    )

    assert len(page_rows(page.text, "unanswered")) == 25
    assert len(rows) == 31
    assert rows[1][0] == "Open question 29"  # oldest first


def test_pages_of_a_table_keep_the_period(steward_client, community):
    for n in range(30):
        question(community, UserFactory(), days=n + 1, title=f"Open question {n}")

    page = steward_client.get(dashboard_url(community) + "?period=365")
    table = page.context["tables"]["unanswered"]
    assert table.next_query == "?period=365&unanswered_page=2"
    second = steward_client.get(dashboard_url(community) + table.next_query)

    assert [r[0] for r in page_rows(second.text, "unanswered")] == [
        f"Open question {n}" for n in range(4, -1, -1)
    ]


def test_unknown_csv_table_is_not_found(staff_client, community):
    assert (
        staff_client.get(INDEX, {"format": "csv", "table": "nope"}).status_code == 404
    )
    response = staff_client.get(
        dashboard_url(community), {"format": "csv", "table": "communities"}
    )
    assert response.status_code == 404


def test_csv_cells_cannot_run_as_spreadsheet_formulas(steward_client, community):
    question(community, UserFactory(), days=2, title="=HYPERLINK(evil)")

    rows = csv_rows(
        steward_client.get(
            dashboard_url(community), {"format": "csv", "table": "unanswered"}
        )
    )

    assert rows[1][0] == "'=HYPERLINK(evil)"


# --- Links and the mentoring section ----------------------------------------


def test_rows_link_to_the_people_items_and_communities_they_name(staff_client):
    communities = build_organisation(2)
    response = staff_client.get(dashboard_url(communities[0]) + "?period=30")
    tables = response.context["tables"]

    newcomer = tables["newcomers"].rows[0]
    first_post = Item.objects.get(title=newcomer[2].text)
    assert newcomer[0].url == first_post.author.get_absolute_url()
    assert newcomer[1].url == communities[0].get_absolute_url()
    assert newcomer[2].url == first_post.get_absolute_url()
    assert staff_client.get(newcomer[2].url).status_code == 200
    assert staff_client.get(newcomer[0].url).status_code == 200
    assert f'href="{first_post.get_absolute_url()}"' in response.text
    broker = tables["mentoring_brokers"].rows[0][0]
    assert broker.text == "Helper"
    assert staff_client.get(broker.url).status_code == 200


def test_quiet_pairs_link_to_the_pair_only_for_who_may_open_it(client, community):
    steward = member_of(community, role=Membership.Role.STEWARD).user
    broker = UserFactory(display_name="Bea Broker")
    mentee = member_of(community, user=UserFactory(display_name="Mo Mentee")).user
    pair = pair_for(mentoring_request(mentee, days=40), broker=broker, proposed=30)
    url = dashboard_url(community)

    client.force_login(steward)
    as_steward = client.get(url)
    client.force_login(UserFactory(is_staff=True))
    as_staff = client.get(url)

    pair_href = f'href="{pair.get_absolute_url()}"'
    for response in (as_steward, as_staff):
        assert response.status_code == 200
        assert "Mo Mentee" in page_rows(response.text, "mentoring_quiet")[0][0]
    assert pair_href not in as_steward.text  # the pair's page is 404 for them
    assert pair_href in as_staff.text


def test_mentoring_section_shows_its_empty_states(steward_client, community):
    response = steward_client.get(dashboard_url(community))

    assert '<h2 id="mentoring-title">Mentoring</h2>' in response.text
    assert "Every active pair has checked in recently." in response.text
    assert "No match was proposed in this period." in response.text


# --- Empty states, chart, query counts -------------------------------------


def test_a_new_community_dashboard_shows_empty_states(steward_client, community):
    response = steward_client.get(dashboard_url(community))

    assert response.status_code == 200
    assert "Every question has an answer." in response.text
    assert "Nothing was shared or adopted between communities." in response.text
    assert 'role="img"' in response.text


def test_weekly_chart_has_a_text_alternative(steward_client, community, steward):
    item(community, steward, days=1)

    response = steward_client.get(dashboard_url(community))

    assert '<title id="weekly-chart-title">Contributions per week' in response.text
    assert 'aria-labelledby="weekly-chart-title weekly-chart-desc"' in response.text
    rows = page_rows(response.text, "weekly")
    assert len(rows) == 13  # 90 days
    assert rows[-1][2] == "1"


@pytest.mark.parametrize("size", [3, 6])
def test_organisation_dashboard_query_count_does_not_grow(
    staff_client, django_assert_num_queries, manual_rollups, size
):
    build_organisation(size)
    manual_rollups()

    with django_assert_num_queries(ORGANISATION_QUERIES):
        response = staff_client.get(INDEX + "?period=30")

    assert response.status_code == 200
    assert len(response.context["tables"]["communities"].rows) == size


@pytest.mark.parametrize("size", [3, 6])
def test_community_dashboard_query_count_does_not_grow(
    client, django_assert_num_queries, manual_rollups, size
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
    manual_rollups()

    with django_assert_num_queries(COMMUNITY_QUERIES):
        response = client.get(dashboard_url(communities[0]) + "?period=30")

    assert response.status_code == 200
    assert len(response.context["tables"]["askers"].rows) == size


# Session, user and notification badge: 3 (+2 for the community and the
# viewer's membership, +1 for the communities hidden from a steward, which
# key their cached page; +1 for the organisation's latest snapshot); the
# rollups' state (when last brought up to date, and the version that keys
# the cached tables) 1; from the daily rollups and item facts:
# participation 3 (+2 for the communities table), unanswered summary 2,
# unanswered questions and askers count + page each, newcomers' first posts
# 2 (their ids, then a page of items), most helpful 2 (the top marks, then
# the items), rising tags 1, single-expert risk 2 (the grouped answers, then
# the experts), the status gap 1, silent units and locations 1, unheard
# members 2 (their ids, then a page of members); live: join requests count
# + page, pockets 2 (lasting adoptions grouped, then their items), stick
# rate 2 (outcomes grouped, then the communities), activity balance 2 (the
# communities, then their items by activity), spread 3, mentoring summary
# 4, quiet pairs count + page, matches per broker 1. A repeat view reads
# most of these from the cache (tests/dashboards/test_table_cache.py).
ORGANISATION_QUERIES = 46
COMMUNITY_QUERIES = 45


# --- Reading a long dashboard ------------------------------------------------------


def test_a_summary_and_section_navigation_come_first(staff_client):
    build_organisation(3)
    html = staff_client.get(INDEX).content.decode()
    summary = html.index('id="summary-title"')
    assert (
        summary
        < html.index('id="communities-title"')
        < html.index('id="participation-title"')
    )
    nav = html[html.index('aria-label="Dashboard sections"') :]
    for anchor in ("communities", "participation", "left-out", "spread", "mentoring"):
        assert f'href="#{anchor}-title"' in nav[: nav.index("</nav>")]


def test_a_long_table_shows_five_rows_and_the_rest_on_show_all(
    steward_client, community
):
    for n in range(12):
        question(community, UserFactory(), days=n + 1, title=f"Open question {n}")
    html = steward_client.get(dashboard_url(community)).content.decode()
    table = html[html.index('id="table-unanswered"') :]
    table = table[: table.index("</section>")]
    assert "long-table" in html[html.index('id="table-unanswered"') - 60 :][:80]
    assert table.count('class="more-row"') == 7
    assert "Show all 12 rows" in table and '<details class="show-all">' in table
    # Every row is still in the page (and the CSV): nothing is lost.
    assert len(page_rows(html, "unanswered")) == 12
    # Coming back to a page of this table shows it whole.
    html = steward_client.get(
        dashboard_url(community), {"unanswered_page": "1"}
    ).content.decode()
    assert '<details class="show-all" open>' in html
