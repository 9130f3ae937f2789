"""Journey: a member follows a community without JavaScript's help, then
mentions a colleague through the keyboard-driven typeahead; the colleague is
told and the mention is a link to their profile."""

import re

import pytest
from playwright.sync_api import expect

from knowledge import services as knowledge_services
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def people(transactional_db):
    community = CommunityFactory(
        name="Maintenance Crews", slug="maintenance-crews", purpose="Machines."
    )
    ada = UserFactory(
        display_name="Ada Asker", email="ada@example.com", password=PASSWORD
    )
    eli = UserFactory(
        username="eli-expert",
        display_name="Eli Expert",
        email="eli@example.com",
        password=PASSWORD,
    )
    for person in (ada, eli):
        MembershipFactory(user=person, community=community)
    item = knowledge_services.item_create(
        author=eli,
        community=community,
        kind=ItemKind.QUESTION,
        title="Who removes the last lock?",
        body="Two crews overlap on Line 3.",
    )
    return ada, eli, item


def test_follow_then_mention_with_the_keyboard(people, open_as):
    ada_user, eli_user, item = people
    ada = open_as(ada_user)

    ada.goto("/communities/maintenance-crews/")
    ada.get_by_label("Notifications about Maintenance Crews").select_option("new_items")
    ada.get_by_role("button", name="Follow Maintenance Crews").click()
    expect(ada.locator(".messages")).to_contain_text("Following: New items only")
    ada.goto("/following/")
    expect(ada.locator("main")).to_contain_text("Maintenance Crews")

    ada.goto(item.get_absolute_url())
    answer = ada.get_by_role("textbox", name="Your answer")
    answer.click()
    answer.press_sequentially("Ask @el")
    listbox = ada.get_by_role("listbox", name="People you can mention")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox.get_by_role("option", selected=True)).to_contain_text("Eli Expert")
    expect(answer).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(answer).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").get_attribute("id")
    )
    answer.press("Escape")
    expect(listbox).to_be_hidden()
    expect(answer).not_to_have_attribute("aria-activedescendant", re.compile("."))
    answer.press("Backspace")
    answer.press_sequentially("l")
    expect(listbox.get_by_role("option")).to_have_count(1)
    answer.press("ArrowDown")  # one option: wraps to itself
    answer.press("Enter")
    expect(answer).to_have_value("Ask @eli-expert ")
    answer.press_sequentially("about the locks.")
    ada.get_by_role("button", name="Post answer").click()

    reply = ada.locator("main .reply")
    expect(reply.get_by_role("link", name="@eli-expert")).to_have_attribute(
        "href", re.compile(r"/members/eli-expert/$")
    )

    # Eli asked: he hears of the answer once, not once more for the mention.
    eli = open_as(eli_user)
    eli.goto("/notifications/")
    expect(eli.locator("main")).to_contain_text("Ada Asker answered your question")
    expect(eli.locator("main")).not_to_contain_text("mentioned you")
