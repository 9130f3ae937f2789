"""Journey b: a question finds its expert. A member asks a question tagged
with a colleague's expertise; the colleague sees it on their home page and
answers; the asker is notified (badge in the navigation), accepts the answer;
the expert's own practice is found by search."""

import re

import pytest
from playwright.sync_api import expect

from communities.models import Membership
from knowledge import services as knowledge_services
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD, main_text
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def people(transactional_db):
    community = CommunityFactory(
        name="Maintenance Crews",
        slug="maintenance-crews",
        purpose="Keeping machines running safely.",
    )
    asker = UserFactory(
        display_name="Ada Asker", email="ada@example.com", password=PASSWORD
    )
    expert = UserFactory(
        display_name="Eli Expert",
        email="eli@example.com",
        password=PASSWORD,
        expertise=["lockout"],
    )
    for person, role in ((asker, Membership.Role.MEMBER), (expert, "steward")):
        MembershipFactory(user=person, community=community, role=role)
    # Written through the service so the search index knows it (PostgreSQL).
    knowledge_services.item_create(
        author=expert,
        community=community,
        kind=ItemKind.PRACTICE,
        title="Lockout tagout for night crews",
        body="Every lock has a name on it, and the last one off is the shift lead's.",
        tags=["lockout"],
    )
    return asker, expert


def test_a_question_reaches_its_expert_and_the_answer_is_accepted(people, open_as):
    asker, expert = people
    ada = open_as(asker)
    eli = open_as(expert)

    # Ada asks in her community, tagging the topic.
    ada.goto("/communities/maintenance-crews/")
    ada.get_by_role("button", name="Ask a question").click()
    expect(ada.get_by_label("What is it?")).to_have_value("question")
    ada.get_by_label("Title").fill("Who removes the last lock after a double shift?")
    ada.get_by_label("Text").fill("Two crews overlap on Line 3. Whose lock goes last?")
    ada.get_by_label("Tags").fill("lockout")
    ada.get_by_role("button", name="Publish").click()
    expect(ada.get_by_role("heading", level=1)).to_have_text(
        "Who removes the last lock after a double shift?"
    )
    question_url = ada.url
    nav = ada.get_by_role("navigation", name="Main")
    expect(nav.locator(".badge")).to_have_count(0)

    # Eli's home page pulls it in: it matches his expertise.
    eli.goto("/")
    could_answer = eli.get_by_role("region", name="Questions you could answer")
    expect(could_answer).to_contain_text("Ada Asker")
    could_answer.get_by_role(
        "link", name="Who removes the last lock after a double shift?"
    ).click()
    eli.get_by_label("Your answer").fill(
        "The shift lead of the **incoming** crew: see our lockout practice."
    )
    eli.get_by_role("button", name="Post answer").click()
    expect(eli.locator("main .reply")).to_contain_text("incoming")

    # Ada is told: a badge with the count in the navigation.
    ada.goto("/")
    notifications_link = nav.get_by_role("link", name=re.compile("^Notifications"))
    expect(notifications_link.locator(".badge")).to_have_text("1")
    expect(notifications_link).to_have_attribute(
        "aria-label", "Notifications, 1 unread"
    )
    notifications_link.click()
    expect(ada.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert "Eli Expert" in main_text(ada)
    ada.get_by_role("button", name="Open").first.click()
    expect(ada).to_have_url(re.compile(re.escape(question_url.split("#")[0])))
    expect(nav.locator(".badge")).to_have_count(0)

    # She accepts the answer.
    ada.get_by_role("button", name="Accept this answer").click()
    answer = ada.locator("main .reply.accepted")
    expect(answer).to_contain_text("Accepted answer")
    expect(answer).to_contain_text("Eli Expert")
    expect(ada.get_by_role("button", name="Withdraw acceptance")).to_be_visible()

    # The question has left Eli's "could answer" list; he heard of the accept.
    eli.goto("/")
    expect(
        eli.get_by_role("region", name="Questions you could answer")
    ).not_to_contain_text("double shift")
    expect(eli.get_by_role("navigation", name="Main").locator(".badge")).to_have_text(
        "1"
    )

    # The header's search box suggests as Eli types (Escape closes the
    # suggestions), and Enter searches for the word.
    box = eli.get_by_role("combobox", name="Quick find")
    box.fill("tagout")
    suggestion = eli.get_by_role("option", name=re.compile("Lockout tagout"))
    expect(suggestion).to_be_visible()
    box.press("Escape")
    expect(eli.get_by_role("listbox")).to_be_hidden()
    box.press("Enter")
    expect(eli.get_by_role("status")).to_have_text("1 result")
    result = eli.locator("main .item-list li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Lockout tagout for night crews")
    expect(result).to_contain_text("Eli Expert")
    result.get_by_role("link", name="Lockout tagout for night crews").click()
    expect(eli.get_by_role("heading", level=1)).to_have_text(
        "Lockout tagout for night crews"
    )
