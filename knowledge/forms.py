import re

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.models import Adoption, Item, ItemKind, Reply
from members.forms import SubmissionTokenField, TagListField
from members.tags import MAX_TAG_LENGTH

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
    submission_token = SubmissionTokenField()

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give it a title."))
        return title

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


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    community = forms.ChoiceField(label=_("Community"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind"))] + list(ItemKind.choices),
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=MAX_TAG_LENGTH)
    author = forms.CharField(label=_("Author"), required=False, max_length=60)
    open = forms.BooleanField(label=_("Open questions only"), required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("All communities"))] + list(
            communities
        )
