from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.models import Event


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    url = forms.URLField(
        label=_("Payload URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Practica POSTs each event here as JSON, signed."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class WebhookCreateForm(WebhookForm):
    community = forms.ModelChoiceField(
        label=_("Scope"),
        queryset=None,
        required=False,
        empty_label=_("Organisation-wide (open communities only)"),
        help_text=_(
            "A hook bound to a community hears of its content even when it is "
            "private; an organisation-wide one hears of open communities only."
        ),
    )
    field_order = ["name", "url", "community", "events"]

    def __init__(self, *args, communities, organisation_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        field.queryset = communities
        if not organisation_wide:
            field.required = True
            field.empty_label = None


class WebhookEditForm(WebhookForm):
    is_active = forms.BooleanField(label=_("Active"), required=False)
