"""The "Your communities" panel on a member's home page (registered with
members.sections, page "home", from CommunitiesConfig.ready())."""

from communities import selectors

SHOWN = 6


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    communities = list(selectors.my_communities(user)[: SHOWN + 1])
    invitations = list(selectors.my_invitations(user)[:SHOWN])
    invitation_count = len(invitations)
    if invitation_count == SHOWN:
        invitation_count = selectors.my_invitations(user).count()
    return {
        "template": "communities/_home_panel.html",
        "communities": communities[:SHOWN],
        "more": len(communities) > SHOWN,
        "invitations": invitations,
        "invitation_count": invitation_count,
    }
