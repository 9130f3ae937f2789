import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """The in-memory backend, refusing the next `failures` messages like an
    SMTP server that is briefly down."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.knowledge.digests.conftest.FlakyBackend"
    FlakyBackend.failures = 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures = 0
