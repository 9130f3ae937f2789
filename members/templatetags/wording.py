"""{{ label|in_sentence }}: a label inside a sentence (members.wording)."""

from django import template

from members.wording import in_sentence as _in_sentence

register = template.Library()


@register.filter
def in_sentence(label) -> str:
    return _in_sentence(label)
