"""LOCAL_PASSWORDS=false: single sign-on only. No password form, and no
password sign-in, sign-up, reset or change anywhere (the admin's login
included), whoever asks."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-practice-password-42"
SSO = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "example",
                "name": "Example Corp",
                "client_id": "practica",
                "secret": "s",
                "settings": {"server_url": "http://127.0.0.1:9/o"},
            }
        ]
    }
}


@pytest.fixture
def passwords_off(settings):
    settings.LOCAL_PASSWORDS = False
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    return settings


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_offers_only_the_organisations_button(client, passwords_off):
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign in with Example Corp" in page
    assert 'name="password"' not in page
    assert reverse("account_signup") not in page  # no "Join" either
    assert 'action="/accounts/oidc/example/login/' in page
    assert "csrfmiddlewaretoken" in page


def test_password_login_is_refused_with_a_message(client, passwords_off):
    UserFactory(email="ana@example.com", password=PASSWORD)
    response = client.post(
        reverse("account_login"), {"login": "ana@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert not _logged_in(client)
    assert "sign in with your organisation" in response.content.decode()


def test_admin_password_login_is_refused(client, passwords_off):
    UserFactory(email="root@example.com", password=PASSWORD, is_staff=True)
    client.post(
        reverse("admin:login"), {"username": "root@example.com", "password": PASSWORD}
    )
    assert not _logged_in(client)


def test_signup_is_closed(client, passwords_off):
    page = client.get(reverse("account_signup"))
    assert "Join through your organisation" in page.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "display_name": "New Person",
            "email": "new@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert not User.objects.filter(email="new@example.com").exists()
    assert not _logged_in(client)


@pytest.mark.parametrize("persona", ["anonymous", "member", "staff"])
@pytest.mark.parametrize(
    "url_name", ["account_reset_password", "account_change_password"]
)
def test_password_pages_are_refused_to_everyone(
    client, passwords_off, persona, url_name
):
    if persona != "anonymous":
        client.force_login(UserFactory(is_staff=persona == "staff"))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert "No password to manage here" in response.content.decode()
    response = client.post(
        reverse(url_name), {"email": "ana@example.com", "password1": "x"}
    )
    assert response.status_code == 403
    assert mail.outbox == []


def test_reset_link_from_before_is_refused(client, passwords_off):
    response = client.get("/accounts/password/reset/key/1-set-password/")
    assert response.status_code == 403


def test_account_menu_has_no_password_link(client, passwords_off, member):
    client.force_login(member)
    page = client.get(reverse("home")).content.decode()
    assert reverse("account_change_password") not in page
    assert reverse("account_logout") in page


def test_passwords_on_is_unchanged(client, settings):
    """The default: password pages as before, no SSO button without a
    provider configured."""
    settings.LOCAL_PASSWORDS = True
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' in page
    assert "Sign in with" not in page
    assert client.get(reverse("account_reset_password")).status_code == 200


def test_nothing_configured_says_so(client, settings):
    settings.LOCAL_PASSWORDS = False
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get(reverse("account_login")).content.decode()
    assert "Sign-in is not set up yet" in page


def test_system_check_warns_when_nobody_could_sign_in(settings):
    from django.core.checks import run_checks

    settings.LOCAL_PASSWORDS = False
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "members.W001" in {message.id for message in run_checks()}
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    assert "members.W001" not in {message.id for message in run_checks()}


@pytest.mark.parametrize("people", [2, 20])
def test_sign_in_pages_query_counts(
    client, passwords_off, people, django_assert_num_queries
):
    """The login page with its SSO buttons and the refused password page cost
    the same whatever the organisation's size (providers come from settings)."""
    UserFactory.create_batch(people)
    # allauth also looks for providers stored in the database (SocialApp).
    with django_assert_num_queries(1):
        assert client.get(reverse("account_login")).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse("account_reset_password")).status_code == 403
    with django_assert_num_queries(0):
        assert client.get(reverse("account_signup")).status_code == 200
