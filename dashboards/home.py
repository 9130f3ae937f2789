"""The networker's home section (members.sections, page "home", registered
from DashboardsConfig.ready()): well-marked items from their communities
that have not spread yet, with the communities whose topics overlap."""

from dashboards import spread_next
from dashboards.permissions import can_view_spread_next

SHOWN = 5


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated or user.is_staff or not can_view_spread_next(user):
        return None
    items = spread_next.ready_to_spread(user, home_only=True, limit=SHOWN)
    if not items:
        return None
    index = spread_next.topic_index(user)
    return {
        "template": "dashboards/_spread_next_home.html",
        "ready": [(item, spread_next.overlapping(item, index)) for item in items],
        "marks": spread_next.READY_MARKS,
    }
