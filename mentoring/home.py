"""The mentoring panel on a member's home page (registered with
members.sections, page "home", from MentoringConfig.ready())."""

from members.permissions import is_manager
from mentoring import selectors
from mentoring.models import MentoringRequest


def panel(request) -> dict | None:
    """My active pairs and proposals waiting for my answer; None when there
    is nothing to show and I do not broker."""
    user = request.user
    if not user.is_authenticated:
        return None
    proposals = list(selectors.pending_proposals_for(user)[:5])
    pairs = list(selectors.active_pairs_of(user)[:5])
    broker = is_manager(user)
    open_count = (
        MentoringRequest.objects.filter(status=MentoringRequest.Status.OPEN).count()
        if broker
        else 0
    )
    if not proposals and not pairs and not open_count:
        return None
    return {
        "template": "mentoring/_home_panel.html",
        "proposals": proposals,
        "pairs": pairs,
        "is_broker": broker,
        "open_count": open_count,
    }
