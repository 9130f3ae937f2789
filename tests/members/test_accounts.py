"""Accounts through allauth: sign up, verify, log in by e-mail, reset and
change a password, two-factor with an authenticator app, and every page in
Practica's own layout."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.core import mail
from django.urls import reverse

from members.models import OutboxJob, User
from tests.members.factories import UserFactory

PASSWORD = "a-long-practice-password-42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/[^\s]+/)")


def _signup(client, **overrides):
    data = {
        "display_name": "María López",
        "email": "maria.lopez@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _link_in(message) -> str:
    return LINK.search(message.body).group(1)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_signup_verify_then_log_in_by_email_when_verification_is_mandatory(
    client, settings, django_capture_on_commit_callbacks
):
    """As in production: no session until the e-mailed link is confirmed."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert not _logged_in(client)
    user = User.objects.get(email="maria.lopez@example.com")
    assert user.display_name == "María López"
    assert user.username == "maria-lopez"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maria.lopez@example.com"]
    assert message.subject.startswith("[Practica]")

    # Logging in before confirming only says "check your e-mail".
    response = _login(client, "maria.lopez@example.com")
    assert not _logged_in(client)

    confirm_url = _link_in(message)
    response = client.get(confirm_url)
    assert response.status_code == 200
    assert b"Confirm" in response.content
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = _login(client, "MARIA.LOPEZ@example.com")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert _logged_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk
    home = client.get(reverse("home")).content.decode()
    # Her first visit: a welcome, not "welcome back", and the way in.
    assert "Welcome to Practica, María López" in home
    assert "Welcome back" not in home
    assert reverse("onboarding:welcome") in home


@pytest.mark.django_db
def test_optional_verification_logs_in_at_once_and_still_sends_the_link(
    client, settings, django_capture_on_commit_callbacks
):
    """Locally (optional verification) the demo flows without a mail server."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert _logged_in(client)
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_signup_errors_keep_the_typed_values(client):
    UserFactory(email="taken@example.com")
    response = _signup(client, email="taken@example.com", password2="different-one")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="María López"' in body
    assert 'aria-invalid="true"' in body
    assert User.objects.filter(email="taken@example.com").count() == 1


@pytest.mark.django_db
def test_signup_gives_distinct_url_safe_usernames(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"
    _signup(client)
    client.logout()
    _signup(client, email="another.maria@example.com")
    client.logout()
    _signup(client, display_name="李伟", email="li.wei@example.com")
    handles = set(User.objects.values_list("username", flat=True))
    assert "maria-lopez" in handles
    assert "li-wei" in handles
    assert len(handles) == 3
    for handle in handles:
        assert re.fullmatch(r"[-a-z0-9_]+", handle), handle
        assert reverse("members:profile", kwargs={"username": handle})


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="ana@example.com", password=PASSWORD)
    response = _login(client, "ana@example.com", "not-the-password")
    assert response.status_code == 200
    assert not _logged_in(client)
    assert b"not correct" in response.content


@pytest.mark.django_db
def test_log_out_ends_the_session(client):
    user = UserFactory(email="ana@example.com", password=PASSWORD)
    _login(client, user.email)
    assert _logged_in(client)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _logged_in(client)


@pytest.mark.django_db
def test_password_reset_by_emailed_link(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="ana@example.com", password="old-password-123")
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(jobs) == 1  # sent by the job queue, after the commit
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = _link_in(mail.outbox[0])
    # allauth moves the key into the session and redirects to a clean URL.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    new = "brand-new-password-77"
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else link,
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.django_db
def test_password_change_needs_the_current_password(client):
    user = UserFactory(email="ana@example.com", password=PASSWORD)
    _login(client, user.email)
    url = reverse("account_change_password")
    response = client.post(
        url,
        {
            "oldpassword": "wrong",
            "password1": "x-new-pass-99",
            "password2": "x-new-pass-99",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        url,
        {
            "oldpassword": PASSWORD,
            "password1": "x-new-pass-99",
            "password2": "x-new-pass-99",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("x-new-pass-99")


def _code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.mark.django_db
def test_totp_two_factor_can_be_activated_and_is_then_asked_at_login(client, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    user = UserFactory(email="ana@example.com", password=PASSWORD)
    _login(client, user.email)

    # Changing security settings asks for the password again first.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert b'class="layout-entrance"' in client.get(response.url).content
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert b"data:image/svg+xml;base64," in response.content
    assert b'class="layout-manage"' in response.content
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()

    client.post(reverse("account_logout"))
    response = _login(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not _logged_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret, 1)})
    assert response.status_code == 302
    assert _logged_in(client)


ENTRANCE_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
MANAGE_PAGES = [
    "account_change_password",
    "account_email",
    "account_logout",
    "mfa_index",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENTRANCE_PAGES)
def test_entrance_pages_use_practica_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert "css/practica.css" in body
    assert 'class="layout-entrance"' in body
    assert '<main id="main"' in body
    assert "· Practica</title>" in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_account_settings_pages_use_practica_layout_with_settings_tabs(client, name):
    user = UserFactory(email="ana@example.com", password=PASSWORD)
    _login(client, user.email)
    response = client.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="layout-manage"' in body
    assert 'aria-label="Account settings"' in body
    assert 'aria-current="page"' in body or name == "account_logout"


@pytest.mark.django_db
@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_account_settings_pages_need_login(client, name):
    response = client.get(reverse(name))
    if name == "account_logout":
        # Logging out when not logged in just goes home.
        assert response.status_code == 302
        return
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_a_hanging_mail_server_never_holds_up_a_password_reset(client):
    """The reset page answers before any mail is sent: the job does that,
    from the outbox, so a hanging SMTP server delays the mail, not the page."""
    user = UserFactory(email="ana@example.com")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert mail.outbox == []
    job = OutboxJob.objects.get(task_name="members.send_account_email")
    assert job.kwargs["to"] == ["ana@example.com"]
