"""The rows of a list of items (templates/knowledge/_item_row.html), rendered
once and then read from the cache by what they show.

A row shows nothing about who is looking but their language and time zone,
and nothing that is not on the item, its community, its author, the
community it was shared from or its search snippet. So its key is made of
those values themselves (and of the row template's text): an edit, a new
reply or mark, a hide, a renamed community or author gives a new key at
once, and there is nothing to invalidate. A row is only looked up for an
item the page's own permission-checked read returned, so no one is served a
row of an item they may not see. One round trip to the cache per page.
"""

import functools
import hashlib

from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

ROW_TEMPLATE = "knowledge/_item_row.html"
# Rows are small and keyed by content, so an old key is simply never read
# again; this only bounds what an idle cache keeps.
TIMEOUT = 60 * 60


@functools.cache
def _template_digest() -> str:
    """The row template's own text in every key: a deploy that changes the
    row never reads a row rendered by the old template."""
    source = get_template(ROW_TEMPLATE).template.source
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _shown(item, show_community: bool) -> tuple:
    """Every value the row template reads, in a fixed order. A field added
    to the template must be added here too (tests/knowledge/test_item_rows.py
    renders each one)."""
    shared_from = item.shared_from.community.name if item.shared_from_id else None
    return (
        item.pk,
        item.title,
        item.kind,
        item.accepted_reply_id,
        item.community.slug,
        item.community.name if show_community else None,
        item.author.display_name,
        item.created_at.isoformat(),
        item.helpful_count,
        item.reply_count,
        item.shared_from_id,
        shared_from,
        item.hidden_at is not None,
        item.tag_names,
        str(getattr(item, "snippet", "") or ""),
        show_community,
    )


def _key(item, show_community: bool) -> str:
    shown = (
        _template_digest(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _shown(item, show_community),
    )
    return "item-row:" + hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


def item_rows(items, *, show_community: bool = False) -> list[SafeString]:
    """The rendered rows of `items`, in their order."""
    items = list(items)
    keys = [_key(item, show_community) for item in items]
    found = cache.get_many(keys) if keys else {}
    rows, missing = [], {}
    template = get_template(ROW_TEMPLATE)
    for item, key in zip(items, keys, strict=True):
        row = found.get(key)
        if row is None:
            row = template.render({"item": item, "show_community": show_community})
            missing[key] = str(row)
        rows.append(mark_safe(row))  # noqa: S308 - rendered by our template
    if missing:
        cache.set_many(missing, TIMEOUT)
    return rows
