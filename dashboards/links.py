"""Addresses of the things a dashboard lists, so a steward can act on them."""

from django.urls import reverse
from django.utils.text import slugify


def item_url(*, community_slug: str, pk: int, title: str) -> str:
    return reverse(
        "knowledge:item",
        kwargs={
            "slug": community_slug,
            "pk": pk,
            "title_slug": slugify(title)[:80] or "item",
        },
    )


def member_url(username: str) -> str:
    return reverse("members:profile", kwargs={"username": username})


def community_url(slug: str) -> str:
    return reverse("communities:detail", kwargs={"slug": slug})


def community_dashboard_url(slug: str) -> str:
    return reverse("dashboards:community", kwargs={"slug": slug})


def pair_url(pk: int) -> str:
    return reverse("mentoring:pair", kwargs={"pk": pk})
