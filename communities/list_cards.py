"""The community list's cards (templates/communities/_list_card.html), read
from the cache by what they show (members.fragment_cache).

A card shows the community (name, address, purpose, private, archived) and
the viewer's standing in it (theirs, a request pending, an invitation, left
or removed); its member count, last activity and topics only to those who
may look inside (`show_details`, which is part of the key, so a private
community's figures never reach a card keyed without them). The buttons
submit the page's own forms, so a card holds no CSRF token. "Active 3 hours
ago" is keyed as the words shown: it moves to a new key when they change.
"""

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils.safestring import SafeString

from communities import permissions, selectors
from members.fragment_cache import rendered_fragments

CARD_TEMPLATE = "communities/_list_card.html"


def _shown(community) -> tuple:
    """Every value the card template reads, in a fixed order (tests/
    communities/test_list_cards.py changes each one and expects another key)."""
    details = community.show_details
    return (
        community.pk,
        community.slug,
        community.name,
        community.purpose,
        community.is_private,
        community.is_archived,
        community.is_mine,
        community.my_status,
        details,
        community.size if details else None,
        community.activity_ago if details else None,
        tuple(community.topics),
    )


def community_cards(communities, *, viewer) -> list[SafeString]:
    """The rendered cards of `communities` (from selectors.community_list,
    with the viewer's standing annotated; topics are read here, for the
    cards that show them), in their order."""
    communities = list(communities)
    for community in communities:
        community.show_details = permissions.can_see_listing_details(viewer, community)
        community.activity_ago = (
            str(naturaltime(community.last_activity_at))
            if community.show_details
            else None
        )
    topics = selectors.topics_by_community(c.pk for c in communities if c.show_details)
    for community in communities:
        community.topics = topics.get(community.pk, [])
    return rendered_fragments(
        CARD_TEMPLATE,
        communities,
        shown=_shown,
        context=lambda community: {"community": community},
    )
