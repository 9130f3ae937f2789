"""Helpers to place contributions at known moments."""

from datetime import timedelta

from django.utils import timezone

from communities.models import Membership
from knowledge.models import ItemKind
from mentoring.models import Pair
from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.mentoring.factories import MentoringRequestFactory, PairFactory


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def member_of(community, *, joined_days_ago: float = 400, **kwargs) -> Membership:
    return MembershipFactory(
        community=community, joined_at=days_ago(joined_days_ago), **kwargs
    )


def item(community, author, *, days: float = 1, **kwargs):
    return ItemFactory(
        community=community, author=author, created_at=days_ago(days), **kwargs
    )


def question(community, author, *, days: float = 1, **kwargs):
    return item(community, author, days=days, kind=ItemKind.QUESTION, **kwargs)


def reply(to, author, *, days: float = 1, **kwargs):
    return ReplyFactory(item=to, author=author, created_at=days_ago(days), **kwargs)


def mentoring_request(mentee, *, days: float = 10, community=None, **kwargs):
    return MentoringRequestFactory(
        mentee=mentee, community=community, created_at=days_ago(days), **kwargs
    )


def pair_for(request, *, status=Pair.Status.ACTIVE, broker=None, **days):
    """A pair for `request`, its moments given in days ago: proposed,
    started, ended, last_checkin. A pair that ran starts when proposed
    unless told otherwise."""
    at = {f"{name}_at": days_ago(value) for name, value in days.items()}
    at.setdefault("proposed_at", days_ago(1))
    if status in (Pair.Status.ACTIVE, *Pair.ENDED):
        at.setdefault("started_at", at["proposed_at"])
    return PairFactory(
        request=request, mentee=request.mentee, broker=broker, status=status, **at
    )
