import threading
import time

import pytest
from django.core import mail
from django.db import OperationalError
from django.test import Client

from config import views
from tests.members.factories import UserFactory


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_database_is_down(client, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "_database_check", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.django_db
def test_healthz_answers_in_time_when_the_database_hangs(client, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(views, "_database_check", lambda: release.wait(10))
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    release.set()
    assert response.status_code == 503
    assert elapsed < 1.0, f"/healthz took {elapsed:.2f}s on a hung database"


@pytest.mark.urls("tests.members.urls_faults")
@pytest.mark.django_db
def test_a_database_failure_answers_503_with_retry_after_and_sends_no_mail(settings):
    settings.ADMINS = [("Admins", "admins@example.com")]
    member = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get("/test-faults/database")
    assert response.status_code == 503
    assert response["Retry-After"] == str(views.RETRY_AFTER_SECONDS)
    assert "back in a moment" in response.content.decode()
    assert mail.outbox == []  # logged, never e-mailed from the request


@pytest.mark.urls("tests.members.urls_faults")
@pytest.mark.django_db
def test_a_bug_still_answers_500_and_sends_no_mail(settings):
    settings.ADMINS = [("Admins", "admins@example.com")]
    member = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.get("/test-faults/bug")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert mail.outbox == []


def test_healthz_503_when_redis_is_down(client, settings, monkeypatch, db):
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "down"
