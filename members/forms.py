from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("How colleagues will see you."),
    )

    field_order = ["display_name", "email", "password1", "password2"]
