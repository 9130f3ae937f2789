"""Every attempt at one notification e-mail carries the same Message-ID, so a
mail system can spot a repeat after a retry."""

import pytest

from notifications.emails import notification_message
from notifications.services import notify
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_notification_email_has_one_message_id_for_every_attempt(settings):
    settings.SITE_URL = "https://practica.example.com"
    first = notify(recipient=UserFactory(), kind="knowledge.reply", message="Hi")
    second = notify(recipient=UserFactory(), kind="knowledge.reply", message="Hi")
    one = notification_message(notification=first).extra_headers["Message-ID"]
    again = notification_message(notification=first).extra_headers["Message-ID"]
    other = notification_message(notification=second).extra_headers["Message-ID"]
    assert one == again == f"<notification-{first.pk}@practica.example.com>"
    assert other != one
