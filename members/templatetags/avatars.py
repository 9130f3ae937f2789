"""{% avatar person %} or {% avatar person 64 %}: a person's picture."""

from django import template

from members.avatars import avatar_svg

register = template.Library()


@register.simple_tag
def avatar(person, size: int = 32):
    if person is None:
        return ""
    return avatar_svg(person, size=int(size))
