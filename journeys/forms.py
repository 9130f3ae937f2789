from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import TagListField


class AspirationForm(forms.Form):
    text = forms.CharField(
        label=_("I want to become…"),
        max_length=300,
        required=False,
        help_text=_(
            "Who you want to become at work, in a line (leave empty to clear it)."
        ),
        widget=forms.TextInput(attrs={"placeholder": _("a lean coach for my site")}),
    )
    tags = TagListField(
        label=_("Topics on the way"),
        required=False,
        help_text=_("Comma-separated, e.g. lean, root cause analysis."),
    )
    communities = forms.ModelMultipleChoiceField(
        label=_("Communities on the way"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities


class TourAddForm(forms.Form):
    item = forms.TypedChoiceField(label=_("Add to the tour"), coerce=int, choices=())

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            (item.pk, f"{item.title} ({item.get_kind_display()})")
            for item in candidates
        ]
