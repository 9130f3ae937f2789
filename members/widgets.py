"""Form widgets rendered in Python rather than through Django's widget
templates, for the few inputs that are long enough for it to show."""

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    """django/forms/attrs.html (and widgets/attrs.html) in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value)}"')
        for name, value in (attrs or {}).items()
        if value is not False
    )


class _InputInPython:
    """An <input> widget whose tag is written in Python instead of through
    django/forms/widgets/input.html (and its attrs include): Django's
    context (attributes, the value as the widget formats it) is kept, only
    the template is skipped. Rendering a search page's four filter inputs
    through their templates cost ~0.75 ms of CPU a view; the same HTML."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        value = widget["value"]
        return mark_safe(  # noqa: S308 - every value escaped
            f'<input type="{conditional_escape(widget["type"])}"'
            f' name="{conditional_escape(widget["name"])}"'
            + ("" if value is None else f' value="{conditional_escape(value)}"')
            + f"{_attrs(widget['attrs'])}>"
        )


class TextInput(_InputInPython, forms.TextInput):
    """forms.TextInput, written in Python (_InputInPython)."""


class CheckboxInput(_InputInPython, forms.CheckboxInput):
    """forms.CheckboxInput, written in Python (_InputInPython)."""


class LabelsInPython:
    """A form mixin: `{{ field.label_tag }}` written in Python instead of
    through django/forms/label.html (the same HTML; ~0.13 ms of CPU each
    through the template, five on the search page)."""

    def render(self, template_name=None, context=None, renderer=None):
        if template_name != self.template_name_label or renderer is not None:
            return super().render(template_name, context, renderer)
        label = conditional_escape(context["label"])
        if not context["use_tag"]:
            return mark_safe(label)  # noqa: S308 - escaped
        tag = conditional_escape(context["tag"])
        return mark_safe(  # noqa: S308 - escaped
            f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"
        )


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
