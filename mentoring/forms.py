"""Input shape only; the rules live in mentoring.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.access import active_community_ids
from communities.models import Community
from members.forms import TagListField
from mentoring.models import Format


def _my_communities(user):
    return Community.objects.filter(
        pk__in=active_community_ids(user), archived_at__isnull=True
    ).order_by("name")


class OfferForm(forms.Form):
    available = forms.BooleanField(
        label=_("I am available for new mentees"), required=False
    )
    capacity = forms.IntegerField(
        label=_("At most this many mentees at a time"), min_value=1, max_value=10
    )
    topics = TagListField(
        label=_("Topics I can help with"),
        required=False,
        help_text=_("Comma-separated, e.g. onboarding, lean. Empty: none listed."),
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats I offer"),
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one format.")},
    )


class RequestForm(forms.Form):
    topics = TagListField(
        label=_("What do you want to learn?"),
        help_text=_("Comma-separated topics, e.g. shift-handover, safety."),
        error_messages={"required": _("Name at least one topic.")},
    )
    goals = forms.CharField(
        label=_("Your goals"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would be different after a few months of mentoring?"),
        error_messages={"required": _("Describe what you hope to achieve.")},
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=Format.choices,
        initial=Format.MENTORING,
        widget=forms.RadioSelect,
    )
    community = forms.ModelChoiceField(
        label=_("Community (optional)"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("No particular community"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = _my_communities(user)


class ProposeForm(forms.Form):
    mentor = forms.CharField(label=_("Suggested mentor"), required=False)
    other = forms.CharField(
        label=_("…or someone else (username or e-mail)"),
        required=False,
        max_length=254,
    )
    note = forms.CharField(
        label=_("Note to both of them"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you think they would work well together."),
    )

    def clean(self):
        data = super().clean()
        who = (data.get("other") or "").strip() or (data.get("mentor") or "").strip()
        if not who:
            raise forms.ValidationError(
                _("Choose a suggested mentor or name someone else.")
            )
        data["who"] = who
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=300
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you closing early?"),
        max_length=300,
        error_messages={"required": _("Say briefly why you are closing early.")},
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label=_("New goal"),
        max_length=300,
        error_messages={"required": _("Write the goal first.")},
    )


class CheckInForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    progress = forms.IntegerField(
        label=_("Progress towards the goals (0-100)"), min_value=0, max_value=100
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A check-in cannot be in the future."))
        return value


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"),
        choices=[(n, f"{n}") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Give a rating from 1 to 5.")},
    )
    learned = forms.CharField(
        label=_("What I learned"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write a few words about what you learned.")},
    )
    publish_in = forms.ModelChoiceField(
        label=_("Also publish it as a story in"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("Don't publish"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_in"].queryset = _my_communities(user)


class AssumptionForm(forms.Form):
    assumption = forms.CharField(
        label=_("An assumption I hold"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the assumption first.")},
    )
    tested_by = forms.CharField(
        label=_("What tested it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    changed = forms.CharField(
        label=_("What changed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssumptionUpdateForm(forms.Form):
    tested_by = forms.CharField(
        label=_("What tested it"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    changed = forms.CharField(
        label=_("What changed"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommitmentForm(forms.Form):
    session_on = forms.DateField(
        label=_("Session date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    text = forms.CharField(
        label=_("What I will do differently"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what you will do differently.")},
    )

    def clean_session_on(self):
        value = self.cleaned_data["session_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A session cannot be in the future."))
        return value
