"""The search page's ranked matches are cached per set of visible
communities and words and filters (selectors.search_results) until the
knowledge services bump SEARCH_RESULTS_VERSION; the page's rows are read
and checked again for the viewer on every view."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.services import community_leave, community_update
from knowledge import services
from knowledge.models import Item, ItemKind
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    response = client.get(reverse("knowledge:search"), params)
    assert response.status_code == 200
    return [item.title for item in response.context["page"].object_list]


def _edit(item, *, acting_user, **changes):
    item = Item.objects.get(pk=item.pk)
    fields = {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "tags": item.tag_names.split(),
    }
    services.item_update(item=item, acting_user=acting_user, **{**fields, **changes})


def test_new_edited_hidden_and_restored_items_show_at_once(
    client, member, steward, community, story, make_item
):
    client = login(client, member)
    assert titles(client, q="handover") == [story.title]
    # Warm: the same words again come from the cache.
    assert titles(client, q="Handover ") == [story.title]
    new = make_item(
        author=member,
        community=community,
        title="Handover at the weekend",
        body="Two shifts, one page.",
    )
    assert set(titles(client, q="handover")) == {new.title, story.title}
    _edit(story, acting_user=member, title="How we fixed nights", tags=["lean"])
    assert titles(client, q="handover") == [new.title]
    _edit(story, acting_user=member, title="How we fixed the night handover")
    assert set(titles(client, q="handover")) == {new.title, story.title}
    services.item_hide(item=Item.objects.get(pk=new.pk), acting_user=steward)
    assert titles(client, q="handover") == [story.title]
    services.item_restore(item=Item.objects.get(pk=new.pk), acting_user=steward)
    assert set(titles(client, q="handover")) == {new.title, story.title}
    # Newest first without words: the same cache.
    assert titles(client, q="")[0] == new.title
    newest = make_item(author=member, community=community, title="Latest word")
    assert titles(client, q="")[0] == newest.title


def test_open_questions_follow_accepts_at_once(
    client, member, other_member, community, question
):
    MembershipFactory(user=other_member, community=community)
    reply = services.reply_create(item=question, author=other_member, body="Pair up.")
    client = login(client, member)
    assert titles(client, q="newcomers", open="on") == [question.title]
    services.answer_accept(item=question, reply=reply, acting_user=member)
    assert titles(client, q="newcomers", open="on") == []
    services.answer_unaccept(item=Item.objects.get(pk=question.pk), acting_user=member)
    assert titles(client, q="newcomers", open="on") == [question.title]
    services.answer_accept(
        item=Item.objects.get(pk=question.pk), reply=reply, acting_user=member
    )
    assert titles(client, q="newcomers", open="on") == []
    # Hiding the accepted answer opens the question again.
    services.reply_hide(reply=reply, acting_user=member)
    assert titles(client, q="newcomers", open="on") == [question.title]


def test_a_private_item_never_reaches_an_outsider_from_a_warm_cache(
    client, member, other_member, steward, community, private, secret, story
):
    inside = login(client, member)
    outsider = login(Client(), other_member)
    for q in ("zebracorn", "renewal", ""):
        assert secret.title in titles(inside, q=q)
        html = outsider.get(reverse("knowledge:search"), {"q": q}).content.decode()
        assert secret.title not in html and "discount" not in html
    # Leaving the private community takes its items out at once.
    community_leave(acting_user=member, community=private)
    assert titles(inside, q="zebracorn") == []
    assert secret.title not in titles(inside, q="")
    # An open community turning private: its items leave outsiders' results.
    assert titles(outsider, q="handover") == [story.title]
    community_update(
        community=community,
        acting_user=steward,
        name=community.name,
        slug=community.slug,
        purpose=community.purpose,
        visibility="private",
    )
    assert titles(outsider, q="handover") == []


def test_a_write_that_does_not_bump_never_shows_a_row_it_should_not(
    client, member, other_member, community, private, story, question
):
    """The admin or a bulk job may change an item without a bump: the
    cached ids are stale, but the page's rows are checked again (not the
    words: the stored vector is only written by functions that bump)."""
    client = login(client, member)
    outsider = login(Client(), other_member)
    assert question.title in titles(client, q="")
    assert titles(outsider, q="") == [question.title, story.title]
    assert titles(client, q="", kind=ItemKind.QUESTION) == [question.title]
    assert titles(client, q="newcomers", open="on") == [question.title]
    assert titles(client, q="newcomers", tag="onboarding") == [question.title]
    Item.objects.filter(pk=question.pk).update(kind=ItemKind.STORY)
    assert titles(client, q="", kind=ItemKind.QUESTION) == []
    assert titles(client, q="newcomers", open="on") == []
    question.tags.set(["lean"])
    Item.objects.filter(pk=question.pk).update(tag_names="lean")
    assert titles(client, q="newcomers", tag="onboarding") == []
    # Hidden, or moved into a community the outsider cannot see.
    Item.objects.filter(pk=question.pk).update(hidden_at=timezone.now())
    assert question.title not in titles(client, q="")
    assert titles(outsider, q="") == [story.title]
    Item.objects.filter(pk=story.pk).update(community=private)
    assert titles(outsider, q="") == []
    assert story.title in titles(client, q="")


def test_a_cached_snippet_follows_the_body_at_once(client, member, community, story):
    """Snippets are cached per item and words with a digest of the body they
    were cut from: an edit (or any write of the body) gives a new one."""
    client = login(client, member)

    def snippet():
        response = client.get(reverse("knowledge:search"), {"q": "checklist"})
        return str(response.context["page"].object_list[0].snippet)

    first = snippet()
    assert "one-page <mark>checklist</mark>" in first
    assert snippet() == first
    Item.objects.filter(pk=story.pk).update(
        body_html="<p>A <em>new</em> checklist for nights.</p>"
    )
    assert "<mark>checklist</mark> for nights" in snippet()
    _edit(story, acting_user=member, body="The checklist, again & again.")
    assert "<mark>checklist</mark>, again &amp; again" in snippet()
