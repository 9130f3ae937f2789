"""Addresses of the things a dashboard lists, so a steward can act on them.

Pages of other apps may not be installed yet (apps ship one by one); a
missing page leaves the row unlinked rather than breaking the dashboard."""

from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify


def _reverse(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def item_url(*, community_slug: str, pk: int, title: str) -> str | None:
    return _reverse(
        "knowledge:item",
        slug=community_slug,
        pk=pk,
        title_slug=slugify(title)[:80] or "item",
    )


def member_url(username: str) -> str | None:
    return _reverse("members:profile", username=username)


def community_url(slug: str) -> str | None:
    return _reverse("communities:detail", slug=slug)


def community_dashboard_url(slug: str) -> str | None:
    return _reverse("dashboards:community", slug=slug)
