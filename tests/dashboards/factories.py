"""Helpers to place contributions at known moments."""

from datetime import timedelta

from django.utils import timezone

from communities.models import Membership
from knowledge.models import ItemKind
from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import ItemFactory, ReplyFactory


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
