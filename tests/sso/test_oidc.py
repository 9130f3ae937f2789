"""Single sign-on through OpenID Connect, end to end: a real identity
provider (django-oauth-toolkit, tests/sso/idp_project) runs on loopback, and
a client follows the real redirects: Practica's login button, the IdP's
sign-in form, the authorisation code back to Practica, the token and
userinfo fetched by Practica from the IdP. Nothing of allauth is mocked."""

import re
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from members.models import AuditAction, AuditEntry, User
from tests.members.factories import UserFactory
from tests.sso.oidc_idp import PASSWORD as IDP_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

FORM = re.compile(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.S)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _form_with(html: str, text: str) -> tuple[str, str]:
    """(action, csrf token) of the form holding `text` (a button's label)."""
    for action, body in FORM.findall(html):
        if text in body:
            return unescape(action), CSRF.search(body).group(1)
    raise AssertionError(f"No form with {text!r} in:\n{html[:3000]}")


def sso_sign_in(base_url: str, username: str, password=IDP_PASSWORD):
    """A person at a browser: Practica's login page, "Sign in with Example
    Corp", the IdP's own sign-in form, and back. Returns (session, last
    response)."""
    browser = requests.Session()
    login_url = f"{base_url}/accounts/login/"
    page = browser.get(login_url, timeout=10)
    assert page.status_code == 200
    action, token = _form_with(page.text, "Sign in with Example Corp")
    at_idp = browser.post(
        urljoin(login_url, action),
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": login_url},
        timeout=10,
    )
    assert at_idp.url.startswith("http://127.0.0.1:"), at_idp.url
    assert "Example Corp sign-in" in at_idp.text
    _action, idp_token = _form_with(at_idp.text, 'name="username"')
    next_url = re.search(r'name="next" value="([^"]*)"', at_idp.text).group(1)
    back = browser.post(
        at_idp.url,
        data={
            "csrfmiddlewaretoken": idp_token,
            "username": username,
            "password": password,
            "next": unescape(next_url),
        },
        headers={"Referer": at_idp.url},
        timeout=30,
    )
    return browser, back


def _signed_in_as(browser, base_url) -> str:
    """The account menu in the header of Practica's home page (avatar
    initials, then the display name), or "" for a visitor."""
    home = browser.get(f"{base_url}/", timeout=10).text
    found = re.search(r"<summary>(.*?)</summary>", home, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_login_page_shows_the_organisations_button(sso_settings, live_server):
    page = requests.get(f"{live_server.url}/accounts/login/", timeout=10).text
    assert "Sign in with Example Corp" in page
    # Passwords still work alongside, until LOCAL_PASSWORDS is turned off.
    assert 'name="password"' in page


def test_first_sign_in_creates_the_member(sso_settings, live_server):
    """Someone new signs in through the IdP: a member is created with the
    name and verified e-mail the IdP gave, linked to their IdP identity, and
    starts with the welcome."""
    browser, back = sso_sign_in(live_server.url, "jane")
    assert back.status_code == 200
    assert back.url.startswith(live_server.url), back.url
    member = User.objects.get(email="jane.doe@example.com")
    assert member.display_name == "Jane Doe"
    assert member.username == "jane-doe"
    assert not member.has_usable_password()
    assert EmailAddress.objects.get(user=member).verified
    account = SocialAccount.objects.get(user=member)
    assert account.provider == "example"
    assert "/welcome/" in back.url
    assert _signed_in_as(browser, live_server.url).endswith("Jane Doe")

    # The second time the same identity signs in: the same member.
    browser, back = sso_sign_in(live_server.url, "jane")
    assert User.objects.filter(email="jane.doe@example.com").count() == 1
    assert SocialAccount.objects.filter(user=member).count() == 1
    assert _signed_in_as(browser, live_server.url).endswith("Jane Doe")


def test_existing_member_is_linked_by_verified_email(sso_settings, live_server):
    """A member who joined with a password signs in through the IdP: the
    IdP's verified e-mail links her account (no second member)."""
    ana = UserFactory(
        email="ana.silva@example.com", display_name="Ana S.", password="pw-x-42!"
    )
    EmailAddress.objects.create(user=ana, email=ana.email, verified=True, primary=True)
    browser, back = sso_sign_in(live_server.url, "ana")
    assert back.status_code == 200
    assert User.objects.filter(email="ana.silva@example.com").count() == 1
    assert SocialAccount.objects.get(provider="example").user == ana
    # The link is in the audit log, made by her sign-in.
    entry = AuditEntry.objects.get(action=AuditAction.SSO_LINKED)
    assert (entry.actor, entry.target_id) == (ana, ana.pk)
    assert entry.details == {"provider": "Example Corp", "via": "verified e-mail"}
    # Her profile is hers, unchanged by the IdP's idea of her name.
    assert _signed_in_as(browser, live_server.url).endswith("Ana S.")


def test_deactivated_member_cannot_sign_in_through_the_idp(sso_settings, live_server):
    UserFactory(email="olga.left@example.com", is_active=False)
    browser, back = sso_sign_in(live_server.url, "olga")
    assert "inactive" in back.text.lower()
    assert _signed_in_as(browser, live_server.url) == ""


def test_wrong_idp_password_leaves_no_member(sso_settings, live_server):
    browser, back = sso_sign_in(live_server.url, "jane", password="wrong")
    assert back.url.startswith("http://127.0.0.1:")  # still at the IdP
    assert not User.objects.filter(email="jane.doe@example.com").exists()


def test_passwords_off_leaves_only_single_sign_on(sso_settings, live_server):
    sso_settings.LOCAL_PASSWORDS = False
    page = requests.get(f"{live_server.url}/accounts/login/", timeout=10).text
    assert "Sign in with Example Corp" in page
    assert 'name="password"' not in page
    browser, back = sso_sign_in(live_server.url, "jane")
    assert _signed_in_as(browser, live_server.url).endswith("Jane Doe")
