"""Journey c: a private community. An outsider sees only its name and purpose,
is turned away from the inside with a 404, asks to join; a steward approves
from the settings page; the newcomer can now read what the community knows."""

import re

import pytest
from playwright.sync_api import expect

from communities.models import Membership
from knowledge import services as knowledge_services
from knowledge.models import ItemKind
from members.markup import markdown_to_html
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD, main_text
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS

SECRET_TITLE = "What the auditors asked us in March"


@pytest.fixture
def audit_circle(transactional_db):
    steward = UserFactory(
        display_name="Stan Steward", email="stan@example.com", password=PASSWORD
    )
    outsider = UserFactory(
        display_name="Olga Outsider", email="olga@example.com", password=PASSWORD
    )
    community = CommunityFactory(
        name="Audit Circle",
        slug="audit-circle",
        purpose="Preparing for external audits without panic.",
        description="Our checklists and the questions auditors really ask.",
        description_html=markdown_to_html(
            "Our checklists and the questions auditors really ask."
        ),
        private=True,
        created_by=steward,
        tags=["audit"],
    )
    MembershipFactory(user=steward, community=community, role=Membership.Role.STEWARD)
    knowledge_services.item_create(
        author=steward,
        community=community,
        kind=ItemKind.LESSON,
        title=SECRET_TITLE,
        body="They asked for the **training records** first.",
        tags=["audit"],
    )
    return steward, outsider


def test_outsider_asks_to_join_a_private_community_and_is_let_in(audit_circle, open_as):
    steward, outsider = audit_circle
    olga = open_as(outsider)

    # Listed with name and purpose only: no link inside, no members, no tags.
    olga.goto("/communities/")
    card = olga.locator(".community-card", has_text="Audit Circle")
    expect(card).to_contain_text("Preparing for external audits without panic.")
    expect(card).to_contain_text("Private")
    expect(card.get_by_role("link", name="Audit Circle")).to_have_count(0)
    expect(card).not_to_contain_text("member")
    expect(card.locator(".tag")).to_have_count(0)

    # Inside pages are a 404 for her, and nothing leaks through search.
    for path in ("/communities/audit-circle/", "/communities/audit-circle/members/"):
        response = olga.goto(path)
        assert response.status == 404, path
        expect(olga.get_by_role("heading", level=1)).to_have_text(
            "We couldn't find that page"
        )
        assert SECRET_TITLE not in main_text(olga)
    olga.goto("/search/?q=auditors")
    expect(olga.get_by_role("status")).to_have_text("0 results")

    # She asks to join from the list.
    olga.goto("/communities/")
    card = olga.locator(".community-card", has_text="Audit Circle")
    card.get_by_role("button", name="Ask to join").click()
    expect(olga.locator(".messages")).to_contain_text("is with its stewards")
    card = olga.locator(".community-card", has_text="Audit Circle")
    expect(card).to_contain_text("Request pending")
    expect(card.get_by_role("button", name="Ask to join")).to_have_count(0)
    assert olga.goto("/communities/audit-circle/").status == 404

    # The steward sees the waiting request and approves it in settings.
    stan = open_as(steward)
    stan.goto("/communities/audit-circle/")
    about = stan.get_by_role("navigation", name="About Audit Circle")
    expect(about.get_by_role("link", name="Participation dashboard")).to_be_visible()
    settings_link = stan.get_by_role("button", name=re.compile("Stewards' settings"))
    expect(settings_link.locator(".badge")).to_have_text("1")
    settings_link.click()
    expect(stan.get_by_role("heading", level=1)).to_have_text("Stewards' settings")
    requests = stan.get_by_role("region", name=re.compile("Requests to join"))
    expect(requests).to_contain_text("Olga Outsider")
    requests.get_by_role("button", name="Approve Olga Outsider").click()
    requests = stan.get_by_role("region", name=re.compile("Requests to join"))
    expect(requests).to_contain_text("No one is waiting")

    # Olga is told, and can now read inside.
    olga.goto("/")
    expect(olga.get_by_role("navigation", name="Main").locator(".badge")).to_have_text(
        "1"
    )
    response = olga.goto("/communities/audit-circle/")
    assert response.status == 200
    expect(olga.get_by_role("heading", level=1)).to_have_text("Audit Circle")
    expect(olga.get_by_role("region", name="About")).to_contain_text(
        "questions auditors really ask"
    )
    expect(olga.get_by_role("region", name="Welcome to Audit Circle!")).to_be_visible()
    about = olga.get_by_role("navigation", name="About Audit Circle")
    expect(about.get_by_role("link", name="Digests")).to_be_visible()
    expect(about.get_by_role("link", name="Participation dashboard")).to_have_count(0)
    olga.get_by_role("link", name=SECRET_TITLE).click()
    expect(olga.get_by_role("heading", level=1)).to_have_text(SECRET_TITLE)
    expect(olga.locator("main strong", has_text="training records")).to_be_visible()
