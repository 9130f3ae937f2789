"""axe-core (vendored from npm, static/vendor/axe-core) finds no WCAG 2.0 A/AA
or 2.1 AA violation on Practica's main pages, in the light and the dark
colour scheme, in Debian's Chromium."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD, log_in
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS

AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21aa"]
# Lighthouse's accessibility score also counts these axe rules, outside the
# WCAG tags (its gatherer's list, lighthouse 12): checked here so that CI
# keeps the score at 100 without running Lighthouse (bench/lighthouse.py).
LIGHTHOUSE_RULES = [
    "accesskeys",
    "aria-allowed-role",
    "aria-conditional-attr",
    "aria-deprecated-role",
    "aria-dialog-name",
    "aria-prohibited-attr",
    "aria-text",
    "aria-treeitem-name",
    "empty-heading",
    "heading-order",
    "html-xml-lang-mismatch",
    "identical-links-same-purpose",
    "image-redundant-alt",
    "input-button-name",
    "label-content-name-mismatch",
    "landmark-one-main",
    "link-in-text-block",
    "meta-viewport",
    "select-name",
    "skip-link",
    "tabindex",
    "table-duplicate-name",
    "table-fake-caption",
    "target-size",
    "td-has-header",
]


@pytest.fixture
def site(transactional_db):
    from members.models import LeadershipRole
    from mentoring import services as mentoring

    staff = UserFactory(
        display_name="Ada Admin",
        is_staff=True,
        email="ada@example.com",
        password=PASSWORD,
    )
    member = UserFactory(
        password=PASSWORD,
        display_name="Maria Lopez",
        email="maria@example.com",
        expertise=["lean"],
        job_title="Line lead",
    )
    mentor = UserFactory(display_name="Max Mentor", expertise=["lean"])
    broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    community = CommunityFactory(
        name="Lean on the Shop Floor", slug="lean", tags=["lean"]
    )
    CommunityFactory(name="Board Room", slug="board", private=True)
    CommunityFactory(name="Safety First", slug="safety", tags=["safety"])
    MembershipFactory(user=staff, community=community, steward=True)
    MembershipFactory(user=member, community=community)
    MembershipFactory(user=mentor, community=community)
    question = ItemFactory(
        community=community,
        author=member,
        kind="question",
        title="How do you hand over a shift?",
        tags=["lean"],
    )
    ReplyFactory(item=question, author=mentor, body="We use a **checklist**.")
    ItemFactory(community=community, author=mentor, title="A story of five whys")
    from mentoring.models import MentorOffer

    MentorOffer.objects.create(user=mentor, available=True, capacity=2)
    req = mentoring.request_create(
        acting_user=member, topics=["lean"], goals="Learn lean.", format="mentoring"
    )
    pair = mentoring.match_propose(req=req, mentor=mentor, acting_user=broker)
    return {
        "staff": staff,
        "member": member,
        "pages": [
            "/",
            "/communities/",
            "/communities/lean/",
            "/communities/lean/members/",
            "/communities/lean/leave/",
            "/welcome/",
            "/members/",
            f"/members/{member.username}/",
            "/members/me/edit/",
            question.get_absolute_url(),
            "/search/?q=lean",
            "/mentoring/",
            pair.get_absolute_url(),
            "/notifications/",
        ],
        "staff_pages": ["/dashboards/", "/communities/lean/settings/"],
    }


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """([tags, rules]) => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            rules: Object.fromEntries(rules.map(rule => [rule, {enabled: true}])),
        })""",
        [TAGS, LIGHTHOUSE_RULES],
    )
    return [
        f"{page.url} {v['id']}: {v['help']} -> "
        + "; ".join(
            f"{node['target'][0]} {node['failureSummary'][-90:]!r}"
            for node in v["nodes"][:4]
        )
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_have_no_wcag_violations(browser, live_server, site, scheme):
    found = []
    for who, pages in (
        (None, ["/", "/accounts/login/", "/accounts/signup/"]),
        (site["member"], site["pages"]),
        (site["staff"], site["staff_pages"]),
    ):
        # The CSP forbids injected scripts: this context alone lets axe in.
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, color_scheme=scheme
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        if who is not None:
            log_in(page, who.email)
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for url in pages:
            page.goto(url)
            found.extend(_violations(page))
        context.close()
    assert found == [], "\n".join(found)


def _contrast(rgb_a: str, rgb_b: str) -> float:
    def luminance(rgb: str) -> float:
        values = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = (
            v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_stands_out(browser, live_server, site, scheme):
    context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")  # the skip link, then the brand
    page.keyboard.press("Tab")
    colours = page.evaluate(
        """() => [getComputedStyle(document.activeElement).outlineColor,
                  getComputedStyle(document.body).backgroundColor]"""
    )
    context.close()
    assert _contrast(*colours) >= 3, colours


def test_phone_menu_escape_error_summary_and_feed_first(browser, live_server, site):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, site["member"].email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu")
    people = nav.get_by_role("link", name="People")
    assert toggle.is_visible() and not people.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and people.is_visible()
    page.keyboard.press("Escape")
    assert not people.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    # The account dropdown closes on Escape too.
    toggle.click()
    nav.locator("details.dropdown summary").click()
    assert nav.get_by_role("link", name="My profile").is_visible()
    page.keyboard.press("Escape")
    assert not nav.get_by_role("link", name="My profile").is_visible()

    # On a community page the feed comes before the people panels.
    page.goto("/communities/lean/")
    feed = page.locator("#feed").bounding_box()
    aside = page.locator(".community-aside").bounding_box()
    assert feed["y"] < aside["y"]

    # A form with errors moves focus to its summary, which links each field.
    page.goto("/members/me/edit/")
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Save profile").click()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_display_name"
    context.close()


LAYOUT_SHIFT = """() => new Promise(resolve => {
    let shift = 0;
    new PerformanceObserver(list => list.getEntries().forEach(e => shift += e.value))
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(shift), 300);
})"""


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_menu_is_collapsed_from_the_first_paint(
    browser, live_server, site, javascript
):
    """With JavaScript the links are collapsed under Menu before menu.js runs
    (collapsing them afterwards made every page jump up: Lighthouse's layout
    shift 0.13-0.16); without it there is no Menu button and the links show."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 800},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    # Scripts held back until the page is painted, as on a slow phone.
    page.route(
        "**/menu.*js", lambda route: (page.wait_for_timeout(300), route.continue_())
    )
    page.goto("/accounts/login/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = nav.get_by_role("button", name="Menu")
    login = nav.get_by_role("link", name="Log in")
    if javascript:
        assert page.evaluate(LAYOUT_SHIFT) == 0
        assert toggle.is_visible() and not login.is_visible()
    else:
        assert not toggle.is_visible() and login.is_visible()
    context.close()


PAGE_WEIGHT_LIMIT = 200 * 1024


def test_main_pages_weigh_under_200_kb_without_images(browser, live_server, site):
    """Everything a page loads but images (HTML, CSS, JS, fonts), uncompressed
    and with a cold cache (production serves them compressed, so smaller
    still). The figures are printed: `pytest -s ... -k weigh`."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    log_in(page, site["member"].email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    signed_in = context.storage_state()
    context.close()
    weights = []
    for url in site["pages"]:
        context = browser.new_context(base_url=live_server.url, storage_state=signed_in)
        page = context.new_page()
        responses = []
        page.on("response", lambda response, seen=responses: seen.append(response))
        page.goto(url, wait_until="networkidle")
        size = sum(
            len(response.body() or b"")
            for response in responses
            if response.request.resource_type != "image" and response.status == 200
        )
        weights.append((size, url))
        context.close()
    for size, url in sorted(weights, reverse=True):
        print(f"{size / 1024:6.1f} KB  {url}")
    assert max(weights)[0] < PAGE_WEIGHT_LIMIT, max(weights)
