"""Digest e-mails: one per member per period, only their communities, never
twice, failures retried and recorded."""

import pytest
from celery import current_app
from celery.exceptions import Retry
from django.core import mail

from communities.models import Membership
from digests.deliver import digest_batch_send, recipient_ids
from digests.models import DigestDelivery
from digests.tasks import DigestSendFailed, send_digest_batch
from notifications.models import Notification
from notifications.services import notify
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
ISO = START.isoformat()


@pytest.fixture
def two_communities():
    open_c = CommunityFactory(name="Open Guild")
    secret = CommunityFactory(name="Secret Squad", private=True)
    ItemFactory(community=open_c, title="Open story", created_at=at(1))
    ItemFactory(community=secret, title="Secret plan", created_at=at(2))
    insider = UserFactory(display_name="Ines Insider")
    outsider = UserFactory(display_name="Olaf Outsider")
    MembershipFactory(user=insider, community=open_c)
    MembershipFactory(user=insider, community=secret)
    MembershipFactory(user=outsider, community=open_c)
    # Left the private community: no longer sees what it shares.
    MembershipFactory(user=outsider, community=secret, status=Membership.Status.LEFT)
    return {"open": open_c, "secret": secret, "insider": insider, "outsider": outsider}


def send(*members):
    return digest_batch_send(
        period="weekly", start=START, member_ids=[m.pk for m in members]
    )


def batch_kwargs(*members):
    return {"period": "weekly", "start": ISO, "member_ids": [m.pk for m in members]}


def mail_to(member):
    return [m for m in mail.outbox if m.to == [member.email]]


def test_one_email_covers_all_of_a_members_communities(two_communities):
    insider = two_communities["insider"]
    send(insider)
    [message] = mail_to(insider)
    html = message.alternatives[0][0]
    assert "Open story" in message.body and "Secret plan" in message.body
    assert "Open story" in html and "Secret plan" in html
    assert message.alternatives[0][1] == "text/html"


def test_private_content_never_reaches_a_non_member(two_communities):
    outsider = two_communities["outsider"]
    send(outsider)
    [message] = mail_to(outsider)
    assert "Open story" in message.body
    for part in (message.subject, message.body, message.alternatives[0][0]):
        assert "Secret plan" not in part
        assert "Secret Squad" not in part


def test_sending_twice_sends_one_email_per_member(two_communities):
    insider, outsider = two_communities["insider"], two_communities["outsider"]
    first = send(insider, outsider)
    second = send(insider, outsider)
    assert len(mail.outbox) == 2
    assert sorted(first.sent) == sorted([insider.pk, outsider.pk])
    assert second.sent == [] and sorted(second.skipped) == sorted(first.sent)
    assert DigestDelivery.objects.filter(status="sent").count() == 2


def test_a_record_claimed_by_a_dead_worker_is_not_sent_again(two_communities):
    insider = two_communities["insider"]
    DigestDelivery.objects.create(
        member=insider,
        period="weekly",
        period_start=START,
        status="sending",
        claim_token="a-worker-that-died",
    )
    result = send(insider)
    assert mail.outbox == [] and result.skipped == [insider.pk]


def test_unsubscribe_headers_and_link(two_communities):
    insider = two_communities["insider"]
    send(insider)
    [message] = mail.outbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert "/digests/unsubscribe/" in link
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert link in message.body


def test_preferences_muted_community_and_nothing_to_say(two_communities):
    insider, outsider = two_communities["insider"], two_communities["outsider"]
    Membership.objects.filter(user=insider, community=two_communities["open"]).update(
        digest_muted=True
    )
    daily = UserFactory(digest_frequency="daily")
    MembershipFactory(user=daily, community=two_communities["open"])
    quiet = UserFactory()
    MembershipFactory(user=quiet, community=CommunityFactory())
    off = UserFactory(digest_frequency="off")
    MembershipFactory(user=off, community=two_communities["open"])

    assert set(recipient_ids(period="weekly")) == {insider.pk, outsider.pk, quiet.pk}
    result = send(insider, outsider, daily, quiet, off)
    [message] = mail_to(insider)
    assert "Secret plan" in message.body and "Open story" not in message.body
    assert mail_to(daily) == [] and mail_to(off) == [] and mail_to(quiet) == []
    assert quiet.pk in result.nothing
    # Recorded as having nothing to send: a rerun leaves them out.
    assert DigestDelivery.objects.get(member=quiet).status == "empty"
    assert quiet.pk not in set(recipient_ids(period="weekly", start=START))
    assert not mail_to(quiet)


