"""{% avatar person %} or {% avatar person 64 %}: a person's picture (their
photo, else their initials; no query: the photo's version is on the row)."""

from django import template

from members.avatars import avatar_html

register = template.Library()


@register.simple_tag
def avatar(person, size: int = 32):
    if person is None:
        return ""
    return avatar_html(person, size=int(size))
