"""The finishing pass: the feed styled and headed on every page, search
snippets without Markdown, a story template that publishes no prompts, the
answer form on questions, shared tag parsing."""

import re

import pytest
from django.urls import reverse

from knowledge.forms import STORY_SECTIONS, story_template
from knowledge.models import Item
from tests.knowledge.conftest import login
from tests.knowledge.test_search import make

pytestmark = pytest.mark.django_db


def item_url(name, item, **extra):
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, **extra},
    )


def create_url(community, kind=""):
    url = reverse("knowledge:item_create", kwargs={"slug": community.slug})
    return f"{url}?kind={kind}" if kind else url


# --- Feed --------------------------------------------------------------------


def test_community_page_loads_the_knowledge_stylesheet(client, member, story):
    html = (
        login(client, member)
        .get(reverse("communities:detail", kwargs={"slug": story.community.slug}))
        .content.decode()
    )
    assert "css/knowledge.css" in html
    assert 'id="knowledge-feed-title">What we know</h2>' in html


def test_feed_page_has_one_h1_and_no_repeated_panel_heading(client, member, story):
    html = (
        login(client, member)
        .get(reverse("knowledge:feed", kwargs={"slug": story.community.slug}))
        .content.decode()
    )
    assert '<h1 id="feed-title">Shift Leads: what we know</h1>' in html
    assert html.count("<h1") == 1
    assert "What we know</h2>" not in html
    assert 'aria-labelledby="feed-title"' in html


# --- Search snippets ---------------------------------------------------------


def snippets(html: str) -> list[str]:
    return re.findall(r'<p class="snippet">(.*?)</p>', html, flags=re.S)


def test_search_snippet_shows_text_without_markdown(client, member, community):
    make(
        member,
        community,
        "Night shift notes",
        "## Context\nA **pump** ran hot, and it was *almost* said at [handover]"
        "(https://example.com/x).\n\n- one\n- two",
    )
    response = login(client, member).get(reverse("knowledge:search"), {"q": "pump"})
    (snippet,) = snippets(response.content.decode())
    assert "<mark>pump</mark>" in snippet
    assert "almost said at handover" in snippet
    for markup in ("##", "**", "*", "[", "](", "https://", "&lt;"):
        assert markup not in snippet, markup
    # Only <mark> survives as markup.
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}


def test_search_snippet_keeps_escaped_text_escaped(client, member, community):
    make(member, community, "Odd chars", "Use <b>bold</b> & a pump <script>x</script>")
    response = login(client, member).get(reverse("knowledge:search"), {"q": "pump"})
    (snippet,) = snippets(response.content.decode())
    assert "<b>" not in snippet and "<script" not in snippet
    assert "&amp;" in snippet


# --- Story editor ------------------------------------------------------------


def test_story_template_is_headings_only():
    template = story_template()
    for heading, prompt in STORY_SECTIONS:
        assert f"## {heading}" in template
        assert str(prompt) not in template
    assert "?" not in template
    lines = [line for line in template.splitlines() if line.strip()]
    assert all(line.startswith("## ") for line in lines)


def test_story_editor_shows_prompts_beside_the_text(client, member, community):
    html = login(client, member).get(create_url(community, "story")).content.decode()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, flags=re.S)[1]
    assert "## Context" in textarea and "Where and when" not in textarea
    guide = re.search(r'<aside class="story-guide".*?</aside>', html, flags=re.S)[0]
    assert "Where and when did this happen?" in guide


def test_headings_left_empty_are_not_published(client, member, community):
    body = story_template().replace(
        "## Context\n", "## Context\nNight shift, line 3.\n", 1
    )
    response = login(client, member).post(
        create_url(community),
        {"kind": "story", "title": "A night", "body": body, "tags": ""},
    )
    assert response.status_code == 302
    item = Item.objects.get()
    assert item.body == "## Context\nNight shift, line 3."
    assert "Challenge" not in item.body_html


