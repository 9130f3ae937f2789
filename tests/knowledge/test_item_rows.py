"""Item rows of the search results, tag pages, community feeds and the home
page's knowledge panel, cached by what they show (knowledge.item_rows): the
same HTML as the row template, and a change to anything a row shows reaches
the next view at once."""

import zoneinfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from communities.services import community_update
from knowledge import selectors, services
from knowledge.item_rows import _shown, item_rows
from knowledge.models import Item
from members.services import profile_update
from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db


def _fresh(item):
    return selectors.search_page_items(ids=[item.pk], q="")[0]


def _row(item, show_community=True):
    return str(item_rows([_fresh(item)], show_community=show_community)[0])


def test_rows_are_the_row_template_and_a_hit_is_the_same(
    member, steward, community, private, question, story
):
    reply = services.reply_create(item=question, author=steward, body="Buddies")
    services.answer_accept(item=question, reply=reply, acting_user=member)
    shared = services.item_share(item=story, community=private, acting_user=member)
    services.item_hide(item=story, acting_user=steward)
    items = selectors.search_page_items(ids=[question.pk, story.pk, shared.pk], q="")
    expected = [
        render_to_string(
            "knowledge/_item_row.html", {"item": item, "show_community": True}
        )
        for item in items
    ]
    miss = [str(row) for row in item_rows(items, show_community=True)]
    hit = [str(row) for row in item_rows(items, show_community=True)]
    assert miss == expected == hit
    assert "✓ answered" in hit[0] and "hidden" in hit[1]
    assert "shared from Shift Leads" in hit[2]


def test_every_value_a_row_shows_is_in_its_key(member, community, private, story):
    """Changing any one of them gives another key (and so a fresh row)."""
    shared = _fresh(
        services.item_share(item=story, community=private, acting_user=member)
    )
    before = _shown(shared, True)
    shared.shared_from.community.name = "Renamed origin"
    assert _shown(shared, True) != before
    item = _fresh(story)
    before = _shown(item, True)
    changes = {
        "title": "Renamed",
        "kind": "question",
        "accepted_reply_id": 99,
        "helpful_count": 7,
        "reply_count": 3,
        "hidden_at": timezone.now(),
        "tag_names": "other",
        "snippet": "<mark>x</mark>",
    }
    for name, value in changes.items():
        changed = _fresh(story)
        setattr(changed, name, value)
        assert _shown(changed, True) != before, name
    changed = _fresh(story)
    changed.community.name = "Other"
    assert _shown(changed, True) != before
    changed.community.slug = "other"
    assert _shown(changed, False) != _shown(item, False)
    changed = _fresh(story)
    changed.author.display_name = "Someone Else"
    assert _shown(changed, True) != before
    assert _shown(item, False) != before


def test_an_edit_shows_at_once_on_the_tag_page_and_in_search(
    client, member, community, story
):
    client = login(client, member)
    tag_url = reverse("knowledge:tag", kwargs={"tag": "lean"})
    search_url = reverse("knowledge:search")
    assert "How we fixed" in client.get(tag_url).content.decode()
    assert "How we fixed" in client.get(search_url, {"q": "handover"}).content.decode()
    services.item_update(
        item=Item.objects.get(pk=story.pk),
        acting_user=member,
        kind=story.kind,
        title="How we rebuilt the night handover",
        body=story.body,
        tags=["shift-handover", "lean"],
    )
    html = client.get(tag_url).content.decode()
    assert "How we rebuilt" in html and "How we fixed" not in html
    html = client.get(search_url, {"q": "handover"}).content.decode()
    assert "How we rebuilt" in html and "How we fixed" not in html


def test_a_reply_an_author_name_and_a_community_name_show_at_once(
    client, member, steward, community, story
):
    client = login(client, member)
    url = reverse("knowledge:tag", kwargs={"tag": "lean"})
    assert "0 replies" in client.get(url).content.decode()
    services.reply_create(item=story, author=steward, body="Nice")
    assert "1 reply" in client.get(url).content.decode()
    profile_update(member=member, display_name="Mia Renamed")
    assert "by Mia Renamed" in client.get(url).content.decode()
    community_update(
        community=community,
        acting_user=steward,
        name="Night Leads",
        slug=community.slug,
        purpose=community.purpose,
        visibility=community.visibility,
    )
    assert "Night Leads" in client.get(url).content.decode()


def test_a_hidden_item_leaves_the_tag_page_at_once(
    client, member, steward, community, story
):
    client = login(client, member)
    url = reverse("knowledge:tag", kwargs={"tag": "lean"})
    assert story.title in client.get(url).content.decode()
    services.item_hide(item=story, acting_user=steward)
    assert story.title not in client.get(url).content.decode()


def test_a_row_in_one_language_or_time_zone_is_not_served_in_another(
    member, community, story
):
    english = _row(story)
    with translation.override("de"):
        german = _row(story)
    assert german != english and "Antwort" in german
    late = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    with timezone.override(late):
        assert "+14:00" in _row(story) and "+14:00" not in english
    assert _row(story) == english


def test_a_private_row_is_never_served_to_an_outsider(
    client, member, other_member, secret
):
    """The row is cached for the member who may see it; an outsider's lists
    never contain the item, so its row is never looked up for them."""
    html = login(client, member).get(
        reverse("knowledge:tag", kwargs={"tag": "pricing"})
    )
    assert secret.title in html.content.decode()
    client.logout()
    client = login(client, other_member)
    for response in (
        client.get(reverse("knowledge:tag", kwargs={"tag": "pricing"})),
        client.get(reverse("knowledge:search"), {"q": "zebracorn"}),
        client.get(reverse("knowledge:search"), {"q": "renewal"}),
    ):
        assert secret.title not in response.content.decode()


def test_the_feed_and_home_show_a_reply_an_edit_and_a_hide_at_once(
    client, member, steward, community, story
):
    """The community feed and home's "latest in your communities" read their
    rows from the same cache: each change reaches the next view."""
    client = login(client, member)
    feed = reverse("knowledge:feed", kwargs={"slug": community.slug})
    for url in (feed, reverse("home")):
        assert "0 replies" in client.get(url).content.decode()
    services.reply_create(item=story, author=steward, body="Nice")
    services.item_update(
        item=Item.objects.get(pk=story.pk),
        acting_user=member,
        kind=story.kind,
        title="How we rebuilt the night handover",
        body=story.body,
        tags=["shift-handover", "lean"],
    )
    for url in (feed, reverse("home")):
        html = client.get(url).content.decode()
        assert "1 reply" in html and "How we rebuilt" in html
    services.item_hide(item=Item.objects.get(pk=story.pk), acting_user=steward)
    for url in (feed, reverse("home")):
        assert "How we rebuilt" not in client.get(url).content.decode()
