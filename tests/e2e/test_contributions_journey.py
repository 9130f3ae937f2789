"""Journey: a story with a photo, from draft to restored revision. A member
starts a story, saves it as a draft, comes back through My drafts, uploads a
photo (shown inline under the CSP), previews, publishes; she then edits it,
and the steward restores the first version from the history."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from communities.models import Membership
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.e2e.conftest import BROWSER_MARKS, PASSWORD
from tests.members.factories import UserFactory

pytestmark = BROWSER_MARKS


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def people(transactional_db):
    community = CommunityFactory(
        name="Assembly Line", slug="assembly-line", purpose="Building it right."
    )
    writer = UserFactory(
        display_name="Wendy Writer", email="wendy@example.com", password=PASSWORD
    )
    steward = UserFactory(
        display_name="Sid Steward", email="sid@example.com", password=PASSWORD
    )
    MembershipFactory(user=writer, community=community)
    MembershipFactory(user=steward, community=community, role=Membership.Role.STEWARD)
    return writer, steward


def wait_image_loaded(page, selector) -> None:
    """Until the first image matching `selector` has loaded and decoded (a
    broken one never does, and the wait times out). It is scrolled into
    view first: a lazy image (the files' thumbnails) loads only there, and
    the browser may not have got to it when the page is first shown."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.wait_for_function(
        "selector => { const i = document.querySelector(selector);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=selector,
    )


def test_a_story_with_a_photo_from_draft_to_restored_revision(people, open_as):
    writer, steward = people
    wendy = open_as(writer)

    # The guide beside the text follows the kind chosen (editor.js).
    wendy.goto("/communities/assembly-line/new/?kind=story")
    guide = wendy.get_by_role("complementary")
    expect(guide).to_contain_text("Telling a story")
    wendy.get_by_label("What is it?").select_option("question")
    expect(guide).to_contain_text("Asking a question")
    expect(guide).to_contain_text("What I tried")
    expect(guide).not_to_contain_text("What we did")
    wendy.get_by_label("What is it?").select_option("story")
    expect(guide).to_contain_text("Telling a story")

    # A first go, kept as a draft.
    wendy.get_by_label("Title").fill("The board that ended our Monday scramble")
    wendy.get_by_label("Text").fill("## Context\nMondays started with a scramble.")
    wendy.get_by_role("button", name="Save draft").click()
    expect(wendy.get_by_text("Draft saved. Only you can see it.")).to_be_visible()

    # Back later through My drafts.
    wendy.goto("/drafts/")
    wendy.get_by_role(
        "link", name="The board that ended our Monday scramble", exact=True
    ).click()
    expect(wendy.get_by_label("Text")).to_have_value(
        re.compile("Mondays started with a scramble")
    )

    # A photo of the board: uploaded, its reference inserted, shown in preview.
    wendy.get_by_label("Attach a file (optional)").set_input_files(
        files=[{"name": "board.png", "mimeType": "image/png", "buffer": photo()}]
    )
    wendy.get_by_role("button", name="Upload and insert").click()
    expect(wendy.get_by_text("Attached board.png")).to_be_visible()
    expect(wendy.get_by_label("Text")).to_have_value(
        re.compile(r"!\[board\]\(/files/[0-9a-f-]+/board\.png\)")
    )
    wendy.get_by_role("button", name="Preview").click()
    preview = ".preview img"
    expect(wendy.locator(preview)).to_have_count(1)
    wait_image_loaded(wendy, ".preview img")

    # Published: the photo shows inline in the story, a thumbnail below it.
    wendy.get_by_role("button", name="Publish").click()
    expect(wendy.get_by_role("heading", level=1)).to_have_text(
        "The board that ended our Monday scramble"
    )
    story_url = wendy.url
    wait_image_loaded(wendy, ".item-body img")
    wait_image_loaded(wendy, ".files img")

    # An edit loses the photo by mistake.
    wendy.get_by_role("button", name="Edit").first.click()
    wendy.get_by_label("Text").fill("Mondays are calm now.")
    wendy.get_by_role("button", name="Save").click()
    expect(wendy.locator(".item-body img")).to_have_count(0)

    # The steward restores the first version from the history.
    sid = open_as(steward)
    sid.goto(story_url)
    sid.get_by_role("link", name=re.compile("edited")).click()
    expect(sid.get_by_role("heading", level=1)).to_contain_text("History of")
    expect(sid.locator(".diff-removed").nth(1)).to_contain_text("Mondays started")
    sid.get_by_role("button", name="Restore version 1").click()
    expect(sid.get_by_text("Version 1 restored as a new version.")).to_be_visible()
    sid.goto(story_url)
    expect(sid.locator(".item-body")).to_contain_text("Mondays started with a scramble")
    wait_image_loaded(sid, ".item-body img")
