from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Visibility
from communities.selectors import SORTS
from members.forms import TagListField
from members.models import LeadershipRole


class MarkInvalidMixin:
    """Flag fields with errors (aria-invalid) so Pico styles them and screen
    readers announce them."""

    def full_clean(self):
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields:
            self.fields[field].widget.attrs["aria-invalid"] = "true"


class CommunityForm(MarkInvalidMixin, forms.Form):
    """Create or edit a community. Names are unique whatever their case;
    a blank address is made from the name."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        error_messages={"required": _("Give the community a name.")},
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=140,
        required=False,
        help_text=_(
            "Letters, numbers and hyphens, used in the community's web address. "
            "Leave blank to make one from the name."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("One line: the practice or domain this community cares about."),
        error_messages={"required": _("Say in one line what the community is for.")},
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown. Who is it for, how do you work together, how to take part."
        ),
    )
    tags = TagListField(
        label=_("Topics"),
        required=False,
        help_text=_("Comma-separated, e.g. lean, safety, shift-handover."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can join"),
        choices=Visibility.choices,
        initial=Visibility.OPEN,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, community: Community | None = None, **kwargs):
        self.community = community
        if community is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": community.name,
                    "slug": community.slug,
                    "purpose": community.purpose,
                    "description": community.description,
                    "tags": list(community.tags.all()),
                    "visibility": community.visibility,
                },
            )
        super().__init__(*args, **kwargs)

    def _others(self):
        qs = Community.objects.all()
        if self.community is not None:
            qs = qs.exclude(pk=self.community.pk)
        return qs

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the community a name."))
        if self._others().filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _(
                    "A community called “%(name)s” already exists. Join it, or pick "
                    "another name."
                )
                % {"name": name}  # fmt: skip
            )
        return name

    def clean_purpose(self):
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if not purpose:
            raise forms.ValidationError(_("Say in one line what the community is for."))
        return purpose

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if slug and self._others().filter(slug=slug).exists():
            raise forms.ValidationError(
                _("The address “%(slug)s” is taken. Choose another.") % {"slug": slug}
            )
        if slug and slug in {"new", "invitations"}:
            raise forms.ValidationError(
                _("“%(slug)s” is reserved. Choose another address.") % {"slug": slug}
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        # A blank address on create is derived from the name (a free one is
        # chosen by the service); on edit, blank keeps the address it had.
        if not cleaned.get("slug") and self.community is not None:
            cleaned["slug"] = self.community.slug
        if (
            not cleaned.get("slug")
            and cleaned.get("name")
            and not slugify(cleaned["name"])
        ):
            self.add_error(
                "slug", _("Choose an address: the name has no letters to make one.")
            )
        return cleaned


class CommunityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tag = forms.SlugField(label=_("Topic"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("activity", _("Recent activity")),
            ("size", _("Size")),
            ("newest", _("Newest")),
        ],
    )

    def values(self) -> dict:
        if not self.is_valid():
            return {"q": "", "tag": "", "sort": "activity"}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "tag": data["tag"],
            "sort": data["sort"] if data["sort"] in SORTS else "activity",
        }


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or job title"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Leadership role"),
        required=False,
        choices=[("", _("Any role")), *LeadershipRole.choices],
    )

    def values(self) -> dict:
        if not self.is_valid():
            return {"q": "", "role": ""}
        return {"q": self.cleaned_data["q"].strip(), "role": self.cleaned_data["role"]}


class InviteForm(MarkInvalidMixin, forms.Form):
    who = forms.CharField(
        label=_("E-mail or username"),
        max_length=254,
        error_messages={"required": _("Say whom to invite.")},
    )

    def clean_who(self):
        who = self.cleaned_data["who"].strip()
        user = (
            get_user_model()
            .objects.filter(Q(email__iexact=who) | Q(username__iexact=who))
            .filter(is_active=True)
            .first()
        )
        if user is None:
            raise forms.ValidationError(
                _(
                    "Nobody called “%(who)s” works here. Check the e-mail address "
                    "or username."
                )
                % {"who": who}  # fmt: skip
            )
        self.invitee = user
        return who
