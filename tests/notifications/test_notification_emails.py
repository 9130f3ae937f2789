"""In-app notifications by e-mail: right away (once) or folded into the
digest, per the member's preference."""

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import notification_email_send, notify
from notifications.tasks import send_notification_email
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_immediately_sends_one_email_after_commit(django_capture_on_commit_callbacks):
    member = UserFactory(notification_emails="immediately")
    with django_capture_on_commit_callbacks(execute=True):
        note = notify(
            recipient=member,
            kind="knowledge.reply",
            message="Ana replied to your story",
            url="/items/1/",
        )
        assert mail.outbox == []  # nothing before the commit
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Ana replied to your story" in message.body
    assert "http" in message.body and "/items/1/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    note.refresh_from_db()
    assert note.emailed_at is not None
    # The task running again (a redelivery) sends nothing more.
    assert (
        send_notification_email.apply(kwargs={"notification_id": note.pk}).get()
        is False
    )
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("preference", ["digest", "off"])
def test_other_preferences_send_nothing_right_away(
    preference, django_capture_on_commit_callbacks
):
    member = UserFactory(notification_emails=preference)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        note = notify(recipient=member, kind="x.y", message="Hello")
    assert callbacks == []
    assert notification_email_send(notification_id=note.pk) is False
    assert mail.outbox == []
    note.refresh_from_db()
    assert note.emailed_at is None


def test_a_failed_send_releases_the_claim_for_the_retry(flaky_smtp):
    member = UserFactory(notification_emails="immediately")
    note = Notification.objects.create(recipient=member, kind="x.y", message="Hi")
    flaky_smtp.failures = 1
    with pytest.raises(OSError):
        notification_email_send(notification_id=note.pk)
    note.refresh_from_db()
    assert note.emailed_at is None
    assert notification_email_send(notification_id=note.pk) is True
    assert len(mail.outbox) == 1
