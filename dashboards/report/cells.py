"""How a figure reads in a table cell: percentages, durations, and links to
items, members, communities and places."""

from datetime import timedelta

from django.utils.translation import ngettext

from dashboards.links import community_url, item_url, member_url
from dashboards.tables import Cell


def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return ""
    hours = value.total_seconds() / 3600
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", round(hours)) % {"n": round(hours)}
    days = round(hours / 24)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def item_cell(item) -> Cell:
    return Cell(
        item.title,
        item_url(community_slug=item.community.slug, pk=item.pk, title=item.title),
    )


def member_cell(user) -> Cell:
    return Cell(user.display_name, member_url(user.username))


def community_cell(community) -> Cell:
    return Cell(community.name, community_url(community.slug))


def place_cell(place) -> Cell:
    return Cell(place.name, community_url(place.slug) if place.slug else None)
