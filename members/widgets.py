"""Form widgets rendered in Python rather than through Django's widget
templates, for the few inputs that are long enough for it to show."""

from django import forms
from django.forms.utils import flatatt
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
        options = mark_safe(  # noqa: S308 - every value is escaped
            "".join(
                f'<option value="{conditional_escape(key)}"'
                f"{' selected' if str(key) in chosen else ''}"
                f">{conditional_escape(label)}</option>"
                for key, label in self.choices
            )
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)
