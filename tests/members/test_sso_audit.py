"""Linking a single sign-on identity to a member, and unlinking it, leaves an
entry in the audit log (tests/sso signs in through real identity providers;
here allauth's own connect step and connections page are driven directly)."""

import pytest
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from members.models import AuditAction, AuditEntry
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def example_idp(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "example",
                    "name": "Example Corp",
                    "client_id": "practica",
                    "secret": "",
                    "settings": {"server_url": "https://idp.example.com"},
                }
            ]
        }
    }


def test_an_identity_linked_by_verified_email_is_audited(
    rf, client, staff, example_idp
):
    """Signing in at the IdP with a member's verified e-mail links the
    identity (allauth's auto-connect): the member is recorded as linking it."""
    member = UserFactory(display_name="Ana Silva")
    request = rf.get("/accounts/oidc/example/login/callback/")
    request.user, request.session = AnonymousUser(), SessionStore()
    account = SocialAccount(provider="example", uid="ana-at-idp")
    SocialLogin(account=account).connect(request, member)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == (
        AuditAction.SSO_LINKED,
        member,
        member.pk,
    )
    assert entry.target_label == "Ana Silva"
    assert entry.details == {"provider": "Example Corp", "via": "verified e-mail"}
    # Staff read it on the audit log; the member does not.
    client.force_login(member)
    assert client.get(reverse("dashboards:audit")).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("dashboards:audit")).text
    assert "Single sign-on account linked" in page
    assert "via: verified e-mail" in page


def test_linking_and_unlinking_from_account_settings_are_audited(
    client, staff, example_idp
):
    member = UserFactory(display_name="Ana Silva")
    client.force_login(member)
    request = client.get("/").wsgi_request
    SocialLogin(account=SocialAccount(provider="example", uid="ana")).connect(
        request, member
    )
    account = SocialAccount.objects.get(user=member)
    response = client.post(
        reverse("socialaccount_connections"), {"account": account.pk}
    )
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=member).exists()
    entries = AuditEntry.objects.order_by("pk")
    assert [(e.action, e.actor, e.details) for e in entries] == [
        (
            AuditAction.SSO_LINKED,
            member,
            {"provider": "Example Corp", "via": "account settings"},
        ),
        (AuditAction.SSO_UNLINKED, member, {"provider": "Example Corp"}),
    ]
    # Staff read both on the audit page, by their labels.
    client.force_login(staff)
    page = client.get(reverse("dashboards:audit")).text
    assert "Single sign-on account linked" in page
    assert "Single sign-on account unlinked" in page
    assert "provider: Example Corp" in page