def test_smtp_failure_is_recorded_and_schedules_a_retry_with_backoff(
    two_communities, flaky_smtp
):
    insider = two_communities["insider"]
    flaky_smtp.failures = 1
    with pytest.raises(Retry) as retry:
        send_digest_batch.apply(kwargs=batch_kwargs(insider), throw=True)
    assert 0 <= retry.value.when <= 60  # backoff from 60 s, with jitter
    delivery = DigestDelivery.objects.get(member=insider)
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "Connection unexpectedly closed" in delivery.last_error
    assert mail.outbox == []


@pytest.fixture
def run_retries(settings):
    """Let eager tasks retry in-process like a worker does (the test settings
    propagate errors, which would stop at the first retry)."""
    app = current_app._get_current_object()
    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def test_smtp_failure_then_success_sends_once(two_communities, flaky_smtp, run_retries):
    insider, outsider = two_communities["insider"], two_communities["outsider"]
    flaky_smtp.failures = 1  # the first message of the batch fails
    result = send_digest_batch.apply(kwargs=batch_kwargs(insider, outsider))
    assert result.state == "SUCCESS"
    assert len(mail_to(insider)) == 1 and len(mail_to(outsider)) == 1
    attempts = sorted(DigestDelivery.objects.values_list("attempts", flat=True))
    assert attempts == [1, 2]
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_smtp_failure_that_persists_is_recorded_as_failed(
    two_communities, flaky_smtp, run_retries
):
    insider = two_communities["insider"]
    flaky_smtp.failures = 100
    result = send_digest_batch.apply(kwargs=batch_kwargs(insider))
    assert result.state == "FAILURE"
    assert isinstance(result.result, DigestSendFailed)
    delivery = DigestDelivery.objects.get(member=insider)
    assert delivery.status == "failed"
    assert delivery.attempts == send_digest_batch.max_retries + 1
    assert mail.outbox == []
    # A later rerun sends it once the server is back.
    flaky_smtp.failures = 0
    send(insider)
    assert len(mail_to(insider)) == 1


def test_folded_notifications_go_out_with_the_digest_once(two_communities):
    outsider = two_communities["outsider"]
    note = notify(
        recipient=outsider,
        kind="knowledge.reply",
        message="Ines replied to your question",
        url="/x/",
    )
    Notification.objects.filter(pk=note.pk).update(created_at=at(3))
    send(outsider)
    [message] = mail_to(outsider)
    assert "Ines replied to your question" in message.body
    note.refresh_from_db()
    assert note.emailed_at is not None
    DigestDelivery.objects.all().delete()
    send(outsider)
    assert "Ines replied" not in mail_to(outsider)[-1].body


def test_a_notification_alone_is_worth_a_digest_email():
    member = UserFactory()
    MembershipFactory(user=member, community=CommunityFactory())
    note = notify(recipient=member, kind="x.y", message="Your match was accepted")
    Notification.objects.filter(pk=note.pk).update(created_at=at(1))
    send(member)
    [message] = mail.outbox
    assert "Your match was accepted" in message.body


def test_each_communitys_part_is_rendered_once_per_batch(two_communities, monkeypatch):
    """Two members share the open community: its part of the e-mail is
    rendered once for the batch (both read in the same zone) and reaches
    both, the private part only the insider."""
    from digests import compose

    rendered = []
    original = compose.digest_section

    def counting(digest, **kwargs):
        rendered.append(digest.content["community"]["name"])
        return original(digest, **kwargs)

    monkeypatch.setattr(compose, "digest_section", counting)
    insider, outsider = two_communities["insider"], two_communities["outsider"]

    send(insider, outsider)

    assert sorted(rendered) == ["Open Guild", "Secret Squad"]
    [to_outsider] = mail_to(outsider)
    [to_insider] = mail_to(insider)
    assert "Open story" in to_outsider.body and "Open story" in to_insider.body
    assert "Secret plan" in to_insider.body
    assert "Secret plan" not in to_outsider.body


def test_a_rerun_with_everything_sent_composes_nothing(
    two_communities, django_assert_num_queries
):
    insider, outsider = two_communities["insider"], two_communities["outsider"]
    send(insider, outsider)

    with django_assert_num_queries(1):  # which of them were sent already
        again = send(insider, outsider)

    assert sorted(again.skipped) == sorted([insider.pk, outsider.pk])
    assert recipient_ids(period="weekly", start=START).count() == 0
