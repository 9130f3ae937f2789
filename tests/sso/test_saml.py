"""Single sign-on through SAML 2.0, end to end: pysaml2's identity provider
(tests/sso/saml_idp.py) runs on loopback, trusts Practica's own SP metadata,
and signs its responses; a client follows the real HTTP-Redirect and
HTTP-POST bindings. Nothing of allauth or python3-saml is mocked."""

import os
import re
from html import unescape
from urllib.parse import urljoin

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from members.models import AuditAction, AuditEntry, User
from tests.members.factories import UserFactory
from tests.sso import saml_idp
from tests.sso.conftest import IDP_PEOPLE

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not saml_idp.XMLSEC1.exists() and os.environ.get("CI") != "true",
        reason="pysaml2 signs with Debian's xmlsec1 (apt-get install xmlsec1); "
        "in CI (CI=true, which installs it) these tests run and fail instead",
    ),
]

INPUT = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', re.S)


@pytest.fixture(scope="session")
def saml_server(tmp_path_factory):
    idp = saml_idp.start(tmp_path_factory.mktemp("saml-idp"), IDP_PEOPLE)
    yield idp
    saml_idp.stop(idp)


@pytest.fixture
def saml_settings(settings, saml_server, live_server):
    settings.SOCIALACCOUNT_PROVIDERS = {"saml": {"APPS": [saml_server.app_settings()]}}
    metadata = requests.get(
        f"{live_server.url}/accounts/saml/example/metadata/", timeout=10
    )
    assert metadata.status_code == 200
    saml_server.trust_sp(metadata.text)
    return settings


def _form(html: str) -> tuple[str, dict]:
    action = re.search(r'<form[^>]*action="([^"]*)"', html).group(1)
    return unescape(action), {k: unescape(v) for k, v in INPUT.findall(html)}


def saml_sign_in(base_url: str, username: str, password=saml_idp.PASSWORD):
    browser = requests.Session()
    login_url = f"{base_url}/accounts/login/"
    page = browser.get(login_url, timeout=10).text
    assert "Sign in with Example Corp SAML" in page
    action, fields = _form(page.split("sso-buttons", 1)[1])
    at_idp = browser.post(urljoin(login_url, action), data=fields, timeout=10)
    assert at_idp.url.startswith("http://127.0.0.1:"), at_idp.url
    assert "Example Corp SAML sign-in" in at_idp.text
    _action, fields = _form(at_idp.text)
    posted = browser.post(
        at_idp.url,
        data={**fields, "username": username, "password": password},
        timeout=30,
    )
    if posted.status_code != 200:
        return browser, posted
    # The IdP's page posts the signed response to Practica's ACS (HTTP-POST
    # binding; a browser would submit it by script).
    acs, fields = _form(posted.text)
    back = browser.post(acs, data=fields, timeout=30)
    return browser, back


def _signed_in_as(browser, base_url) -> str:
    home = browser.get(f"{base_url}/", timeout=10).text
    found = re.search(r"<summary>(.*?)</summary>", home, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""


def test_first_saml_sign_in_creates_the_member(saml_settings, live_server):
    browser, back = saml_sign_in(live_server.url, "jane")
    assert back.status_code == 200, back.text[:2000]
    member = User.objects.get(email="jane.doe@example.com")
    assert member.display_name == "Jane Doe"
    assert EmailAddress.objects.get(user=member).verified
    assert (
        SocialAccount.objects.get(user=member).provider
        == saml_settings.SOCIALACCOUNT_PROVIDERS["saml"]["APPS"][0]["provider_id"]
    )
    assert _signed_in_as(browser, live_server.url).endswith("Jane Doe")


def test_saml_links_an_existing_member_by_email(saml_settings, live_server):
    ana = UserFactory(email="ana.silva@example.com", display_name="Ana S.")
    browser, back = saml_sign_in(live_server.url, "ana")
    assert back.status_code == 200
    assert User.objects.filter(email="ana.silva@example.com").count() == 1
    assert SocialAccount.objects.get().user == ana
    entry = AuditEntry.objects.get(action=AuditAction.SSO_LINKED)
    assert (entry.actor, entry.target_id) == (ana, ana.pk)
    assert entry.details["via"] == "verified e-mail"
    assert _signed_in_as(browser, live_server.url).endswith("Ana S.")


def test_wrong_password_at_the_saml_idp_signs_no_one_in(saml_settings, live_server):
    browser, back = saml_sign_in(live_server.url, "jane", password="wrong")
    assert back.status_code == 403
    assert _signed_in_as(browser, live_server.url) == ""
    assert not User.objects.filter(email="jane.doe@example.com").exists()


def test_a_sha1_signed_response_is_refused(saml_settings, saml_server, live_server):
    """An IdP still signing with SHA-1 is not trusted."""
    saml_server.sign_alg = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    try:
        browser, back = saml_sign_in(live_server.url, "jane")
    finally:
        saml_server.sign_alg = saml_idp.RSA_SHA256
    assert back.status_code == 401
    assert _signed_in_as(browser, live_server.url) == ""
    assert not User.objects.filter(email="jane.doe@example.com").exists()
