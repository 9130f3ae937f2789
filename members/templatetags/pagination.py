"""{% page_query page "next" %}: the "?…" of a page's neighbour, keeping the
request's other query parameters (see members.pagination)."""

from django import template

from members.pagination import page_query as _page_query

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, direction: str) -> str:
    return _page_query(page, direction, context["request"].GET)
