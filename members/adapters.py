from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.text import slugify


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

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
        return super().save_user(request, user, form, commit=commit)
