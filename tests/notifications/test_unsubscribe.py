"""The signed unsubscribe link works without logging in; tampered or expired
links change nothing."""

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from notifications import unsubscribe as links
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def url_for(member, scope=links.DIGESTS):
    token = links.unsubscribe_token(member, scope)
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def test_get_asks_for_confirmation_and_changes_nothing(client):
    member = UserFactory(digest_frequency="daily")
    response = client.get(url_for(member))
    assert response.status_code == 200
    assert "Stop digest e-mails?" in response.content.decode()
    member.refresh_from_db()
    assert member.digest_frequency == "daily"


def test_one_click_post_unsubscribes_without_login_or_csrf_token():
    member = UserFactory(digest_frequency="weekly")
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(member), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.digest_frequency == "off"
    # Posting again is harmless.
    assert client.post(url_for(member)).status_code == 200


def test_notification_links_stop_notification_emails_only(client):
    member = UserFactory(digest_frequency="weekly", notification_emails="immediately")
    client.post(url_for(member, links.NOTIFICATIONS))
    member.refresh_from_db()
    assert member.notification_emails == "off"
    assert member.digest_frequency == "weekly"


def test_a_tampered_link_is_refused(client):
    member = UserFactory(digest_frequency="weekly")
    other = UserFactory(digest_frequency="weekly")
    token = links.unsubscribe_token(member)
    # Signed with another salt (or key): a forgery for someone else.
    forged = signing.dumps({"u": other.pk, "s": "digests"}, salt="another.salt")
    for bad in (token[:-2] + "xy", forged, "nonsense"):
        url = reverse("notifications:unsubscribe", kwargs={"token": bad})
        response = client.post(url)
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    member.refresh_from_db()
    other.refresh_from_db()
    assert member.digest_frequency == other.digest_frequency == "weekly"


def test_an_expired_link_says_so(client, monkeypatch):
    member = UserFactory(digest_frequency="weekly")
    url = url_for(member)
    monkeypatch.setattr(links, "MAX_AGE", dt.timedelta(seconds=-1))
    response = client.post(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    member.refresh_from_db()
    assert member.digest_frequency == "weekly"


def test_links_in_emails_are_absolute(settings):
    settings.SITE_URL = "https://practica.example.com/"
    member = UserFactory()
    assert links.unsubscribe_url(member).startswith(
        "https://practica.example.com/digests/unsubscribe/"
    )
