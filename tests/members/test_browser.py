"""A real browser (Debian's chromium through Playwright) logs in by e-mail and
lands on the home page. Never downloads a browser."""

import os
from pathlib import Path

import pytest

from tests.members.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); "
        "in CI (CI=true) this test runs and fails instead of skipping",
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def maria(transactional_db):
    # Created before Playwright starts: once its event loop runs, database
    # access from the test body is refused as async-unsafe, or (with
    # DJANGO_ALLOW_ASYNC_UNSAFE) opens a connection nobody closes, and
    # PostgreSQL then refuses to drop the test database.
    return UserFactory(
        email="maria.lopez@example.com",
        display_name="María López",
        password="a-long-practice-password-42",
    )


def test_member_logs_in_by_email_and_sees_their_home_page(maria, live_server, browser):
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/")
    assert "What your organisation knows" in page.content()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("maria.lopez@example.com")
    page.get_by_label("Password").fill("a-long-practice-password-42")
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(f"{live_server.url}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Welcome back, María López"
    assert page.get_by_role("navigation", name="Main").is_visible()
    # Practica's stylesheet was served and applied (no CDN involved).
    skip_link_position = page.evaluate(
        "getComputedStyle(document.querySelector('.skip-link')).position"
    )
    assert skip_link_position == "absolute"
