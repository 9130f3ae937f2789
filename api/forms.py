from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from api.models import PersonalAccessToken, Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=PersonalAccessToken._meta.get_field("name").max_length,
        help_text=_("What it is for, e.g. “Team wiki sync”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        initial=90,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].help_text = _("At most %(n)d.") % {
            "n": settings.API_TOKEN_MAX_DAYS
        }

    def clean_days(self):
        days = self.cleaned_data["days"]
        if days > settings.API_TOKEN_MAX_DAYS:
            raise forms.ValidationError(
                _("At most %(n)d days.") % {"n": settings.API_TOKEN_MAX_DAYS}
            )
        return days

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
