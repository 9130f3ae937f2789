import pytest

from tests.sso import oidc_idp

IDP_PEOPLE = [
    # New to Practica: becomes a member on first sign-in.
    {
        "username": "jane",
        "email": "jane.doe@example.com",
        "first_name": "Jane",
        "last_name": "Doe",
    },
    # Already a member with a password: linked by her verified e-mail.
    {
        "username": "ana",
        "email": "ana.silva@example.com",
        "first_name": "Ana",
        "last_name": "Silva",
    },
    # Deactivated in Practica (SCIM): the IdP still lets her in, Practica not.
    {
        "username": "olga",
        "email": "olga.left@example.com",
        "first_name": "Olga",
        "last_name": "Left",
    },
]


@pytest.fixture(scope="session")
def oidc_server(live_server, tmp_path_factory):
    """The organisation's OpenID Connect provider, a real server on loopback,
    with Practica (the live server) registered as its client."""
    idp = oidc_idp.start(
        tmp_path_factory.mktemp("idp"),
        redirect_uri=f"{live_server.url}/accounts/oidc/example/login/callback/",
        users=IDP_PEOPLE,
    )
    yield idp
    oidc_idp.stop(idp)


@pytest.fixture
def sso_settings(settings, oidc_server):
    """Practica configured for that provider, as SSO_OIDC_* would do."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [oidc_server.app()],
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    return settings
