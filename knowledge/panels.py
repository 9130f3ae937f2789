"""The knowledge section of a community's page (registered with
members.sections, page "community", from KnowledgeConfig.ready())."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communities.access import can_moderate, can_view_content
from knowledge import selectors
from knowledge.item_rows import item_rows
from knowledge.models import ItemKind
from knowledge.permissions import can_post, membership_or_outsider
from members.pagination import Position

TAB_LABELS = {
    "new": _("Newest"),
    "helpful": _("Most helpful"),
    "open": _("Open questions"),
    "hidden": _("Hidden"),
}


def community_feed_panel(request, community, membership):
    """Newest, most helpful, open questions (and hidden, for stewards), with
    keyset pagination read from ?tab=&before=/&after= on whatever page
    includes it."""
    user = request.user
    membership = membership_or_outsider(user, community, membership)
    if not can_view_content(user, community, membership):
        return None
    moderator = can_moderate(user, community, membership)
    tabs = list(selectors.FEED_TABS) + (["hidden"] if moderator else [])
    tab = request.GET.get("tab", "new")
    tab = tab if tab in tabs else "new"
    position = Position.from_query(request.GET)
    size = settings.PAGE_SIZE
    if tab == "hidden":
        page = selectors.hidden_items(community=community, position=position, size=size)
    else:
        page = selectors.community_feed(
            community=community, tab=tab, position=position, size=size
        )
    return {
        "template": "knowledge/_community_feed.html",
        "community": community,
        "page": page,
        "items": page.object_list,
        "rows": item_rows(page.object_list),
        "tab": tab,
        "tabs": [(key, TAB_LABELS[key]) for key in tabs],
        "can_post": can_post(user, community, membership),
        "kinds": ItemKind.choices,
    }


def practice_balance_panel(request, community, membership):
    """The community's three-part balance (research, capacity building,
    practice) with its bar, how its adopted items fared elsewhere (stick
    rate), and, for its stewards, the "fire-fighting only" flag. Both
    figures are cached (knowledge.activities.community_balance,
    knowledge.selectors.adoptions.stick_rate): one query, which of the
    adopting communities the viewer may see, and none when nothing of the
    community was adopted elsewhere."""
    from knowledge.activities import balance_svg, community_balance
    from knowledge.selectors.adoptions import stick_rate

    user = request.user
    membership = membership_or_outsider(user, community, membership)
    if not can_view_content(user, community, membership):
        return None
    balance = community_balance(community)
    return {
        "template": "knowledge/_community_balance.html",
        "community": community,
        "balance": balance,
        "balance_svg": balance_svg(balance, chart_id=f"balance-{community.pk}"),
        "show_flag": can_moderate(user, community, membership)
        and balance.fire_fighting_only,
        "stick": stick_rate(community=community, viewer=user),
    }
