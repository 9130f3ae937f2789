"""Form widgets rendered in Python rather than through Django's widget
templates, for the few inputs that are long enough for it to show."""

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A flat <select> whose options are joined in Python. Django renders
    every option through a template include (about 0.1 ms each): the search
    page's list of 300 communities cost 20-70 ms a request that way, 1.8 ms
    with format_html per option, 0.8 ms with one f-string per option (CPU on
    a loaded machine). No option groups; otherwise the same HTML as
    forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        if isinstance(self.choices, RenderedOptions):
            options = self.choices.selected(chosen)
        else:
            options = _options(self.choices, chosen)
        return format_html(
            "<select{}>\n{}\n</select>",
            flatatt(final_attrs),
            mark_safe(options),  # noqa: S308 - escaped
        )


def _option(key, label, selected: bool = False) -> str:
    return (
        f'<option value="{conditional_escape(key)}"'
        f"{' selected' if selected else ''}"
        f">{conditional_escape(label)}</option>"
    )


def _options(choices, chosen) -> str:
    return "".join(_option(key, label, str(key) in chosen) for key, label in choices)


class RenderedOptions(BaseChoiceIterator):
    """Choices for a LongSelect that carry their <option>s already rendered
    (none selected), so a list of hundreds cached with them (the search
    page's communities) is neither escaped again nor normalised by the field
    on each request. Labels must be plain strings (rendered once, in no
    particular language); `first` puts one more choice before them,
    rendered now (a translated "All ...")."""

    def __init__(self, choices, *, html: str | None = None):
        self.choices = list(choices)
        self.html = _options(self.choices, ()) if html is None else html

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def first(self, key, label) -> "RenderedOptions":
        return RenderedOptions(
            [(key, label), *self.choices], html=_option(key, label) + self.html
        )

    def selected(self, chosen) -> str:
        """The options with those whose value is in `chosen` selected (the
        same HTML as LongSelect renders from plain choices)."""
        html = self.html
        for value in chosen:
            plain = f'<option value="{conditional_escape(value)}">'
            html = html.replace(plain, plain[:-1] + " selected>")
        return html
