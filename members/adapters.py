from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def populate_username(self, request, user):
        """Derive the URL handle from the display name, unique."""
        from allauth.account.utils import user_field

        base = user.display_name or user.email.split("@")[0]
        user_field(user, "username", self.generate_unique_username([base, user.email]))

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "")
        return super().save_user(request, user, form, commit=commit)
