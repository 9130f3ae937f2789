"""The "Your communities" panel on a member's home page (registered with
members.sections, page "home", from CommunitiesConfig.ready())."""

from communities import selectors
from config import compiled_queries
from members.models import User

SHOWN = 6
# What the panel shows of a community and of an invitation
# (communities/_home_panel.html).
COMMUNITY_SHOWN = ("name", "slug", "archived_at", "last_activity_at")
INVITATION_SHOWN = ("community__name", "community__slug", "invited_by__display_name")


def panel(request) -> dict | None:
    """Both lists from queries compiled once per process
    (config.compiled_queries): building them with the ORM cost more CPU than
    running them, on every member's home page."""
    user = request.user
    if not user.is_authenticated:
        return None
    communities = compiled_queries.instances(
        "home-panel-communities",
        lambda user_id: selectors.my_communities(User(pk=user_id))[: SHOWN + 1],
        only=COMMUNITY_SHOWN,
        extra=("size",),
        user_id=user.pk,
    )
    invitations = compiled_queries.instances(
        "home-panel-invitations",
        lambda user_id: selectors.my_invitations(User(pk=user_id))[:SHOWN],
        only=INVITATION_SHOWN,
        user_id=user.pk,
    )
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
