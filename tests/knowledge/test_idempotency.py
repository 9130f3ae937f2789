"""A double submit, a retried request or two clicks at once never create two
rows or send two notifications: forms carry a one-time token, and state
changes that notify update conditionally."""

import threading
import uuid

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from knowledge import services
from knowledge.models import Item, ItemKind, Reply
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory


def _together(*calls):
    """Run the calls at the same moment, each on its own connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


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


@pytest.mark.django_db
def test_the_same_form_sent_twice_publishes_once(client):
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    url, data = _item_post(community, uuid.uuid4())
    first = client.post(url, data)
    second = client.post(url, data)
    item = Item.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == item.get_absolute_url()


@pytest.mark.django_db
def test_two_forms_publish_two_items(client):
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    for token in (uuid.uuid4(), uuid.uuid4()):
        client.post(*_item_post(community, token))
    assert Item.objects.count() == 2


@pytest.mark.django_db
def test_a_blank_form_carries_a_fresh_token_and_an_invalid_one_keeps_it(client):
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
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
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    response = client.post(*_item_post(community, "not-a-uuid"))
    assert response.status_code == 302
    assert Item.objects.get().submission_token is None


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_publishes_once():
    member = UserFactory()
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    url, data = _item_post(community, uuid.uuid4())

    def post():
        client = Client()
        client.force_login(member)
        return client.post(url, data).status_code

    assert _together(post, post) == [302, 302]
    assert Item.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_replies_sent_at_once_with_one_token_make_one_reply_and_one_notice():
    asker, answerer = UserFactory(), UserFactory()
    community = CommunityFactory()
    for person in (asker, answerer):
        MembershipFactory(user=person, community=community)
    question = services.item_create(
        author=asker, community=community, kind=ItemKind.QUESTION, title="Q", body="?"
    )
    token = uuid.uuid4()

    def reply():
        return services.reply_create(
            item=question,
            author=answerer,
            body="Try a checklist.",
            submission_token=token,
        ).pk

    first, second = _together(reply, reply)
    assert first == second
    assert Reply.objects.count() == 1
    question.refresh_from_db()
    assert question.reply_count == 1
    assert Notification.objects.filter(kind="knowledge.reply").count() == 1


@pytest.mark.django_db(transaction=True)
def test_accepting_an_answer_twice_at_once_notifies_once():
    asker, answerer = UserFactory(), UserFactory()
    community = CommunityFactory()
    for person in (asker, answerer):
        MembershipFactory(user=person, community=community)
    question = services.item_create(
        author=asker, community=community, kind=ItemKind.QUESTION, title="Q", body="?"
    )
    answer = services.reply_create(item=question, author=answerer, body="Like this.")

    def accept():
        item = Item.objects.get(pk=question.pk)
        reply = Reply.objects.get(pk=answer.pk)
        return services.answer_accept(item=item, reply=reply, acting_user=asker)

    _together(accept, accept)
    assert Item.objects.get(pk=question.pk).accepted_reply_id == answer.pk
    assert (
        Notification.objects.filter(
            recipient=answerer, kind="knowledge.answer_accepted"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_hiding_a_reply_twice_counts_it_out_once():
    asker, answerer = UserFactory(), UserFactory()
    community = CommunityFactory()
    for person in (asker, answerer):
        MembershipFactory(user=person, community=community)
    question = services.item_create(
        author=asker, community=community, kind=ItemKind.QUESTION, title="Q", body="?"
    )
    services.reply_create(item=question, author=answerer, body="One.")
    reply = services.reply_create(item=question, author=answerer, body="Two.")
    stale = Reply.objects.get(pk=reply.pk)
    assert services.reply_hide(reply=reply, acting_user=asker) is True
    assert services.reply_hide(reply=stale, acting_user=asker) is False  # a stale copy
    question.refresh_from_db()
    assert question.reply_count == 1
