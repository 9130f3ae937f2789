"""Fixtures shared by every app's tests. App-specific fixtures live in
tests/<app>/conftest.py; factories in tests/<app>/factories.py."""

import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from tests.members.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached figures (members.
    versioned_cache) must not outlive the database rows of an earlier test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: LocaleMiddleware activates a
    request's language for the thread and leaves it there, so a German page
    requested by one test would otherwise render the next test's templates in
    German."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def member(db):
    return UserFactory(display_name="Mia Member")


@pytest.fixture
def other_member(db):
    return UserFactory(display_name="Otto Other")


@pytest.fixture
def staff(db):
    return UserFactory(display_name="Stella Staff", is_staff=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


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
    settings.EMAIL_BACKEND = "tests.conftest.FlakyBackend"
    FlakyBackend.failures = 0
    mail.outbox = []
    yield FlakyBackend
    FlakyBackend.failures = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker():
    """Point this process's Celery app at another broker, not eager, for one
    test; the connection pools are reset so the new URL takes effect."""
    from celery import current_app

    app = current_app._get_current_object()
    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def reset_pools():
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools per connection in a process-wide registry;
        # one left holding a closed pool fails the next test's publish.
        pools.reset()

    def use(url: str):
        reset_pools()
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        return app

    yield use
    reset_pools()
    app.conf.broker_url, app.conf.task_always_eager = saved
