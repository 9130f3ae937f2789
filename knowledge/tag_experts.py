"""A tag page's "who knows most" list (templates/knowledge/_tag_experts.html),
read from the cache by what it shows (members.fragment_cache): each expert's
handle, name and figures, and the tag. The experts themselves are chosen
per viewer (knowledge.selectors.experts_for_tag, keyed by the communities
the viewer may see), so the list only holds what that viewer may see."""

from django.utils.safestring import SafeString

from members.fragment_cache import rendered_fragments

EXPERTS_TEMPLATE = "knowledge/_tag_experts.html"


def _shown(tag: str, experts) -> tuple:
    """Every value the template reads (tests/knowledge/test_tag_experts.py
    changes each one and expects another key)."""
    return (
        tag,
        tuple((e.username, e.display_name, e.helpful, e.accepted) for e in experts),
    )


def tag_experts_html(tag: str, experts: list) -> SafeString:
    """The rendered list of `experts` (from experts_for_tag) of `tag`."""
    [html] = rendered_fragments(
        EXPERTS_TEMPLATE,
        [experts],
        shown=lambda found: _shown(tag, found),
        context=lambda found: {"tag": tag, "experts": found},
    )
    return html
