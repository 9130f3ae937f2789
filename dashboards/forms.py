from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboards.periods import (
    DEFAULT_DAYS,
    PRESET_DAYS,
    Period,
    custom_period,
    preset_period,
)

# Long enough for a multi-year review, short enough to keep every figure cheap.
MAX_CUSTOM_DAYS = 3 * 366
# Before any Practica data, and far enough from year 1 that the previous
# period (for trends) still has a date.
EARLIEST_START = date(2000, 1, 1)


def period_choices() -> list[tuple[str, str]]:
    """Called per form, so the labels are in the reader's language."""
    return [
        (str(d), gettext("Last %(days)s days") % {"days": d}) for d in PRESET_DAYS
    ] + [("custom", gettext("Custom dates"))]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=period_choices,
        initial=str(DEFAULT_DAYS),
        required=False,
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("period") != "custom":
            # Dates only matter for a custom period; stale ones are ignored.
            for name in ("start", "end"):
                self.errors.pop(name, None)
            return data
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start is None or end is None:
            raise forms.ValidationError(
                _("Choose both a start and an end date for a custom period.")
            )
        today = timezone.localdate()
        if start < EARLIEST_START:
            self.add_error(
                "start",
                _("Choose a start date on or after %(date)s.")
                % {"date": EARLIEST_START.isoformat()},
            )
        elif start > end:
            self.add_error("end", _("The end date must be on or after the start."))
        elif start > today:
            self.add_error("start", _("The start date cannot be in the future."))
        elif (end - start) > timedelta(days=MAX_CUSTOM_DAYS):
            self.add_error(
                "end",
                _("A custom period can be at most three years long."),
            )
        return data

    def to_period(self) -> Period:
        """The chosen period, or the default one when the input is invalid."""
        if not self.is_valid():
            return preset_period(DEFAULT_DAYS)
        choice = self.cleaned_data.get("period") or str(DEFAULT_DAYS)
        if choice == "custom":
            return custom_period(self.cleaned_data["start"], self.cleaned_data["end"])
        return preset_period(int(choice))
