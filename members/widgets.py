"""Form widgets rendered in Python rather than through Django's widget
templates, for the few inputs that are long enough for it to show."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A flat <select> whose options are joined in Python. Django renders
    every option through a template include (about 0.1 ms each): the search
    page's list of 300 communities cost 20-70 ms a request that way, about
    1 ms so. No option groups; otherwise the same HTML as forms.Select."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>\n{}\n</select>", flatatt(final_attrs), options)
