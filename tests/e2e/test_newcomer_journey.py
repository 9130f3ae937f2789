"""Journey a: a newcomer signs up, is welcomed (not "welcome back"), says
what they know and want to learn, joins a matching community in one click, is
welcomed there with a checklist, introduces themselves with a story written from
the story template, and sees the first step of the checklist ticked."""

import re

import pytest
from playwright.sync_api import expect

from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD, main_text
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def shift_handover(transactional_db):
    steward = UserFactory(display_name="Sara Steward")
    community = CommunityFactory(
        name="Shift Handover",
        slug="shift-handover",
        purpose="Handing over a running line without losing anything.",
        created_by=steward,
        tags=["shift-handover"],
    )
    MembershipFactory(user=steward, community=community, steward=True)
    # A private community the newcomer should also see listed, name only.
    CommunityFactory(name="Board Room", slug="board-room", private=True)
    return community


def test_newcomer_signs_up_joins_and_introduces_themselves(shift_handover, open_as):
    page = open_as(None)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "button", name="Join"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Practica")
    page.get_by_label("Your name").fill("Nina Newcomer")
    page.get_by_label("Email").fill("nina.newcomer@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Join").click()
    # The first visit is a welcome, not "welcome back".
    page.wait_for_url(re.compile(r"/welcome/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Welcome to Practica, Nina Newcomer"
    )
    page.get_by_label("What you know well").fill("Packaging")
    page.get_by_label("What you want to learn").fill("Shift handover")
    page.get_by_role("button", name="Show matching communities").click()
    suggested = page.get_by_role("list", name="Suggested communities")
    card = suggested.get_by_role("listitem").filter(has_text="Shift Handover")
    expect(card).to_contain_text("Handing over a running line")
    expect(card).to_contain_text("1 topic in common")
    # The private community's topics never find it.
    expect(suggested).not_to_contain_text("Board Room")
    # One click joins; the button names its community.
    card.get_by_role("button", name="Join Shift Handover").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Welcome to Shift Handover!"
    )
    expect(
        page.get_by_role("list", name="Suggested communities")
        .get_by_role("listitem")
        .filter(has_text="Shift Handover")
    ).to_contain_text("Joined")
    page.get_by_role("button", name="Continue to my first community").click()

    # The community's welcome panel names the steward and shows the checklist.
    expect(page.get_by_role("heading", level=1)).to_have_text("Shift Handover")
    welcome = page.get_by_role("region", name="Welcome to Shift Handover!")
    expect(welcome).to_be_visible()
    expect(welcome).to_contain_text("Sara Steward")
    checklist = welcome.get_by_role("list", name="Getting started")
    expect(checklist.get_by_role("listitem")).to_have_count(3)
    intro = checklist.get_by_role("listitem").filter(has_text="Introduce yourself")
    expect(intro).to_contain_text("(to do)")
    expect(intro).not_to_have_class(re.compile(r"\bdone\b"))

    # The checklist's first step opens the editor on the story template.
    intro.get_by_role("link", name="Introduce yourself").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Share with Shift Handover"
    )
    expect(page.get_by_label("What is it?")).to_have_value("story")
    body = page.get_by_label("Text")
    expect(body).to_have_value(re.compile(r"## Context.*## Lesson", re.S))
    page.get_by_label("Title").fill("Hello from the night shift")
    story = (
        body.input_value()
        .replace(
            "## Context\n", "## Context\nI joined the packaging line last month.\n"
        )
        .replace("## Lesson\n", "## Lesson\nAsk early; everyone here was new once.\n")
    )
    body.fill(story)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hello from the night shift"
    )
    assert "I joined the packaging line last month." in main_text(page)
    expect(page.locator("main h2", has_text="Context")).to_be_visible()
    # Headings left empty are not published; no prompt text ever was there.
    expect(page.locator("main h2", has_text="Outcome")).to_have_count(0)

    # Back on the community page the first step is ticked.
    page.goto("/communities/shift-handover/")
    intro = (
        page.get_by_role("list", name="Getting started")
        .get_by_role("listitem")
        .filter(has_text="Introduce yourself")
    )
    expect(intro).to_contain_text("(done)")
    expect(intro).to_have_class(re.compile(r"\bdone\b"))
    expect(intro.locator(".check")).to_have_text("✔")
    read = (
        page.get_by_role("list", name="Getting started")
        .get_by_role("listitem")
        .filter(has_text="Read the most helpful stories")
    )
    expect(read).to_contain_text("(to do)")
    expect(page.locator("#feed")).to_contain_text("Hello from the night shift")
