"""The rows of a list of items (templates/knowledge/_item_row.html) on the
search results and tag pages, a community's feed and the home page's
knowledge panel, read from the cache by what they show
(members.fragment_cache).

A row shows nothing about who is looking but their language and time zone,
and nothing that is not on the item, its community, its author, the
community it was shared from or its search snippet: an edit, a new reply or
mark, a hide, a renamed community or author gives a new key at once.
"""

from django.utils.safestring import SafeString

from members.fragment_cache import rendered_fragments

ROW_TEMPLATE = "knowledge/_item_row.html"


def _shown(item, show_community: bool) -> tuple:
    """Every value the row template reads, in a fixed order. A field added
    to the template must be added here too (tests/knowledge/test_item_rows.py
    changes each one and expects another key)."""
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


def item_rows(items, *, show_community: bool = False) -> list[SafeString]:
    """The rendered rows of `items`, in their order."""
    return rendered_fragments(
        ROW_TEMPLATE,
        items,
        shown=lambda item: _shown(item, show_community),
        context=lambda item: {"item": item, "show_community": show_community},
    )
