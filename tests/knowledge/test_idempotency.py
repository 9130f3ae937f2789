"""A double submit, a retried request or two clicks at once never create two
rows or send two notifications: forms carry a one-time token, and state
changes that notify update conditionally."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from knowledge import services
from knowledge.models import Item, ItemKind, Reply
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.concurrency import run_together
from tests.members.factories import UserFactory


def _item_post(community, token, title="Handover in ten minutes"):
    return (
        reverse("knowledge:item_create", kwargs={"slug": community.slug}),
        {
            "kind": ItemKind.QUESTION,
            "title": title,
            "body": "How do you keep a shift handover short?",
            "tags": "shift handover",
            "submission_token": str(token),
        },
    )


def _member_of_a_community():
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    return member, community


def _question_with_two_members():
    asker, answerer = UserFactory(), UserFactory()
    community = CommunityFactory()
    for person in (asker, answerer):
        MembershipFactory(user=person, community=community)
    question = services.item_create(
        author=asker, community=community, kind=ItemKind.QUESTION, title="Q", body="?"
    )
    return asker, answerer, question


@pytest.mark.django_db
def test_the_same_form_sent_twice_publishes_once(client):
    member, community = _member_of_a_community()
    client.force_login(member)
    url, data = _item_post(community, uuid.uuid4())
    first = client.post(url, data)
    second = client.post(url, data)
    item = Item.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == item.get_absolute_url()


@pytest.mark.django_db
def test_two_forms_publish_two_items(client):
    member, community = _member_of_a_community()
    client.force_login(member)
    for token in (uuid.uuid4(), uuid.uuid4()):
        url, data = _item_post(community, token)
        # The second is shown the first as a similar question: asked anyway.
        client.post(url, {**data, "ask_anyway": "1"})
    assert Item.objects.count() == 2


@pytest.mark.django_db
def test_a_blank_form_carries_a_fresh_token_and_an_invalid_one_keeps_it(client):
    member, community = _member_of_a_community()
    client.force_login(member)
    url = reverse("knowledge:item_create", kwargs={"slug": community.slug})
    tokens = {
        client.get(url).context["form"]["submission_token"].value() for _ in range(2)
    }
    assert len(tokens) == 2
    token = uuid.uuid4()
    _url, data = _item_post(community, token, title="")
    again = client.post(url, data)
    assert again.status_code == 200
    assert f'value="{token}"' in again.content.decode()


@pytest.mark.django_db
def test_a_junk_token_still_publishes(client):
    member, community = _member_of_a_community()
    client.force_login(member)
    response = client.post(*_item_post(community, "not-a-uuid"))
    assert response.status_code == 302
    assert Item.objects.get().submission_token is None


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_publishes_once():
    member, community = _member_of_a_community()
    url, data = _item_post(community, uuid.uuid4())

    def post():
        client = Client()
        client.force_login(member)
        return client.post(url, data).status_code

    assert run_together(post, post) == [302, 302]
    assert Item.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_replies_sent_at_once_with_one_token_make_one_reply_and_one_notice():
    asker, answerer, question = _question_with_two_members()
    token = uuid.uuid4()

    def reply():
        return services.reply_create(
            item=question,
            author=answerer,
            body="Try a checklist.",
            submission_token=token,
        ).pk

    first, second = run_together(reply, reply)
    assert first == second
    assert Reply.objects.count() == 1
    question.refresh_from_db()
    assert question.reply_count == 1
    assert Notification.objects.filter(kind="knowledge.reply").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accepting_an_answer_twice_at_once_notifies_once():
    asker, answerer, question = _question_with_two_members()
    answer = services.reply_create(item=question, author=answerer, body="Like this.")

    def accept():
        item = Item.objects.get(pk=question.pk)
        reply = Reply.objects.get(pk=answer.pk)
        return services.answer_accept(item=item, reply=reply, acting_user=asker)

    run_together(accept, accept)
    assert Item.objects.get(pk=question.pk).accepted_reply_id == answer.pk
    assert (
        Notification.objects.filter(
            recipient=answerer, kind="knowledge.answer_accepted"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_hiding_a_reply_twice_counts_it_out_once():
    asker, answerer, question = _question_with_two_members()
    services.reply_create(item=question, author=answerer, body="One.")
    reply = services.reply_create(item=question, author=answerer, body="Two.")
    stale = Reply.objects.get(pk=reply.pk)
    assert services.reply_hide(reply=reply, acting_user=asker) is True
    assert services.reply_hide(reply=stale, acting_user=asker) is False  # a stale copy
    question.refresh_from_db()
    assert question.reply_count == 1
