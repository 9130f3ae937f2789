"""The mentoring panel on a member's home page (registered with
members.sections, page "home", from MentoringConfig.ready()).

What it shows of the member's pairs changes far less often than the home
page is viewed, so it is read as plain values and cached per member
(members.versioned_cache) under the versions of everything it is read from:
MATCHING_VERSION (every mentoring service that proposes, accepts, declines,
completes or closes a pair, and every request change, which also moves the
count of open requests a broker sees), CHECKIN_VERSION (a check-in: the
"last check-in" shown) and the members' versions (PROFILE_VERSION: a name or
a leadership role; EXPERTISE_VERSION: also bumped by deactivation and
erasure). Whether the member brokers is decided on every view from their own
row and is part of the key. The values are cached, not the HTML: the
"... ago" times are rendered fresh. Writes that go round the services (the
admin) show within members.versioned_cache.DEFAULT_TIMEOUT.
"""

from datetime import datetime
from typing import NamedTuple

from members.permissions import is_manager
from members.selectors import EXPERTISE_VERSION, PROFILE_VERSION
from members.versioned_cache import cached
from mentoring import selectors
from mentoring.models import MentoringRequest
from mentoring.suggestions import MATCHING_VERSION

SHOWN = 5
PANEL_VERSIONS = (
    MATCHING_VERSION,
    selectors.CHECKIN_VERSION,
    PROFILE_VERSION,
    EXPERTISE_VERSION,
)


class PanelPair(NamedTuple):
    """A pair as the panel shows it to one of its members."""

    url: str
    as_mentor: bool  # the viewer is its mentor
    other_name: str  # the other member's name
    broker_name: str | None  # None when the mentee asked directly
    proposed_at: datetime | None
    last_checkin_at: datetime | None


def panel(request) -> dict | None:
    """My active pairs and proposals waiting for my answer; None when there
    is nothing to show and I do not broker."""
    user = request.user
    if not user.is_authenticated:
        return None
    broker = is_manager(user)
    proposals, pairs, open_count = cached(
        f"mentoring-home:{user.pk}:{int(broker)}",
        PANEL_VERSIONS,
        lambda: _panel_values(user, broker=broker),
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


def _panel_values(user, *, broker: bool) -> tuple:
    def shown(pair, *, with_broker: bool) -> PanelPair:
        as_mentor = pair.mentor_id == user.pk
        has_broker = with_broker and pair.broker_id is not None
        return PanelPair(
            url=pair.get_absolute_url(),
            as_mentor=as_mentor,
            other_name=(pair.mentee if as_mentor else pair.mentor).display_name,
            broker_name=pair.broker.display_name if has_broker else None,
            proposed_at=pair.proposed_at,
            last_checkin_at=pair.last_checkin_at,
        )

    proposals = selectors.pending_proposals_for(user)[:SHOWN]
    # Active pairs are shown without their broker: no join for it.
    pairs = selectors.active_pairs_of(user)[:SHOWN]
    open_count = (
        MentoringRequest.objects.filter(status=MentoringRequest.Status.OPEN).count()
        if broker
        else 0
    )
    return (
        [shown(pair, with_broker=True) for pair in proposals],
        [shown(pair, with_broker=False) for pair in pairs],
        open_count,
    )
