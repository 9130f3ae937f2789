"""Outgoing webhooks end to end: services announce events, the outbox runs
the fan-out, a real HTTP receiver on loopback gets signed deliveries, once
per event, retried on the backoff schedule; private content reaches only a
hook bound to its own community."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.models import Visibility
from integrations import webhooks
from integrations.models import Delivery, Event
from integrations.signing import signature_verify
from knowledge import services as knowledge
from knowledge.models import ItemKind
from members import jobs
from members.models import OutboxJob
from mentoring.services.pairs import pair_accept, pair_close
from mentoring.services.proposals import match_propose
from tests.mentoring.factories import MentoringRequestFactory, MentorOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Run `write()` in a transaction that commits, with its jobs after it."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def _item(publish, *, author, community, title="Night shift handover", **kw):
    return publish(
        lambda: knowledge.item_create(
            author=author,
            community=community,
            kind=kw.get("kind", ItemKind.STORY),
            title=title,
            body="We *write* it down before leaving.",
        )
    )


def test_a_delivery_is_signed_so_the_receiver_can_verify_it(
    people, open_community, receiver, make_hook, publish
):
    hook = make_hook(url=receiver.url + "/hook")
    item = _item(publish, author=people["member"], community=open_community)

    (got,) = receiver.received
    header = got.headers["X-Practica-Signature"]
    now = timezone.now().timestamp()
    assert signature_verify(secret=hook.secret, header=header, body=got.body, now=now)
    # Anything else fails: another body, another secret, a replay much later.
    assert not signature_verify(
        secret=hook.secret, header=header, body=got.body + b" ", now=now
    )
    assert not signature_verify(
        secret="whsec_other", header=header, body=got.body, now=now
    )
    assert not signature_verify(
        secret=hook.secret, header=header, body=got.body, now=now + 600
    )
    body = got.json()
    assert got.path == "/hook"
    assert got.headers["X-Practica-Event"] == "item.created"
    assert got.headers["X-Practica-Event-Id"] == body["id"]
    assert got.headers["Content-Type"] == "application/json"
    assert body["event"] == "item.created"
    assert body["data"]["item"]["id"] == item.pk
    assert body["data"]["item"]["title"] == "Night shift handover"
    assert body["data"]["item"]["excerpt"] == "We write it down before leaving."
    assert body["data"]["item"]["url"].endswith(item.get_absolute_url())
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        "succeeded",
        1,
        200,
    )


def test_one_delivery_per_event_even_when_the_jobs_run_twice(
    people,
    open_community,
    receiver,
    make_hook,
    publish,
    django_capture_on_commit_callbacks,
):
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    assert len(receiver.received) == 1

    # The sweeper hands the fan-out job over again (a worker died before
    # marking it done), and the delivery job too.
    for name in ("integrations.emit_event", "integrations.delivery_send"):
        job = OutboxJob.objects.get(task_name=name)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.job_send(job)
    assert len(receiver.received) == 1
    assert Delivery.objects.count() == 1


def test_the_fan_out_writes_one_delivery_per_listening_hook(
    people, open_community, receiver, make_hook, publish
):
    make_hook(url=receiver.url + "/a")
    make_hook(url=receiver.url + "/b", events=[Event.ANSWER_ACCEPTED])
    off = make_hook(url=receiver.url + "/c")
    off.is_active = False
    off.save()
    _item(publish, author=people["member"], community=open_community)
    assert [r.path for r in receiver.received] == ["/a"]


def test_private_content_never_reaches_a_hook_not_allowed_to_see_it(
    people, open_community, private_community, receiver, make_hook, publish
):
    make_hook(url=receiver.url + "/org")
    make_hook(url=receiver.url + "/open", community=open_community)
    make_hook(url=receiver.url + "/private", community=private_community)
    author = people["private member"]

    question = _item(
        publish,
        author=author,
        community=private_community,
        title="Secret pricing question",
        kind=ItemKind.QUESTION,
    )
    reply = publish(
        lambda: knowledge.reply_create(
            item=question, author=people["steward"], body="Secret answer"
        )
    )
    publish(
        lambda: knowledge.answer_accept(item=question, reply=reply, acting_user=author)
    )
    # An open community adopts the private item: it still names it.
    publish(
        lambda: knowledge.adoption_record(
            item=question, community=open_community, acting_user=author
        )
    )
    assert [(r.path, r.json()["event"]) for r in receiver.received] == [
        ("/private", "item.created"),
        ("/private", "answer.accepted"),
        ("/private", "adoption.recorded"),
    ]

    receiver.received.clear()
    _item(publish, author=author, community=open_community, title="Open story")
    assert sorted(r.path for r in receiver.received) == ["/open", "/org"]
    # Nothing anywhere but the private hook ever carried the private title.
    others = Delivery.objects.exclude(webhook__community=private_community)
    assert all("Secret" not in json.dumps(d.payload) for d in others)


def test_an_open_items_adoption_by_a_private_community_stays_private(
    people, open_community, private_community, receiver, make_hook, publish
):
    make_hook(url=receiver.url + "/org", events=[Event.ADOPTION_RECORDED])
    make_hook(
        url=receiver.url + "/open",
        community=open_community,
        events=[Event.ADOPTION_RECORDED],
    )
    item = _item(publish, author=people["member"], community=open_community)
    publish(
        lambda: knowledge.adoption_record(
            item=item, community=private_community, acting_user=people["steward"]
        )
    )
    assert receiver.received == []


def test_mentoring_pair_events_name_nobody(people, receiver, make_hook, publish):
    make_hook(url=receiver.url)
    mentor, mentee = people["member"], people["outsider"]
    MentorOfferFactory(user=mentor)
    req = MentoringRequestFactory(mentee=mentee)
    pair = publish(
        lambda: match_propose(
            req=req, mentor=mentor, acting_user=people["manager"], note="Go"
        )
    )
    publish(lambda: pair_accept(pair=pair, acting_user=mentor))
    publish(lambda: pair_accept(pair=pair, acting_user=mentee))
    publish(lambda: pair_close(pair=pair, acting_user=mentee, reason="Moved teams"))

    events = [r.json() for r in receiver.received]
    assert [e["event"] for e in events] == [
        "mentoring.pair_created",
        "mentoring.pair_closed",
    ]
    assert events[1]["data"]["pair"]["status"] == "closed"
    text = json.dumps(events)
    for said in (mentor.username, mentee.username, "Moved teams", "Go"):
        assert said not in text


def test_a_pair_in_a_private_community_reaches_only_that_communitys_hook(
    people, private_community, receiver, make_hook, publish
):
    make_hook(url=receiver.url + "/org")
    make_hook(url=receiver.url + "/private", community=private_community)
    MentorOfferFactory(user=people["steward"])
    req = MentoringRequestFactory(
        mentee=people["private member"], community=private_community
    )
    publish(
        lambda: match_propose(
            req=req, mentor=people["steward"], acting_user=people["manager"]
        )
    )
    assert [r.path for r in receiver.received] == ["/private"]


def test_a_failing_receiver_is_retried_on_the_backoff_schedule(
    people, open_community, receiver, make_hook, publish, clock
):
    receiver.answers = [500]
    make_hook(url=receiver.url)
    start = clock.now
    _item(publish, author=people["member"], community=open_community)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        "pending",
        1,
        500,
    )
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    assert "500" in delivery.last_error

    clock.advance(59)
    assert publish(webhooks.deliveries_due) == 0  # not yet due
    clock.advance(1)
    assert publish(webhooks.deliveries_due) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == (
        "succeeded",
        2,
        200,
    )
    assert delivery.last_error == ""
    assert len(receiver.received) == 2
    # Both attempts are the same event, signed at their own time.
    first, second = receiver.received
    assert first.body == second.body
    assert (
        first.headers["X-Practica-Signature"] != second.headers["X-Practica-Signature"]
    )
    assert publish(webhooks.deliveries_due) == 0


def test_a_receiver_that_never_answers_well_gives_up_after_the_last_wait(
    people, open_community, receiver, make_hook, publish, clock
):
    receiver.answers = [503] * 10
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    waits = []
    delivery = Delivery.objects.get()
    while delivery.status == "pending":
        wait = (delivery.next_attempt_at - clock.now).total_seconds()
        waits.append(wait)
        clock.advance(wait)
        publish(webhooks.deliveries_due)
        delivery.refresh_from_db()
    assert waits == [60, 300, 1800, 7200, 43200]
    assert (delivery.status, delivery.attempts) == ("failed", 6)
    assert len(receiver.received) == 6
    clock.advance(86400)
    assert publish(webhooks.deliveries_due) == 0


def test_a_retry_waiting_in_the_queue_is_not_handed_over_twice(
    people, open_community, receiver, make_hook, publish, clock
):
    receiver.answers = [500]
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    clock.advance(60)
    # The sweep hands it over, but the broker holds it (not run yet).
    assert webhooks.deliveries_due() == 1
    clock.advance(60)
    assert webhooks.deliveries_due() == 0
    clock.advance(10 * 60)
    assert webhooks.deliveries_due() == 1  # lost: handed over again


def test_a_community_turned_private_before_the_retry_stops_it(
    people, open_community, receiver, make_hook, publish, clock
):
    receiver.answers = [500]
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    open_community.visibility = Visibility.PRIVATE
    open_community.save()
    clock.advance(60)
    publish(webhooks.deliveries_due)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert "no longer" in delivery.last_error
    assert len(receiver.received) == 1


def test_redirects_are_not_followed(
    people, open_community, receiver, make_hook, publish
):
    receiver.answers = [302]
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 302)
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_an_error_not_a_crash(
    people, open_community, make_hook, publish
):
    from tests.conftest import free_port

    make_hook(url=f"http://127.0.0.1:{free_port()}/gone")
    _item(publish, author=people["member"], community=open_community)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.response_code is None
    assert delivery.last_error


def test_private_addresses_are_refused_when_not_allowed(
    people, open_community, receiver, make_hook, publish, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    make_hook(url=receiver.url)
    _item(publish, author=people["member"], community=open_community)
    assert receiver.received == []
    assert "not a public" in Delivery.objects.get().last_error


def test_https_is_required_where_settings_say_so(settings, db):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(ValidationError):
        webhooks.webhook_url_check("http://example.com/hook")
    webhooks.webhook_url_check("https://example.com/hook")
    settings.WEBHOOK_REQUIRE_HTTPS = False
    webhooks.webhook_url_check("http://127.0.0.1:9/hook")
    with pytest.raises(ValidationError):
        webhooks.webhook_url_check("ftp://example.com/hook")


def test_production_settings_require_https():
    source = (
        __import__("pathlib").Path(__file__).parents[2]
        / "config/settings/production.py"
    ).read_text()
    assert "WEBHOOK_REQUIRE_HTTPS = True" in source


def test_no_hook_no_delivery_and_a_rolled_back_change_emits_nothing(
    people, open_community, receiver, make_hook, publish
):
    _item(publish, author=people["member"], community=open_community)
    assert Delivery.objects.count() == 0
    make_hook(url=receiver.url)
    with pytest.raises(RuntimeError):
        publish(lambda: _fail_after_create(people["member"], open_community))
    assert receiver.received == []


def _fail_after_create(author, community):
    from django.db import transaction

    with transaction.atomic():
        knowledge.item_create(
            author=author, community=community, kind="story", title="T", body="B"
        )
        raise RuntimeError("the change failed")


def test_a_hidden_item_is_not_announced(
    people, open_community, receiver, make_hook, django_capture_on_commit_callbacks
):
    make_hook(url=receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = knowledge.item_create(
            author=people["member"],
            community=open_community,
            kind="story",
            title="Oops",
            body="Posted by mistake",
        )
        knowledge.item_hide(item=item, acting_user=people["steward"])
    for callback in callbacks:
        callback()
    assert receiver.received == []
