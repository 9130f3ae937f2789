import uuid

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from members.avatars import accept_attribute as avatar_accept_attribute
from members.avatars import avatar_images
from members.models import DigestFrequency, LeadershipRole, NotificationEmails
from members.tags import tags_parse, tags_to_string
from members.timezones import (
    language_choices,
    time_zone_choices,
    valid_language,
    valid_time_zone,
)
from members.widgets import LongSelect, RenderedOptions, TextInput


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        help_text=_("How colleagues will see you."),
    )

    # Filled by static/js/timezone.js from the browser; junk or nothing is
    # simply the default (the member can set both on their profile).
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    language = forms.CharField(required=False, max_length=35, widget=forms.HiddenInput)

    field_order = ["display_name", "email", "password1", "password2"]

    def clean_time_zone(self):
        return valid_time_zone(self.cleaned_data.get("time_zone", ""))

    def clean_language(self):
        return valid_language(self.cleaned_data.get("language", ""))


class TagListField(forms.CharField):
    """Comma-separated tags ("Lean, shift handover") -> a sorted list of
    canonical names (members.tags): every app's tag input uses it, so "Shift
    Handover" on a profile and "shift_handover" on a question are one tag.
    Too many or too long tags are a form error; the typed text is kept."""

    def prepare_value(self, value):
        # Initial: Tag objects or names; after a failed POST: the typed string.
        if isinstance(value, list | tuple):
            return tags_to_string(value)
        return value

    def to_python(self, value):
        return tags_parse(super().to_python(value))


class TopicsForm(forms.Form):
    """Expertise and learning interests: on the profile, and alone as the
    first visit's question (communities.onboarding)."""

    expertise = TagListField(
        label=_("Expertise"),
        required=False,
        help_text=_(
            "What you know well enough to help others with, separated by commas "
            "(e.g. lean, shift handover, negotiation)."
        ),
    )
    interests = TagListField(
        label=_("Learning interests"),
        required=False,
        help_text=_("What you want to learn, separated by commas."),
    )


class ProfileForm(TopicsForm):
    """What a member may change about themselves (not their leadership role)."""

    field_order = [
        "display_name",
        "photo",
        "job_title",
        "business_unit",
        "location",
        "bio",
        "expertise",
        "interests",
    ]

    display_name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("How colleagues will see you.")
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": avatar_accept_attribute()}),
        help_text=_(
            "Optional: a JPEG, PNG or WebP picture of you, cropped to a square. "
            "Its location and camera data are removed. Without one, colleagues "
            "see your initials."
        ),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    business_unit = forms.CharField(
        label=_("Business unit"), max_length=120, required=False
    )
    location = forms.CharField(label=_("Location"), max_length=120, required=False)
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you work on and what you care about. Markdown works: "
            "*emphasis*, **bold**, [links](https://example.com), lists."
        ),
    )
    digest_frequency = forms.ChoiceField(
        label=_("Digest e-mails"),
        choices=DigestFrequency.choices,
        help_text=_("A summary of what your communities came to know."),
    )
    notification_emails = forms.ChoiceField(
        label=_("Notification e-mails"),
        choices=NotificationEmails.choices,
        help_text=_("When someone answers you, mentions you or asks for you."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Every time on Practica and in its e-mails is shown in it."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_(
            "Pages and e-mails use it when Practica is translated into it; "
            "otherwise your browser's language, or English."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = settings.TIME_ZONE
        self.fields["time_zone"].choices = [
            ("", _("The organisation's time (%(zone)s)") % {"zone": default}),
            *time_zone_choices(),
        ]
        translated = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            ("", _("Not set")),
            (
                _("Practica is translated into"),
                list(settings.LANGUAGES),
            ),
            (
                _("Other languages (kept for later)"),
                [(c, n) for c, n in language_choices() if c not in translated],
            ),
        ]

    def clean_photo(self) -> dict[int, bytes] | None:
        """The photo's stored sizes (decoded and checked here, so a bad file
        is an error on this field and everything typed stays)."""
        upload = self.cleaned_data.get("photo")
        return avatar_images(upload) if upload else None

    @classmethod
    def initial_for(cls, member) -> dict:
        return {
            "display_name": member.display_name,
            "job_title": member.job_title,
            "business_unit": member.business_unit,
            "location": member.location,
            "bio": member.bio,
            "expertise": list(member.expertise.all()),
            "interests": list(member.interests.all()),
            "digest_frequency": member.digest_frequency,
            "notification_emails": member.notification_emails,
            "time_zone": member.time_zone,
            "language": member.language,
        }


class WelcomeTagsForm(TopicsForm):
    """The first visit's one question, in a newcomer's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].label = _("What you know well")
        self.fields["interests"].label = _("What you want to learn")


class LeadershipRoleForm(forms.Form):
    leadership_role = forms.ChoiceField(
        label=_("Leadership role"),
        choices=LeadershipRole.choices,
        widget=forms.RadioSelect,
    )


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters (GET). Unknown values are form
    errors, shown next to the filter, and the filter is ignored."""

    # Written in Python (members.widgets.TextInput): the same <input>.
    q = forms.CharField(
        label=_("Name"), max_length=120, required=False, widget=TextInput
    )
    role = forms.ChoiceField(
        label=_("Leadership role"),
        required=False,
        choices=[("", _("Any role")), *LeadershipRole.choices],
        widget=LongSelect,
    )
    tag = forms.SlugField(label=_("Expertise"), max_length=100, required=False)
    interest = forms.SlugField(
        label=_("Learning interest"), max_length=100, required=False
    )

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Sixty options through Django's per-option widget templates took
        # most of the page's rendering (LongSelect: the same <select>), and
        # usually come with their options rendered
        # (selectors.expertise_filter_options).
        if not isinstance(tags, RenderedOptions):
            tags = RenderedOptions((t.slug, t.name) for t in tags)
        self.fields["tag"].widget = LongSelect(
            choices=tags.first("", _("Any expertise"))
        )

    def filters(self) -> dict:
        """The valid filters as keyword arguments for member_directory(); an
        invalid one is left out (its error is shown on the form)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "role": data.get("role") or "",
            "expertise": data.get("tag") or "",
            "interest": data.get("interest") or "",
        }


class SubmissionTokenField(forms.CharField):
    """A hidden one-time token, new each time a blank form is shown and kept
    when the form comes back with errors: the service that creates a row from
    the form creates it once however often the same form is sent (a double
    click, a retried request). Junk becomes None: no token, no protection,
    never an error the person could not fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None
