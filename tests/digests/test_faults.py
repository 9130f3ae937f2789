"""Digest delivery under faults: a worker killed mid-batch costs at most the
message in flight, which the sweeper sends again; a slow SMTP server that
times out after taking a message never gets it twice; every attempt at one
delivery carries the same Message-ID."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from digests import deliver
from digests.deliver import deliveries_sweep, digest_batch_send
from digests.models import DigestDelivery
from digests.tasks import sweep
from members.models import OutboxJob
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


class Killed(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs."""


class FaultyBackend(EmailBackend):
    """The in-memory backend with a scripted fault at the n-th message."""

    fault_at = None
    fault = None
    sent = 0

    def send_messages(self, messages):
        FaultyBackend.sent += 1
        if FaultyBackend.sent == FaultyBackend.fault_at:
            if FaultyBackend.fault is TimeoutError:
                super().send_messages(messages)  # the server took it, then...
            raise FaultyBackend.fault("scripted fault")
        return super().send_messages(messages)


@pytest.fixture
def faulty_smtp(settings):
    settings.EMAIL_BACKEND = "tests.digests.test_faults.FaultyBackend"
    FaultyBackend.fault_at, FaultyBackend.fault, FaultyBackend.sent = None, None, 0
    mail.outbox = []
    return FaultyBackend


@pytest.fixture
def readers():
    community = CommunityFactory()
    ItemFactory(community=community, title="A lesson worth a digest", created_at=at(1))
    people = UserFactory.create_batch(5)
    for person in people:
        MembershipFactory(user=person, community=community)
    return people


def _send(people):
    return digest_batch_send(
        period="weekly", start=START, member_ids=[p.pk for p in people]
    )


def _received(people):
    return sorted(m.to[0] for m in mail.outbox if m.to[0] in {p.email for p in people})


def test_a_worker_killed_mid_batch_costs_only_the_message_in_flight(
    readers, faulty_smtp
):
    faulty_smtp.fault_at, faulty_smtp.fault = 3, Killed
    with pytest.raises(Killed):
        _send(readers)
    statuses = sorted(DigestDelivery.objects.values_list("status", flat=True))
    # The batch was claimed at once: the two not reached yet stay claimed
    # with the one in flight until the claim goes stale.
    assert statuses == ["sending", "sending", "sending", "sent", "sent"]

    # Minutes later the sweeper finds what is owed, the in-flight one too.
    long_ago = timezone.now() - deliver.CLAIM_STALE_AFTER - timedelta(minutes=1)
    DigestDelivery.objects.update(created_at=long_ago)
    DigestDelivery.objects.filter(status="sending").update(claimed_at=long_ago)
    [(period, start, owed)] = deliveries_sweep()
    assert (period, start) == ("weekly", START) and len(owed) == 3
    faulty_smtp.fault_at = None
    digest_batch_send(period=period, start=start, member_ids=owed)
    # Everyone got this week's digest, exactly once each.
    assert _received(readers) == sorted(p.email for p in readers)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_live_claim_is_not_taken_over(readers, faulty_smtp):
    _send(readers[:1])
    DigestDelivery.objects.update(status="sending", claimed_at=timezone.now())
    mail.outbox = []
    result = _send(readers[:1])
    assert result.skipped == [readers[0].pk] and mail.outbox == []


def test_a_slow_smtp_server_that_took_the_message_never_gets_it_twice(
    readers, faulty_smtp
):
    faulty_smtp.fault_at, faulty_smtp.fault = 2, TimeoutError
    result = _send(readers)
    assert result.failed == []
    again = _send(readers)  # the task's retry, or a rerun
    assert again.sent == []
    assert _received(readers) == sorted(p.email for p in readers)
    timed_out = DigestDelivery.objects.get(member=readers[1])
    assert timed_out.status == "sent" and "timed out" in timed_out.last_error


def test_every_attempt_at_one_delivery_has_the_same_message_id(readers, faulty_smtp):
    faulty_smtp.fault_at, faulty_smtp.fault = 1, smtplib.SMTPServerDisconnected
    first = _send(readers[:1])
    assert first.failed == [readers[0].pk]
    _send(readers[:1])
    [message] = mail.outbox
    delivery = DigestDelivery.objects.get()
    assert message.extra_headers["Message-ID"] == deliver.message_id(delivery)
    assert message.extra_headers["Message-ID"].startswith(f"<digest-{delivery.pk}-")


def test_an_unreachable_server_fails_the_batch_before_claiming_anyone(
    readers, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # refused at once
    result = _send(readers)
    assert sorted(result.failed) == sorted(p.pk for p in readers)
    assert set(DigestDelivery.objects.values_list("status", flat=True)) == {"pending"}


def test_the_sweep_task_hands_owed_deliveries_to_new_batches(readers, faulty_smtp):
    faulty_smtp.fault_at, faulty_smtp.fault = 1, Killed
    with pytest.raises(Killed):
        _send(readers)
    DigestDelivery.objects.update(
        created_at=timezone.now() - timedelta(hours=1),
        claimed_at=timezone.now() - timedelta(hours=1),
    )
    faulty_smtp.fault_at = None
    assert sweep() == 1
    job = OutboxJob.objects.get(task_name="digests.send_batch")
    assert sorted(job.kwargs["member_ids"]) == sorted(p.pk for p in readers)
