"""Journey d: a line leader brokers a mentoring match. The broker console
lists an open request with explained suggestions; the broker proposes one
mentor with a note; mentor and mentee each accept; the pair page is there
for both of them."""

import re

import pytest
from playwright.sync_api import expect

from members.models import LeadershipRole
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorOfferFactory

pytestmark = BROWSER_MARKS


@pytest.fixture
def people(transactional_db):
    broker = UserFactory(
        display_name="Lena Linelead",
        email="lena@example.com",
        password=PASSWORD,
        leadership_role=LeadershipRole.LINE_LEADER,
    )
    mentee = UserFactory(
        display_name="Milo Mentee",
        email="milo@example.com",
        password=PASSWORD,
        leadership_role=LeadershipRole.LINE_LEADER,
    )
    mentor = UserFactory(
        display_name="Maya Mentor",
        email="maya@example.com",
        password=PASSWORD,
        leadership_role=LeadershipRole.EXECUTIVE,
        expertise=["negotiation"],
    )
    MentorOfferFactory(user=mentor, topics=["negotiation"])
    other = UserFactory(display_name="Omar Other", expertise=["negotiation"])
    MentorOfferFactory(user=other, topics=["negotiation"])
    welder = UserFactory(display_name="Wes Welder", expertise=["welding"])
    MentorOfferFactory(user=welder, topics=["welding"])
    MentoringRequestFactory(
        mentee=mentee,
        topics=["negotiation"],
        goals="Negotiate next year's maintenance contract without conceding it all.",
    )
    return broker, mentor, mentee


def test_line_leader_brokers_a_match_and_both_accept(people, open_as):
    broker, mentor, mentee = people
    lena = open_as(broker)

    lena.goto("/mentoring/")
    lena.get_by_role("button", name="Broker console").click()
    expect(lena.get_by_role("heading", level=1)).to_have_text("Broker console")
    request = lena.locator("article.m-request", has_text="Milo Mentee")
    expect(request).to_contain_text("negotiation")
    expect(request).to_contain_text("maintenance contract")
    suggestions = request.get_by_role("group", name="Suggested mentors")
    expect(suggestions.get_by_role("radio")).to_have_count(2)
    expect(suggestions).not_to_contain_text("Wes Welder")
    maya = suggestions.get_by_role("listitem").filter(has_text="Maya Mentor").first
    expect(maya).to_contain_text(re.compile(r"\d{1,3}/100"))
    expect(maya).to_contain_text("executive as thinking partner for a line leader")

    maya.get_by_role("radio").check()
    request.get_by_label("Note to both of them (optional)").fill(
        "Maya ran the last three supplier negotiations."
    )
    request.get_by_role("button", name="Propose the match").click()
    expect(lena.locator(".messages")).to_contain_text(
        "Proposed Maya Mentor to Milo Mentee"
    )
    expect(lena.locator("article.m-request", has_text="Milo Mentee")).to_have_count(0)

    # The mentor accepts first; the pair waits for the mentee.
    maya_page = open_as(mentor)
    maya_page.goto("/mentoring/")
    waiting = maya_page.get_by_role("region", name="Waiting for your answer")
    waiting.get_by_role("link", name="Mentor Milo Mentee?").click()
    expect(maya_page.get_by_role("heading", level=1)).to_have_text(
        "Maya Mentor & Milo Mentee"
    )
    expect(maya_page.locator("main")).to_contain_text(
        "Maya ran the last three supplier negotiations."
    )
    maya_page.get_by_role("button", name="Accept").click()
    expect(maya_page.locator(".messages")).to_contain_text(
        "Waiting for the other person"
    )
    pair_url = maya_page.url

    milo = open_as(mentee)
    milo.goto("/mentoring/")
    milo.get_by_role("region", name="Waiting for your answer").get_by_role(
        "link", name="Work with Maya Mentor?"
    ).click()
    assert milo.url == pair_url
    milo.get_by_role("button", name="Accept").click()
    expect(milo.locator(".messages")).to_contain_text("You are now a mentoring pair")
    expect(milo.locator("main hgroup")).to_contain_text("Active")
    expect(milo.get_by_role("heading", name="Goals")).to_be_visible()

    # Both find the pair on their mentoring page.
    for page, other_name, my_role in (
        (milo, "Maya Mentor", "Mentee"),
        (maya_page, "Milo Mentee", "Mentor"),
    ):
        page.goto("/mentoring/")
        row = page.get_by_role("region", name="My pairs").get_by_role(
            "row", name=re.compile(other_name)
        )
        expect(row).to_contain_text(my_role)
        expect(row).to_contain_text("Active")
        row.get_by_role("link", name=other_name).click()
        assert page.url == pair_url
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Maya Mentor & Milo Mentee"
        )
