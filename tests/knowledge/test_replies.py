"""Replies and answers: who replies, edits, hides and accepts."""

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import HelpfulMark
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, item, **extra):
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, **extra},
    )


@pytest.fixture
def answer(question, steward):
    return services.reply_create(item=question, author=steward, body="Pair them up.")


def test_member_replies(client, member, story):
    response = login(client, member).post(
        url("reply_create", story), {"body": "Me too"}
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.reply_count == 1
    assert response["Location"].endswith(f"#reply-{story.replies.get().pk}")


def test_non_member_cannot_reply_in_open_community(client, other_member, story):
    response = login(client, other_member).post(
        url("reply_create", story), {"body": "x"}
    )
    assert response.status_code == 403
    assert not story.replies.exists()


def test_outsider_gets_404_replying_in_private_community(client, other_member, secret):
    response = login(client, other_member).post(
        url("reply_create", secret), {"body": "x"}
    )
    assert response.status_code == 404


def test_empty_reply_is_a_form_error_on_the_item_page(client, member, story):
    response = login(client, member).post(url("reply_create", story), {"body": "   "})
    assert response.status_code == 200
    assert "Write something first." in response.content.decode()
    assert not story.replies.exists()


def test_too_long_reply_keeps_the_text(client, member, story):
    body = "typed " * 4000
    response = login(client, member).post(url("reply_create", story), {"body": body})
    assert response.status_code == 200
    assert "typed typed" in response.content.decode()


def test_asker_accepts_an_answer(client, member, question, answer):
    login(client, member).post(url("reply_accept", question, reply_pk=answer.pk))
    question.refresh_from_db()
    assert question.accepted_reply == answer


def test_asker_withdraws_acceptance(client, member, question, answer):
    client = login(client, member)
    client.post(url("reply_accept", question, reply_pk=answer.pk))
    client.post(url("reply_accept", question, reply_pk=answer.pk), {"accept": "0"})
    question.refresh_from_db()
    assert question.accepted_reply is None


def test_steward_accepts_an_answer(client, steward, question, make_item, member):
    reply = services.reply_create(item=question, author=member, body="Self answer")
    login(client, steward).post(url("reply_accept", question, reply_pk=reply.pk))
    question.refresh_from_db()
    assert question.accepted_reply == reply


def test_other_member_cannot_accept(client, other_member, community, question, answer):
    MembershipFactory(user=other_member, community=community)
    response = login(client, other_member).post(
        url("reply_accept", question, reply_pk=answer.pk)
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.accepted_reply is None


def test_staff_may_accept_as_moderator(client, staff, question, answer):
    login(client, staff).post(url("reply_accept", question, reply_pk=answer.pk))
    question.refresh_from_db()
    assert question.accepted_reply == answer


def test_accept_only_on_questions(client, member, story, steward):
    reply = services.reply_create(item=story, author=steward, body="Nice")
    response = login(client, member).post(url("reply_accept", story, reply_pk=reply.pk))
    assert response.status_code == 403


def test_accept_button_only_for_asker_and_stewards(
    client, member, other_member, question, answer
):
    assert (
        b"Accept this answer"
        in login(client, member).get(question.get_absolute_url()).content
    )
    client.force_login(other_member)
    assert b"Accept this answer" not in client.get(question.get_absolute_url()).content


def test_reply_of_another_item_is_404(client, member, question, story, steward):
    reply = services.reply_create(item=story, author=steward, body="elsewhere")
    response = login(client, member).post(
        url("reply_accept", question, reply_pk=reply.pk)
    )
    assert response.status_code == 404


def test_author_edits_own_reply(client, steward, question, answer):
    client = login(client, steward)
    assert (
        client.get(url("reply_edit", question, reply_pk=answer.pk)).status_code == 200
    )
    client.post(
        url("reply_edit", question, reply_pk=answer.pk), {"body": "Pair **them**"}
    )
    answer.refresh_from_db()
    assert answer.edited_at and "<strong>them</strong>" in answer.body_html


def test_other_member_cannot_edit_a_reply(client, other_member, question, answer):
    response = login(client, other_member).post(
        url("reply_edit", question, reply_pk=answer.pk), {"body": "vandal"}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.body == "Pair them up."


def test_steward_hides_and_restores_a_reply(client, member, steward, story):
    reply = services.reply_create(item=story, author=member, body="Off-topic rant")
    client = login(client, steward)
    client.post(url("reply_hide", story, reply_pk=reply.pk), {"confirmed": "yes"})
    reply.refresh_from_db()
    assert reply.is_hidden
    client.force_login(UserFactory())
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Off-topic rant" not in html and "hidden by a steward" in html
    client.force_login(steward)
    client.post(url("reply_restore", story, reply_pk=reply.pk))
    reply.refresh_from_db()
    assert not reply.is_hidden


def test_reply_author_cannot_restore_hidden_reply(client, member, steward, story):
    reply = services.reply_create(item=story, author=member, body="x")
    services.reply_hide(reply=reply, acting_user=steward)
    response = login(client, member).post(
        url("reply_restore", story, reply_pk=reply.pk)
    )
    assert response.status_code == 403


# --- This helped me ----------------------------------------------------------


def test_helpful_toggle_without_js(client, other_member, story):
    client = login(client, other_member)
    response = client.post(url("helpful", story), {"helpful": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#helpful")
    client.post(url("helpful", story), {"helpful": "1"})
    story.refresh_from_db()
    assert story.helpful_count == 1
    assert b'aria-pressed="true"' in client.get(story.get_absolute_url()).content
    client.post(url("helpful", story), {"helpful": "0"})
    story.refresh_from_db()
    assert story.helpful_count == 0
    assert not HelpfulMark.objects.exists()


def test_author_cannot_mark_own_item_helpful(client, member, story):
    assert (
        login(client, member).post(url("helpful", story), {"helpful": "1"}).status_code
        == 403
    )


def test_outsider_cannot_mark_private_item(client, other_member, secret):
    response = login(client, other_member).post(
        url("helpful", secret), {"helpful": "1"}
    )
    assert response.status_code == 404


def test_anonymous_cannot_mark(client, story):
    response = client.post(url("helpful", story), {"helpful": "1"})
    assert response.status_code == 302
    assert not HelpfulMark.objects.exists()
