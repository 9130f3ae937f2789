"""Journeys' sections on pages it does not own (registered with
members.sections from JourneysConfig.ready())."""

from typing import NamedTuple

from django.utils import timezone

from communities.selectors import COMMUNITY_NAMES_VERSION
from journeys import selectors
from journeys.models import PLAN_DAYS
from journeys.next_step import next_step_for
from members.versioned_cache import cached


class HomePlan(NamedTuple):
    """An open plan as the home panel shows it."""

    slug: str  # its community's
    name: str
    done: int
    total: int


def home_panel(request) -> dict | None:
    """My open 90-day plans; nothing when there are none. Cached per member
    and day (which plans are open depends on the day) under their plans'
    version and the communities' names (members.versioned_cache)."""
    user = request.user
    if not user.is_authenticated:
        return None
    today = timezone.localdate()
    plans = cached(
        f"journeys-home:{user.pk}:{today.isoformat()}",
        [selectors.plans_version(user.pk), COMMUNITY_NAMES_VERSION],
        lambda: [
            HomePlan(plan.community.slug, plan.community.name, plan.done, plan.total)
            for plan in selectors.open_plans_of(user=user, today=today)
        ],
    )
    if not plans:
        return None
    return {"template": "journeys/_home_panel.html", "plans": plans}


def community_plan_panel(request, community, membership):
    """A link to "My first 90 days" for a member in their first 90 days.
    No query: the membership is the page's own."""
    if membership is None or not membership.is_active or membership.joined_at is None:
        return None
    if not membership.is_newcomer:
        return None
    return {
        "template": "journeys/_community_panel.html",
        "community": community,
        "plan_days": PLAN_DAYS,
    }


def profile_trajectory_section(request, member):
    """On one's own profile only: who I want to become, my stage in each
    community and my next step. Others see nothing (no query)."""
    if not request.user.is_authenticated or request.user.pk != member.pk:
        return None
    memberships = selectors.stages_of(user=member)
    aspiration = selectors.aspiration_of(user=member)
    return {
        "template": "journeys/_profile_section.html",
        "memberships": memberships,
        "aspiration": aspiration,
        "next_step": next_step_for(
            user=member, memberships=memberships, aspiration=aspiration
        ),
    }
