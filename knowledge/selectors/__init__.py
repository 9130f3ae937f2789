"""Reads from knowledge. Every list filters through communities.access, so
private content has one gate; querysets come back already joined.

One module per kind of read; import from here (`from knowledge import
selectors`), which names everything public:
- visibility: visible_items(viewer), LIST_RELATED
- feeds: a community's feed and hidden items (keyset pages, see
  members.pagination), its most helpful, and the home page's "questions you
  could answer" and "latest in my communities"
- items: one item's replies, adoptions, shares and targets
- tags: a tag's items, tag_expertise_scores, experts_for_tag
- search: search_items, search_results (search_items cached per visible set
  under SEARCH_RESULTS_VERSION), search_page_items, search_snippet, the
  filter's communities and the communities matching (cached per visible set)
- contributions: contributions_of (the profile section)

Public reads other apps may use:
- tag_expertise_scores(tags=, viewer=, user_ids=): helpful marks received and
  accepted answers per member per tag.
- experts_for_tag(tag=, viewer=): members ranked on one tag.
- most_helpful_items(community=): the "read" step of the newcomer checklist.
- visible_items(viewer): items a member may see (not hidden).
"""

from knowledge.selectors.contributions import PROFILE_ITEMS, contributions_of
from knowledge.selectors.feeds import (
    FEED_TABS,
    MOST_HELPFUL_TOP,
    community_feed,
    community_items_version,
    hidden_items,
    home_items,
    is_among_most_helpful,
    most_helpful_items,
    questions_you_could_answer,
)
from knowledge.selectors.items import (
    ANSWER_ORDERS,
    adoption_targets,
    answer_order,
    has_marked_helpful,
    item_adoptions,
    item_page_facts,
    item_replies,
    item_shares,
    share_targets,
)
from knowledge.selectors.search import (
    SEARCH_CAP,
    SEARCH_RESULTS_VERSION,
    SearchResults,
    search_communities_found,
    search_filter_communities,
    search_items,
    search_page_items,
    search_page_rows,
    search_results,
    search_snippet,
)
from knowledge.selectors.tags import (
    EXPERTS_RECENT_ITEMS,
    experts_for_tag,
    tag_expertise_scores,
    tag_items,
    visible_communities,
    visible_communities_key,
)
from knowledge.selectors.visibility import LIST_RELATED, visible_items
from members.pagination import Cursor

__all__ = [
    "ANSWER_ORDERS",
    "EXPERTS_RECENT_ITEMS",
    "FEED_TABS",
    "LIST_RELATED",
    "MOST_HELPFUL_TOP",
    "PROFILE_ITEMS",
    "SEARCH_CAP",
    "SEARCH_RESULTS_VERSION",
    "Cursor",
    "SearchResults",
    "adoption_targets",
    "answer_order",
    "community_feed",
    "contributions_of",
    "experts_for_tag",
    "has_marked_helpful",
    "community_items_version",
    "hidden_items",
    "home_items",
    "is_among_most_helpful",
    "item_adoptions",
    "item_page_facts",
    "item_replies",
    "item_shares",
    "most_helpful_items",
    "questions_you_could_answer",
    "search_communities_found",
    "search_filter_communities",
    "search_items",
    "search_page_items",
    "search_page_rows",
    "search_results",
    "search_snippet",
    "share_targets",
    "tag_expertise_scores",
    "tag_items",
    "visible_communities",
    "visible_communities_key",
    "visible_items",
]
