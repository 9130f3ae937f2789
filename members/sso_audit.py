"""Single sign-on identities linked to and unlinked from members go into the
audit log. allauth announces both only by signal: linking happens inside its
sign-in flow (an identity provider's verified e-mail matches a member, and
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT links them) or on its
"connections" page, and so does unlinking. The receivers only name what
happened; `sso_link_audit` records it."""

from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.dispatch import receiver

from members.audit import audit_record
from members.models import AuditAction, AuditEntry


def _provider_name(account) -> str:
    try:
        return account.get_provider().name
    except (ImproperlyConfigured, ObjectDoesNotExist):  # no longer configured
        return account.provider


def sso_link_audit(*, account, linked: bool, request=None) -> AuditEntry:
    """Record that `account` (an allauth SocialAccount) was linked to its
    member (`linked`) or unlinked. The member acts: they signed in at the
    identity provider, or changed their connections while signed in."""
    member = account.user
    details = {"provider": _provider_name(account)}
    if linked:
        signed_in = request is not None and request.user.is_authenticated
        details["via"] = "account settings" if signed_in else "verified e-mail"
    return audit_record(
        actor=member,
        action=AuditAction.SSO_LINKED if linked else AuditAction.SSO_UNLINKED,
        target=member,
        details=details,
    )


@receiver(social_account_added, dispatch_uid="members.sso_linked")
def _account_added(sender, request=None, sociallogin=None, **kwargs):
    sso_link_audit(account=sociallogin.account, linked=True, request=request)


@receiver(social_account_removed, dispatch_uid="members.sso_unlinked")
def _account_removed(sender, request=None, socialaccount=None, **kwargs):
    sso_link_audit(account=socialaccount, linked=False, request=request)
