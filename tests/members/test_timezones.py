"""Each member's time zone (from the browser at sign-up, editable) and
language: times on pages and in e-mails are shown in the reader's zone, with
the zone named."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from members.models import User
from members.timezones import member_zone, valid_language, valid_time_zone
from notifications.models import Notification
from tests.members.factories import UserFactory

MOMENT = datetime(2026, 12, 5, 8, 14, tzinfo=UTC)


def test_only_zoneinfo_names_are_kept():
    assert valid_time_zone("Europe/Berlin") == "Europe/Berlin"
    assert valid_time_zone(" Asia/Tokyo ") == "Asia/Tokyo"
    for junk in ("Mars/Olympus", "../../etc/passwd", "", "CET;DROP"):
        assert valid_time_zone(junk) == ""
    assert valid_language("de-DE") == "de"
    assert valid_language("xx-YY") == ""


@pytest.mark.django_db
def test_sign_up_keeps_the_browsers_zone_and_language(client):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Kenji Sato",
            "email": "kenji@example.com",
            "password1": "a-long-practice-password-42",
            "password2": "a-long-practice-password-42",
            "time_zone": "Asia/Tokyo",
            "language": "ja-JP",
        },
    )
    user = User.objects.get(email="kenji@example.com")
    assert (user.time_zone, user.language) == ("Asia/Tokyo", "ja")


@pytest.mark.django_db
def test_sign_up_with_a_made_up_zone_falls_back_to_the_default(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "Ada",
            "email": "ada@example.com",
            "password1": "a-long-practice-password-42",
            "password2": "a-long-practice-password-42",
            "time_zone": "Nowhere/Land",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="ada@example.com").time_zone == ""


@pytest.mark.django_db
def test_the_sign_up_page_loads_the_zone_script(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="time_zone"' in html and "js/timezone" in html


@pytest.mark.django_db
def test_the_profile_edits_zone_and_language(client, member):
    client.force_login(member)
    form = client.get(reverse("members:edit")).content.decode()
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in form
    data = {
        "display_name": member.display_name,
        "digest_frequency": "weekly",
        "notification_emails": "digest",
        "time_zone": "America/Sao_Paulo",
        "language": "pt",
    }
    assert client.post(reverse("members:edit"), data).status_code == 302
    member.refresh_from_db()
    assert (member.time_zone, member.language) == ("America/Sao_Paulo", "pt")
    response = client.post(reverse("members:edit"), data | {"time_zone": "Mars/Base"})
    assert response.status_code == 200
    assert "Mars/Base is not one of the available choices" in (
        response.content.decode()
    )
    member.refresh_from_db()
    assert member.time_zone == "America/Sao_Paulo"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "zone,shown",
    [
        ("Europe/Berlin", "5 Dec 2026, 09:14 CET"),
        ("Asia/Tokyo", "5 Dec 2026, 17:14 JST"),
        ("", "5 Dec 2026, 08:14 UTC"),
    ],
)
def test_pages_show_times_in_the_readers_zone_named(client, zone, shown):
    reader = UserFactory(time_zone=zone)
    Notification.objects.create(
        recipient=reader, kind="test", message="Hello", url="/", created_at=MOMENT
    )
    client.force_login(reader)
    html = client.get(reverse("notifications:list")).content.decode()
    assert shown in html


@pytest.mark.django_db
def test_a_language_practica_has_is_applied_one_it_lacks_is_only_stored(
    client, settings
):
    reader = UserFactory(language="ja")
    client.force_login(reader)
    request = client.get(reverse("home")).wsgi_request
    assert getattr(request, "LANGUAGE_CODE", "en") == "en"
    settings.LANGUAGES = [("en", "English"), ("ja", "Japanese")]
    assert client.get(reverse("home")).wsgi_request.LANGUAGE_CODE == "ja"


@pytest.mark.django_db
def test_e_mails_show_times_in_the_recipients_zone(settings):
    from digests.compose import digest_message

    reader = UserFactory(time_zone="Africa/Lagos", digest_frequency="weekly")
    note = Notification.objects.create(
        recipient=reader, kind="test", message="Hello", url="/", created_at=MOMENT
    )
    message = digest_message(
        member=reader, period="weekly", start=MOMENT, digests=[], notifications=[note]
    )
    assert "5 Dec, 09:14 WAT" in message.alternatives[0][0]
    with member_zone(UserFactory(time_zone="Asia/Tokyo")):
        from django.utils import timezone

        assert timezone.get_current_timezone_name() == "Asia/Tokyo"
