"""Who may see and change what in journeys.

- A plan ("My first 90 days") is its newcomer's. The community's stewards
  (and staff) see every plan of their community on "Newcomers".
- The tour is picked by the community's stewards (and staff).
- A step is marked done by its newcomer (check-in, networker, peer coach)
  or by a steward of the community (any step); the tour and the story tick
  themselves when the newcomer reads the last stop or posts the story.
- A member's stages and next step are theirs alone (their own profile and
  home); the aspiration too.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.access import access_community, can_moderate, can_view_content
from journeys.models import StepKind

# The story: the newcomer says so, and the service checks it was posted.
NEWCOMER_MARKS = {StepKind.CHECKIN, StepKind.NETWORKER, StepKind.PEER, StepKind.STORY}


def can_view_newcomers(user, community, membership=None) -> bool:
    return can_moderate(user, community, membership)


def access_newcomers(user, slug: str):
    """The community for its stewards' pages (Newcomers, the tour): 404 for
    those who may not see a private community, 403 for other members."""
    community, membership = access_community(user, slug)
    if not can_view_newcomers(user, community, membership):
        raise PermissionDenied
    return community


def access_own_community(user, slug: str):
    """The community for a member's own plan: 404 when they may not see it."""
    community, membership = access_community(user, slug)
    if not can_view_content(user, community, membership):
        raise Http404
    return community, membership


def can_complete_step(user, step, *, viewing: bool = False, steward=None) -> bool:
    """viewing=True: may this person see the step at all (else 404)?
    `steward`: whether `user` moderates the plan's community, when the
    caller knows already (a page of many steps asks once)."""
    if not user.is_authenticated:
        return False
    plan = step.plan
    if steward is None:
        steward = can_moderate(user, plan.community)
    if viewing:
        return steward or plan.user_id == user.pk
    if steward:
        return True
    return plan.user_id == user.pk and step.kind in NEWCOMER_MARKS
