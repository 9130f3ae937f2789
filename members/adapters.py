from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.jobs import enqueue_on_commit


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Account e-mails (verify, reset, security notices) go through the
        job queue: a slow or hanging SMTP server never holds up the page.
        The message is rendered here, where allauth's context is, and the
        outbox keeps it until it is sent."""
        message = self.render_mail(template_prefix, email, context)
        enqueue_on_commit(
            "members.send_account_email",
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            html=next(
                (body for body, kind in message.alternatives if kind == "text/html"),
                "",
            ),
        )

    def is_open_for_signup(self, request):
        """Signing up with a password; single sign-on asks its own adapter."""
        return settings.LOCAL_PASSWORDS and getattr(
            settings, "ACCOUNT_ALLOW_SIGNUP", True
        )

    def pre_authenticate(self, request, **credentials):
        """With local passwords off, a password sign-in is refused with a
        message saying how to sign in instead (the backends refuse it too)."""
        if not settings.LOCAL_PASSWORDS:
            raise ValidationError(
                _(
                    "Practica does not keep passwords here: sign in with your "
                    "organisation's account."
                )
            )
        return super().pre_authenticate(request, **credentials)

    def populate_username(self, request, user):
        """Derive the URL handle from the display name ("María López" ->
        "maria-lopez"), else from the e-mail; unique, and always a slug so it
        fits /members/<username>/."""
        from allauth.account.utils import user_field

        candidates = [
            slugify(user.display_name or ""),
            slugify(user.email.split("@")[0].replace(".", "-")),
            "member",
        ]
        base = next(candidate for candidate in candidates if candidate)[:50].strip("-")
        user_field(user, "username", self.generate_unique_username([base]))

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "")
        # From the browser (static/js/timezone.js), already validated.
        user.time_zone = form.cleaned_data.get("time_zone", "")
        user.language = form.cleaned_data.get("language", "")
        return super().save_user(request, user, form, commit=commit)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OpenID Connect, SAML). allauth links a sign-in to the
    member with the same verified e-mail (SOCIALACCOUNT_EMAIL_AUTHENTICATION);
    someone new becomes a member with the name the identity provider gives."""

    def is_open_for_signup(self, request, sociallogin):
        return settings.SSO_SIGNUP

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.display_name = (name or "").strip()[:120]
        if user.email:
            user.email = user.email.strip().lower()
        return user
