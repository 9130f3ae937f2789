import re

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.models import (
    Activity,
    Adoption,
    AdoptionCheckIn,
    CheckInAnswer,
    Experiment,
    Item,
    ItemKind,
    Reply,
)
from members.forms import SubmissionTokenField, TagListField
from members.tags import MAX_TAG_LENGTH
from members.widgets import (
    CheckboxInput,
    LabelsInPython,
    LongSelect,
    RenderedOptions,
    TextInput,
)

# The story template inserts headings only; the prompts are shown beside the
# editor, so nothing prompt-like is ever published unedited.
STORY_SECTIONS = [
    (_("Context"), _("Where and when did this happen? Who was involved?")),
    (_("Challenge"), _("What was hard, unclear or at stake?")),
    (_("What we did"), _("The steps you took, and why you chose them.")),
    (_("Outcome"), _("What happened? Numbers help.")),
    (_("Lesson"), _("What would you tell a colleague facing the same thing tomorrow?")),
]


def story_template() -> str:
    return "\n".join(f"## {heading}\n" for heading, _prompt in STORY_SECTIONS)


def without_empty_template_headings(body: str) -> str:
    """The text with the guides' template headings that nobody wrote under
    left out: an unfilled "## Outcome" is not published."""
    from knowledge.guides import all_template_headings

    headings = all_template_headings()
    lines = body.splitlines()
    kept = []
    for index, line in enumerate(lines):
        if line.strip() in headings:
            rest = (text.strip() for text in lines[index + 1 :])
            following = next((text for text in rest if text), None)
            if following is None or re.match(r"#{1,2}\s", following):
                continue
        kept.append(line)
    return "\n".join(kept).strip()


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=ItemKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=Item._meta.get_field("title").max_length
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=Item._meta.get_field("body").max_length,
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…)."),
    )
    tags = TagListField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, e.g. shift handover, safety."),
    )
    activity = forms.ChoiceField(
        label=_("Which of the three activities is it?"),
        required=False,
        choices=[("", _("Decide from its kind"))] + list(Activity.choices),
        help_text=_(
            "Research: the disciplined pursuit of understanding. Capacity "
            "building: growing people's abilities. Practice: the everyday work. "
            "Left alone, it follows the kind."
        ),
    )
    # An experiment's own fields: required when the kind is experiment.
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Experiment._meta.get_field("hypothesis").max_length,
        help_text=_("What we believe, and expect to see if it is true."),
    )
    trial = forms.CharField(
        label=_("What we will try"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=Experiment._meta.get_field("trial").max_length,
    )
    measure = forms.CharField(
        label=_("How we will know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Experiment._meta.get_field("measure").max_length,
    )
    review_on = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sponsor = forms.CharField(
        label=_("Executive sponsor (optional)"),
        required=False,
        max_length=60,
        help_text=_("The username of an executive leader who backs it."),
    )
    submission_token = SubmissionTokenField()

    EXPERIMENT_FIELDS = ("hypothesis", "trial", "measure", "review_on", "sponsor")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give it a title."))
        return title

    def clean_sponsor(self):
        from members.models import LeadershipRole, User

        name = self.cleaned_data["sponsor"].strip().lstrip("@")
        if not name:
            return None
        sponsor = User.objects.filter(username__iexact=name, is_active=True).first()
        if sponsor is None:
            raise forms.ValidationError(
                _("Nobody has the username “%(name)s”.") % {"name": name}
            )
        if sponsor.leadership_role != LeadershipRole.EXECUTIVE:
            raise forms.ValidationError(
                _(
                    "%(name)s does not hold the executive leadership role: a "
                    "sponsor must be an executive leader."
                )
                % {"name": sponsor.display_name}
            )
        return sponsor

    def clean(self):
        """Gather an experiment's fields into `experiment` (None for any
        other kind), so services get one argument."""
        data = super().clean()
        fields = {name: data.pop(name, None) for name in self.EXPERIMENT_FIELDS}
        if data.get("kind") != ItemKind.EXPERIMENT:
            for name in self.EXPERIMENT_FIELDS:
                self._errors.pop(name, None)  # not shown for other kinds
            data["experiment"] = None
            return data
        required = {
            "hypothesis": _("Say what you believe and expect to see."),
            "trial": _("Say what you will try."),
            "measure": _("Say how you will know whether it worked."),
            "review_on": _("Pick the date on which you will review it."),
        }
        for name, message in required.items():
            if not fields[name] and name not in self.errors:
                self.add_error(name, message)
        data["experiment"] = fields
        return data

    def clean_body(self):
        body = without_empty_template_headings(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write something under the headings first."))
        return body


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=Reply._meta.get_field("body").max_length,
        error_messages={"required": _("Write something first.")},
    )
    submission_token = SubmissionTokenField()

    def __init__(self, *args, answer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if answer:
            self.fields["body"].label = _("Your answer")


class _ToCommunityForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=None, empty_label=_("Choose a community")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=Adoption._meta.get_field("note").max_length,
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = targets


class ShareForm(_ToCommunityForm):
    def __init__(self, *args, private_origin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Why share it there?")
        if private_origin:
            self.fields["note"].required = True
            self.fields["note"].help_text = _(
                "This comes from a private community: only its title and your note "
                "travel; its members follow the link to read the rest."
            )


class AdoptForm(_ToCommunityForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("How did you adopt it?")
        self.fields["community"].label = _("Which of your communities adopted it?")


class SearchForm(LabelsInPython, forms.Form):
    """Its labels and inputs are written in Python (members.widgets): the
    same HTML as Django's templates, ~1.4 ms less CPU a search page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    # Every community the viewer may see: hundreds of options.
    community = forms.ChoiceField(
        label=_("Community"), required=False, widget=LongSelect
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind"))] + list(ItemKind.choices),
        widget=LongSelect,
    )
    tag = forms.CharField(
        label=_("Tag"), required=False, max_length=MAX_TAG_LENGTH, widget=TextInput
    )
    author = forms.CharField(
        label=_("Author"), required=False, max_length=60, widget=TextInput
    )
    open = forms.BooleanField(
        label=_("Open questions only"), required=False, widget=CheckboxInput
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Hundreds of (slug, name), usually with their options rendered
        # (selectors.search_filter_communities caches them so).
        if not isinstance(communities, RenderedOptions):
            communities = RenderedOptions(communities)
        self.fields["community"].choices = communities.first("", _("All communities"))


class CheckInAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Did it last?"),
        choices=CheckInAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose kept, adapted or dropped.")},
    )
    note = forms.CharField(
        label=_("How did you adapt it, or why did you drop it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=AdoptionCheckIn._meta.get_field("note").max_length,
    )
    publish_variant = forms.BooleanField(
        label=_("Publish our adapted version as a linked variant"),
        required=False,
    )
    variant_title = forms.CharField(
        label=_("Title of the variant"),
        required=False,
        max_length=Item._meta.get_field("title").max_length,
    )

    def clean(self):
        data = super().clean()
        answer, note = data.get("answer"), (data.get("note") or "").strip()
        if answer == CheckInAnswer.ADAPTED and not note:
            self.add_error("note", _("Say how you adapted it."))
        if answer == CheckInAnswer.DROPPED and not note:
            self.add_error("note", _("Say why you dropped it: others learn from it."))
        if data.get("publish_variant") and answer != CheckInAnswer.ADAPTED:
            self.add_error(
                "publish_variant", _("Only an adapted practice has a variant.")
            )
        data["note"] = note
        return data


class ExperimentCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Experiment.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an outcome.")},
    )
    result = forms.CharField(
        label=_("What happened, and what we learned"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Experiment._meta.get_field("result").max_length,
        error_messages={"required": _("Say what happened: it becomes the lesson.")},
    )
