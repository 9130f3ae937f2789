"""Practica in English, German and French (issue 14): a visitor's language
comes from the language switch (a cookie) or the browser's Accept-Language; a
member's stored language wins over both; the switch is a plain POST form in
every page's footer, and a member's choice is saved to their profile. Dates
and numbers follow the language."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from tests.members.factories import UserFactory

MOMENT = datetime(2026, 12, 5, 8, 14, tzinfo=UTC)
SWITCH = reverse("members:language")


@pytest.mark.django_db
def test_english_is_the_default(client):
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Log in</a>" in html
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_browsers_language_is_honoured(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert ">Anmelden</a>" in html
    assert ">Log in</a>" not in html
    french = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9")
    assert '<html lang="fr">' in french.content.decode()
    # A language Practica lacks falls back to English.
    other = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ja")
    assert '<html lang="en">' in other.content.decode()


@pytest.mark.django_db
def test_a_member_sees_pages_in_their_stored_language(client):
    member = UserFactory(language="de")
    client.force_login(member)
    # Their choice wins over what the browser asks for.
    html = client.get(
        reverse("communities:list"), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert '<html lang="de">' in html
    assert "Eine Community finden" in html  # "Find a community"
    assert ">Personen</a>" in html  # the header's "People"
    assert "Find a community" not in html


@pytest.mark.django_db
def test_a_member_without_a_language_follows_the_browser(client):
    client.force_login(UserFactory(language=""))
    html = client.get(
        reverse("communities:list"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Eine Community finden" in html


@pytest.mark.django_db
def test_every_page_has_the_language_switch(client):
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'<form method="post" action="{SWITCH}" class="language-switch">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<option value="de" lang="de" selected>Deutsch</option>' in html
    assert '<option value="fr" lang="fr">Français</option>' in html
    assert '<option value="en" lang="en">English</option>' in html


@pytest.mark.django_db
def test_the_switch_keeps_a_visitors_choice_in_a_cookie(client):
    response = client.post(SWITCH, {"language": "de", "next": "/communities/"})
    assert response.status_code == 302
    assert response["Location"] == "/communities/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    # Later pages are German, whatever the browser says.
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Anmelden</a>" in html
    client.post(SWITCH, {"language": "en", "next": "/"})
    assert ">Log in</a>" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_switch_saves_a_members_choice(client):
    member = UserFactory(language="")
    client.force_login(member)
    response = client.post(SWITCH, {"language": "de", "next": "/communities/"})
    assert response["Location"] == "/communities/"
    member.refresh_from_db()
    assert member.language == "de"
    # The profile follows them to another browser with no cookie.
    other_browser = Client()
    other_browser.force_login(member)
    html = other_browser.get(reverse("communities:list")).content.decode()
    assert "Eine Community finden" in html
    client.post(SWITCH, {"language": "en", "next": "/"})
    member.refresh_from_db()
    assert member.language == "en"
    html = other_browser.get(
        reverse("communities:list"), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Find a community" in html


@pytest.mark.django_db
def test_the_switch_refuses_unknown_languages_and_foreign_redirects(client):
    member = UserFactory(language="de")
    client.force_login(member)
    response = client.post(SWITCH, {"language": "xx", "next": "/communities/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    member.refresh_from_db()
    assert member.language == "de"
    response = client.post(SWITCH, {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(SWITCH).status_code == 405


@pytest.mark.django_db
def test_the_switch_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(SWITCH, {"language": "de", "next": "/"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "5 Dec 2026, 09:14 CET"),
        ("de", "5. Dezember 2026 09:14 CET"),
        ("fr", "5 décembre 2026 09:14 CET"),
    ],
)
def test_dates_follow_the_language(client, language, shown):
    reader = UserFactory(time_zone="Europe/Berlin", language=language)
    Notification.objects.create(
        recipient=reader, kind="test", message="Hello", url="/", created_at=MOMENT
    )
    client.force_login(reader)
    html = client.get(reverse("notifications:list")).content.decode()
    assert shown in html


def test_numbers_follow_the_language():
    template = Template("{{ share|floatformat:1 }} {{ big }}")
    context = Context({"share": 12.24, "big": 0.5})
    with translation.override("de"):
        assert template.render(context) == "12,2 0,5"
    with translation.override("en"):
        assert template.render(context) == "12.2 0.5"


@pytest.mark.django_db
def test_e_mails_are_in_the_recipients_language_not_the_senders():
    from digests.compose import digest_message
    from notifications.emails import notification_message

    german = UserFactory(language="de", digest_frequency="weekly")
    unset = UserFactory(language="", digest_frequency="weekly")
    # Sent while a German-speaking member's request is being answered.
    with translation.override("de"):
        note = Notification.objects.create(
            recipient=unset, kind="test", message="Hello", url="/", created_at=MOMENT
        )
        english = notification_message(notification=note)
        digest_de = digest_message(
            member=german, period="weekly", start=MOMENT, digests=[], notifications=[]
        )
    assert english.body.startswith("Hello ")
    assert "You receive this because" in english.body
    assert "Open in Practica" in english.alternatives[0][0]
    assert digest_de.subject == (
        "Was Ihre Communities in der Woche vom 5. Dezember gelernt haben"
    )
    assert "Ihre Woche in Practica" in digest_de.alternatives[0][0]
    with translation.override("fr"):
        digest_en = digest_message(
            member=unset, period="weekly", start=MOMENT, digests=[], notifications=[]
        )
    assert digest_en.subject == "What your communities learned in the week of 5 Dec"


@pytest.mark.django_db
def test_choices_built_once_still_follow_the_language(client):
    """Form choices made at import time would stay English: the dashboards'
    period list is built per form."""
    client.force_login(UserFactory(is_staff=True, language="de"))
    html = client.get(reverse("dashboards:index")).content.decode()
    assert "Letzte 30 Tage" in html
    assert "Last 30 days" not in html
