"""`manage.py check`: a configuration that would lock everyone out."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def sign_in_possible(app_configs, **kwargs):
    if settings.LOCAL_PASSWORDS or settings.SOCIALACCOUNT_PROVIDERS:
        return []
    return [
        Warning(
            "LOCAL_PASSWORDS is off and no single sign-on provider is set up: "
            "nobody can sign in.",
            hint="Set SSO_OIDC_* or SSO_SAML_* (README, Single sign-on and "
            "provisioning), or LOCAL_PASSWORDS=true.",
            id="members.W001",
        )
    ]
