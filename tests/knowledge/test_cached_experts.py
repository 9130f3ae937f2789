"""The tag page's experts are cached (members.versioned_cache); every change
the services make shows on the next view, and what a member sees through a
private community is never served to anyone else."""

import pytest
from django.urls import reverse

from communities.services import community_leave, community_update
from knowledge import reply_marks, services
from tests.communities.factories import MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def experts(client, tag="lean"):
    response = client.get(reverse("knowledge:tag", kwargs={"tag": tag}))
    assert response.status_code == 200
    return {user.display_name: user.score for user in response.context["experts"]}


@pytest.fixture
def author(community, private):
    user = UserFactory(display_name="Ada Author")
    MembershipFactory(user=user, community=community)
    MembershipFactory(user=user, community=private)
    return user


@pytest.fixture
def marked(make_item, author, community, steward):
    """An open item with the tag, marked helpful once."""
    item = make_item(author=author, community=community, title="Open", tags=["lean"])
    services.helpful_set(item=item, acting_user=steward, helpful=True)
    return item


def test_a_helpful_mark_shows_at_once(client, member, marked, steward):
    client.force_login(member)
    assert experts(client) == {"Ada Author": 1}
    assert experts(client) == {"Ada Author": 1}  # from the cache
    services.helpful_set(item=marked, acting_user=member, helpful=True)
    assert experts(client) == {"Ada Author": 2}
    services.helpful_set(item=marked, acting_user=member, helpful=False)
    assert experts(client) == {"Ada Author": 1}


def test_an_edit_of_the_tags_shows_at_once(client, member, marked, author):
    client.force_login(member)
    assert experts(client) == {"Ada Author": 1}
    assert experts(client, "safety") == {}
    services.item_update(
        item=marked,
        acting_user=author,
        kind=marked.kind,
        title=marked.title,
        body=marked.body,
        tags=["safety"],
    )
    assert experts(client) == {}
    assert experts(client, "safety") == {"Ada Author": 1}


def test_a_hide_and_a_restore_show_at_once(client, member, marked, steward):
    client.force_login(member)
    assert experts(client) == {"Ada Author": 1}
    services.item_hide(item=marked, acting_user=steward)
    assert experts(client) == {}
    services.item_restore(item=marked, acting_user=steward)
    assert experts(client) == {"Ada Author": 1}


def test_an_accepted_answer_and_a_reply_mark_show_at_once(
    client, member, make_item, community, steward
):
    client.force_login(member)
    question = make_item(
        author=member, community=community, kind="question", tags=["lean"]
    )
    assert experts(client) == {}
    reply = services.reply_create(item=question, author=steward, body="Try this")
    services.answer_accept(item=question, reply=reply, acting_user=member)
    assert experts(client) == {"Sue Steward": 3}
    reply_marks.do_reply_helpful_set(reply=reply, acting_user=member, helpful=True)
    assert experts(client) == {"Sue Steward": 4}
    services.reply_hide(reply=reply, acting_user=steward)
    assert experts(client) == {}


def test_a_private_communitys_figures_are_never_served_to_an_outsider(
    client, member, other_member, make_item, author, private, steward
):
    secret = make_item(author=author, community=private, title="Secret", tags=["lean"])
    services.helpful_set(item=secret, acting_user=steward, helpful=True)
    services.helpful_set(item=secret, acting_user=member, helpful=True)
    client.force_login(member)
    assert experts(client) == {"Ada Author": 2}  # cached for the insiders
    client.force_login(other_member)
    assert experts(client) == {}


def test_leaving_a_private_community_shows_at_once(
    client, member, make_item, author, private, steward
):
    secret = make_item(author=author, community=private, title="Secret", tags=["lean"])
    services.helpful_set(item=secret, acting_user=steward, helpful=True)
    client.force_login(member)
    assert experts(client) == {"Ada Author": 1}
    community_leave(acting_user=member, community=private)
    assert experts(client) == {}


def test_a_community_turning_private_shows_at_once(
    client, other_member, marked, community, steward
):
    client.force_login(other_member)
    assert experts(client) == {"Ada Author": 1}
    community_update(
        community=community,
        acting_user=steward,
        name=community.name,
        slug=community.slug,
        purpose=community.purpose,
        visibility="private",
    )
    assert experts(client) == {}


def test_a_deactivated_expert_leaves_at_once(client, member, marked, author):
    from members.services import deactivate_member

    client.force_login(member)
    assert experts(client) == {"Ada Author": 1}
    deactivate_member(member=author)
    assert experts(client) == {}


# --- The rendered list (knowledge.tag_experts, keyed by what it shows) -------


def _experts_html(client, tag="lean") -> str:
    html = client.get(reverse("knowledge:tag", kwargs={"tag": tag})).content.decode()
    return html.split('id="experts-title"')[1].split("</aside>")[0]


def test_every_value_the_experts_list_shows_is_in_its_key(author):
    from knowledge.tag_experts import _shown

    author.helpful, author.accepted = 2, 1
    before = _shown("lean", [author])
    for name, value in {
        "username": "someone-else",
        "display_name": "Ada Renamed",
        "helpful": 3,
        "accepted": 0,
    }.items():
        original = getattr(author, name)
        setattr(author, name, value)
        assert _shown("lean", [author]) != before, name
        setattr(author, name, original)
    assert _shown("lean", [author]) == before
    assert _shown("safety", [author]) != before
    assert _shown("lean", []) != before


def test_a_renamed_expert_shows_at_once_in_the_list(client, member, marked, author):
    from members.services import profile_update

    client.force_login(member)
    assert "Ada Author" in _experts_html(client)
    profile_update(member=author, display_name="Ada Lovelace")
    html = _experts_html(client)
    assert "Ada Lovelace" in html and "Ada Author" not in html
    assert author.get_absolute_url() in html and "1 helpful mark" in html


def test_the_list_of_insiders_is_never_served_to_an_outsider(
    client, member, other_member, make_item, author, private, steward
):
    secret = make_item(author=author, community=private, title="Secret", tags=["lean"])
    services.helpful_set(item=secret, acting_user=steward, helpful=True)
    client.force_login(member)
    assert "Ada Author" in _experts_html(client)  # rendered and cached
    client.force_login(other_member)
    html = _experts_html(client)
    assert "Ada Author" not in html and "Nobody yet" in html
