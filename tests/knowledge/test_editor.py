"""The editor without JavaScript: a guide for each kind, "Insert template"
for that kind, and "Preview" that renders the text and keeps everything."""

import re

from django.urls import reverse

from knowledge.models import Item
from tests.knowledge.conftest import login


def create_url(community, kind=""):
    url = reverse("knowledge:item_create", kwargs={"slug": community.slug})
    return f"{url}?kind={kind}" if kind else url


def guide(html):
    return re.search(r'<aside class="story-guide".*?</aside>', html, flags=re.S)[0]


def test_question_form_shows_the_question_guide_not_the_story_guide(
    client, member, community
):
    html = login(client, member).get(create_url(community, "question")).content
    aside = guide(html.decode())
    assert "Asking a question" in aside
    assert "What I tried" in aside and "What I need" in aside
    assert "Telling a story" not in aside and "What we did" not in aside


def test_each_kind_has_its_own_guide(client, member, community):
    login(client, member)
    titles = {
        "story": "Telling a story",
        "practice": "Describing a practice",
        "lesson": "Writing down a lesson",
        "resource": "Sharing a resource",
    }
    for kind, title in titles.items():
        html = client.get(create_url(community, kind)).content.decode()
        assert title in guide(html), kind


def test_insert_template_uses_the_chosen_kind(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {"kind": "question", "title": "T", "body": "Typed", "insert_template": "x"},
    )
    html = response.content.decode()
    assert "Typed" in html and "## What I tried" in html
    assert not Item.objects.exists()


def test_preview_renders_the_text_and_keeps_everything(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {
            "kind": "lesson",
            "title": "Kept title",
            "body": "**Bold** <script>alert(1)</script>\n\n## What happened\n",
            "tags": "lean, safety",
            "preview": "1",
        },
    )
    html = response.content.decode()
    preview = re.search(r'<section class="preview".*?</section>', html, flags=re.S)[0]
    assert "<strong>Bold</strong>" in preview
    assert "<script>" not in preview
    assert "What happened" not in preview  # an empty heading is not published
    assert "Kept title" in html and "lean, safety" in html
    assert "Writing down a lesson" in guide(html)
    assert not Item.objects.exists()


def test_preview_on_edit_saves_nothing(client, member, story):
    url = reverse(
        "knowledge:item_edit", kwargs={"slug": story.community.slug, "pk": story.pk}
    )
    response = login(client, member).post(
        url,
        {"kind": "story", "title": "New", "body": "*new*", "preview": "1"},
    )
    assert "<em>new</em>" in response.content.decode()
    story.refresh_from_db()
    assert story.title == "How we fixed the night handover"