def test_publishing_the_bare_template_is_a_form_error(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {"kind": "story", "title": "Kept title", "body": story_template()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write something under the headings first." in html
    assert "Kept title" in html
    assert not Item.objects.exists()


def test_own_subheadings_keep_their_parent_heading(client, member, community):
    body = "## Context\n### Line 3\nA pump ran hot.\n\n## Outcome\n"
    login(client, member).post(
        create_url(community), {"kind": "story", "title": "T", "body": body}
    )
    assert Item.objects.get().body == "## Context\n### Line 3\nA pump ran hot."


# --- Replies and answers -----------------------------------------------------


def test_question_asks_for_an_answer_not_a_reply(client, member, question, story):
    client = login(client, member)
    on_question = client.get(question.get_absolute_url()).content.decode()
    assert ">Your answer</label>" in on_question
    assert "Your reply" not in on_question
    assert 'class="reply-form"' in on_question and "Post answer" in on_question
    on_story = client.get(story.get_absolute_url()).content.decode()
    assert ">Your reply</label>" in on_story


def test_empty_answer_keeps_the_answer_label(client, member, question):
    response = login(client, member).post(
        item_url("reply_create", question), {"body": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ">Your answer</label>" in html and "Write something first." in html


def test_reply_authors_link_to_their_profiles(client, member, steward, question):
    from knowledge import services

    services.reply_create(item=question, author=steward, body="Pair them up.")
    html = login(client, member).get(question.get_absolute_url()).content.decode()
    profile = reverse("members:profile", kwargs={"username": steward.username})
    assert f'<a href="{profile}">Sue Steward</a>' in html


def test_reply_actions_are_small_link_buttons(client, steward, member, question):
    from knowledge import services

    services.reply_create(item=question, author=steward, body="Pair them up.")
    html = login(client, steward).get(question.get_absolute_url()).content.decode()
    actions = re.search(r'<div class="actions reply-actions">(.*?)</div>', html, re.S)
    assert re.search(r'<a href="[^"]+" class="link-button">Edit</a>', actions[1])
    assert re.search(
        r'<button type="submit"[^>]* class="link-button">Hide<', actions[1]
    )


# --- Tags --------------------------------------------------------------------


def test_tags_are_parsed_like_every_tag_input(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {"kind": "lesson", "title": "T", "body": "B", "tags": "Lean, SAFETY, lean"},
    )
    assert response.status_code == 302
    assert Item.objects.get().tag_names == "lean safety"


def test_overlong_tag_is_a_form_error_keeping_input(client, member, community):
    typed = "x" * 60
    response = login(client, member).post(
        create_url(community),
        {"kind": "lesson", "title": "T", "body": "B", "tags": typed},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep each tag to 40 characters or fewer" in html and typed in html
    assert not Item.objects.exists()


def test_a_tag_page_url_in_another_spelling_redirects_to_the_tag(
    client, member, community
):
    url = reverse("knowledge:tag", kwargs={"tag": "Shift_Handover"})
    response = login(client, member).get(url, {"before": "abc"})
    assert response.status_code == 302
    canonical = reverse("knowledge:tag", kwargs={"tag": "shift-handover"})
    assert response.url == f"{canonical}?before=abc"


def test_a_tag_page_url_with_no_tag_in_it_is_not_found(client, member, community):
    url = reverse("knowledge:tag", kwargs={"tag": "-_-"})
    assert login(client, member).get(url).status_code == 404


def test_the_search_tag_filter_reads_any_spelling(client, member, community):
    item = make(member, community, "Handover note", "Body.", tags=["shift handover"])
    make(member, community, "Other note", "Body.", tags=["lean"])
    response = login(client, member).get(
        reverse("knowledge:search"), {"tag": "Shift_Handover"}
    )
    assert [i.pk for i in response.context["page"].object_list] == [item.pk]
