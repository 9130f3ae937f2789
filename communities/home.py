"""The "Your communities" panel on a member's home page (registered with
members.sections, page "home", from CommunitiesConfig.ready())."""

from communities import selectors

SHOWN = 6
# What the panel shows of an invitation (communities/_home_panel.html).
INVITATION_SHOWN = ("community__name", "community__slug", "invited_by__display_name")


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    communities = list(selectors.my_communities(user)[: SHOWN + 1])
    invitations = list(selectors.my_invitations(user).only(*INVITATION_SHOWN)[:SHOWN])
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
