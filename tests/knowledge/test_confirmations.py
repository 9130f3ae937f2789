"""Hiding an item or a reply asks first; a steward gets an undo."""

import re

import pytest
from django.urls import reverse

from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db
CONFIRMED = {"confirmed": "yes"}


def url(name, item, **extra):
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, **extra},
    )


@pytest.fixture
def story(make_item, member, community):
    return make_item(author=member, community=community, title="Night shift notes")


@pytest.mark.parametrize("method", ["get", "post"])
def test_hiding_an_item_asks_first(client, member, story, method):
    response = getattr(login(client, member), method)(url("item_hide", story))
    assert response.status_code == 200
    assert "Hide “Night shift notes”?" in response.content.decode()
    story.refresh_from_db()
    assert not story.is_hidden


def test_a_steward_hides_and_undoes(client, steward, story):
    client = login(client, steward)
    html = client.post(url("item_hide", story), CONFIRMED, follow=True)
    story.refresh_from_db()
    assert story.is_hidden
    action = re.search(r'action="([^"]+)" class="undo-form"', html.content.decode())
    assert action[1] == url("item_restore", story)
    client.post(action[1])
    story.refresh_from_db()
    assert not story.is_hidden


def test_the_author_gets_no_undo_they_could_not_use(client, member, story):
    html = login(client, member).post(url("item_hide", story), CONFIRMED, follow=True)
    story.refresh_from_db()
    assert story.is_hidden
    assert "undo-form" not in html.content.decode()


def test_hiding_a_reply_asks_first(client, steward, member, story):
    from knowledge import services

    reply = services.reply_create(item=story, author=member, body="Off topic")
    client = login(client, steward)
    html = client.get(url("reply_hide", story, reply_pk=reply.pk)).content.decode()
    assert "reply to “Night shift notes”?" in html
    reply.refresh_from_db()
    assert not reply.is_hidden
    client.post(url("reply_hide", story, reply_pk=reply.pk), CONFIRMED)
    reply.refresh_from_db()
    assert reply.is_hidden


@pytest.mark.parametrize(
    "who,expected",
    [("anonymous", 302), ("other_member", 403), ("member", 200), ("steward", 200),
     ("staff", 200)],
)  # fmt: skip
def test_who_sees_the_hide_confirmation(client, request, story, who, expected):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(url("item_hide", story)).status_code == expected


def test_a_private_items_confirmation_is_404_for_outsiders(
    client, make_item, member, private, other_member
):
    item = make_item(author=member, community=private)
    client.force_login(other_member)
    assert client.get(url("item_hide", item)).status_code == 404
