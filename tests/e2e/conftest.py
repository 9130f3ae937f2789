"""Browser journeys: Debian's chromium driven through Playwright's sync API.

One browser per test module (launching chromium costs about a second); each
person in a journey gets their own browser context, so their cookies never mix.

Playwright's sync API keeps an asyncio loop registered as "running" on the main
thread for as long as the browser lives, and Django then refuses database
access there as async-unsafe. A module-scoped browser outlives each test's
database setup and flush, so the `browser` fixture allows that access
(DJANGO_ALLOW_ASYNC_UNSAFE) while it lives. That is safe here: pytest, the test
and its fixtures all run in one thread and one contextvars context, so they
share Django's one connection (asgiref >= 3.7 keys connections by context).
The habit stays: data is made in fixtures, test bodies only drive the browser.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-long-practice-password-42"

# Applied to every test module in tests/e2e/ (pytest reads `pytestmark`
# from conftest only for hooks, so each module re-exports this list).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and os.environ.get("CI") != "true",
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); "
        "in CI (CI=true) these tests run and fail instead of skipping",
    ),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing; CI must install Debian's chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_as(browser, live_server):
    """open_as(user) -> a page already logged in as `user` (through the real
    login form), in a browser context of its own. open_as(None) -> a
    visitor's page. Every journey also checks that nothing on its pages
    broke the Content-Security-Policy."""
    contexts = []
    violations = []

    def _open(user=None):
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        if user is not None:
            log_in(page, user.email)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert violations == [], violations


def log_in(page, email, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))


def main_text(page) -> str:
    return page.locator("main").inner_text()
