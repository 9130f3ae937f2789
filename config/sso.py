"""Single sign-on providers from the environment, as django-allauth's
SOCIALACCOUNT_PROVIDERS (settings/base.py calls `providers(env)`).

OpenID Connect: any identity provider by its issuer (discovery) URL, either
one provider from SSO_OIDC_* variables or several as JSON in
SSO_OIDC_PROVIDERS. SAML 2.0: one identity provider from SSO_SAML_*
variables, described by its metadata (URL or file) or by its sign-in URL and
certificate. The README's "Single sign-on and provisioning" section has
examples for Microsoft Entra ID, Okta and Google Workspace.
"""

import json

from django.core.exceptions import ImproperlyConfigured


def _verified_email(value: str):
    """ "true"/"false", or a comma-separated list of domains whose addresses
    the provider vouches for (allauth's `verified_email`)."""
    value = (value or "").strip()
    if value.lower() in ("", "false", "0", "no"):
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    return [domain.strip().lower() for domain in value.split(",") if domain.strip()]


def _oidc_app(entry: dict) -> dict:
    missing = [k for k in ("id", "name", "client_id", "server_url") if not entry.get(k)]
    if missing:
        raise ImproperlyConfigured(
            f"An OpenID Connect provider needs {', '.join(missing)}."
        )
    app_settings = {"server_url": entry["server_url"].rstrip("/")}
    if "verified_email" in entry:
        verified = entry["verified_email"]
        app_settings["verified_email"] = (
            verified if isinstance(verified, bool | list) else _verified_email(verified)
        )
    if entry.get("scope"):
        app_settings["scope"] = entry["scope"]
    if entry.get("token_auth_method"):
        app_settings["token_auth_method"] = entry["token_auth_method"]
    return {
        "provider_id": entry["id"],
        "name": entry["name"],
        "client_id": entry["client_id"],
        "secret": entry.get("secret", ""),
        "settings": app_settings,
    }


def oidc_apps(env) -> list[dict]:
    raw = env("SSO_OIDC_PROVIDERS", default="")
    if raw:
        try:
            entries = json.loads(raw)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"SSO_OIDC_PROVIDERS is not JSON: {error}"
            ) from error
        if isinstance(entries, dict):
            entries = [entries]
        return [_oidc_app(entry) for entry in entries]
    if not env("SSO_OIDC_CLIENT_ID", default=""):
        return []
    return [
        _oidc_app(
            {
                "id": env("SSO_OIDC_ID", default="sso"),
                "name": env("SSO_OIDC_NAME", default="your organisation"),
                "client_id": env("SSO_OIDC_CLIENT_ID"),
                "secret": env("SSO_OIDC_SECRET", default=""),
                "server_url": env("SSO_OIDC_SERVER_URL", default=""),
                "verified_email": env("SSO_OIDC_VERIFIED_EMAIL", default="false"),
            }
        )
    ]


def _saml_idp(env) -> dict:
    idp = {"entity_id": env("SSO_SAML_IDP_ENTITY_ID", default="")}
    metadata_url = env("SSO_SAML_IDP_METADATA_URL", default="")
    metadata_file = env("SSO_SAML_IDP_METADATA_FILE", default="")
    if metadata_url:
        idp["metadata_url"] = metadata_url
    elif metadata_file:
        from onelogin.saml2.idp_metadata_parser import (
            OneLogin_Saml2_IdPMetadataParser as Parser,
        )

        with open(metadata_file, encoding="utf-8") as handle:
            parsed = Parser.parse(handle.read(), entity_id=idp["entity_id"] or None)
        found = parsed.get("idp", {})
        idp["entity_id"] = idp["entity_id"] or found.get("entityId", "")
        idp["sso_url"] = found.get("singleSignOnService", {}).get("url", "")
        idp["slo_url"] = found.get("singleLogoutService", {}).get("url", "")
        idp["x509cert"] = found.get("x509cert", "")
    else:
        idp["sso_url"] = env("SSO_SAML_IDP_SSO_URL", default="")
        cert_file = env("SSO_SAML_IDP_X509CERT_FILE", default="")
        if cert_file:
            with open(cert_file, encoding="utf-8") as handle:
                idp["x509cert"] = handle.read()
        else:
            idp["x509cert"] = env("SSO_SAML_IDP_X509CERT", default="")
    if not idp["entity_id"]:
        raise ImproperlyConfigured("SAML single sign-on needs SSO_SAML_IDP_ENTITY_ID.")
    if "metadata_url" not in idp and not (idp.get("sso_url") and idp.get("x509cert")):
        raise ImproperlyConfigured(
            "SAML single sign-on needs SSO_SAML_IDP_METADATA_URL, "
            "SSO_SAML_IDP_METADATA_FILE, or SSO_SAML_IDP_SSO_URL with the "
            "IdP's certificate (SSO_SAML_IDP_X509CERT or _FILE)."
        )
    return idp


def saml_apps(env) -> list[dict]:
    if not env.bool("SSO_SAML", default=False):
        return []
    app_settings = {
        "idp": _saml_idp(env),
        "verified_email": _verified_email(
            env("SSO_SAML_VERIFIED_EMAIL", default="true")
        ),
        # An e-mail address as NameID (the usual setup) is the e-mail too.
        "use_nameid_for_email": env.bool("SSO_SAML_NAMEID_IS_EMAIL", default=True),
        "advanced": {
            "want_assertion_signed": True,
            "want_message_signed": env.bool("SSO_SAML_WANT_MESSAGE_SIGNED", False),
        },
    }
    sp_entity_id = env("SSO_SAML_SP_ENTITY_ID", default="")
    if sp_entity_id:
        app_settings["sp"] = {"entity_id": sp_entity_id}
    return [
        {
            # allauth's SAML URLs carry the client id: /accounts/saml/<it>/...
            "client_id": env("SSO_SAML_ID", default="sso"),
            "provider_id": app_settings["idp"]["entity_id"],
            "name": env("SSO_SAML_NAME", default="your organisation"),
            "settings": app_settings,
        }
    ]


def providers(env) -> dict:
    """SOCIALACCOUNT_PROVIDERS: what is configured, nothing otherwise."""
    found = {}
    if oidc := oidc_apps(env):
        found["openid_connect"] = {"APPS": oidc, "OAUTH_PKCE_ENABLED": True}
    if saml := saml_apps(env):
        found["saml"] = {"APPS": saml}
    return found
