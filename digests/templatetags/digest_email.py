"""Plain-text e-mail helpers: headings underlined as in a README."""

from django import template

register = template.Library()


@register.filter
def underline(value, char="-"):
    """`value` on one line and `char` under every character of it."""
    text = str(value)
    return f"{text}\n{(char or '-')[0] * len(text)}"
