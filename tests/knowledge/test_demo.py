"""The demo seed fills existing communities, keeps counters right and is
idempotent."""

import io

import pytest
from django.db.models import Count, Q

from knowledge import demo
from knowledge.models import Adoption, HelpfulMark, Item, Reply
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_without_communities_does_nothing():
    out = io.StringIO()
    demo.seed(out)
    assert "nothing seeded" in out.getvalue()
    assert not Item.objects.exists()


def test_demo_seeds_items_with_consistent_counters_and_is_idempotent():
    for n in range(4):
        community = CommunityFactory(private=n == 3)
        for _ in range(5):
            MembershipFactory(community=community)
    demo.seed(io.StringIO())
    total = Item.objects.count()
    assert total >= 300
    assert Reply.objects.exists() and HelpfulMark.objects.exists()
    assert Adoption.objects.exists()
    assert Item.objects.filter(accepted_reply__isnull=False).exists()
    assert Item.objects.filter(community__visibility="private").exists()
    mismatched = Item.objects.annotate(
        replies_n=Count(
            "replies", filter=Q(replies__hidden_at__isnull=True), distinct=True
        ),
        marks_n=Count("helpful_marks", distinct=True),
    ).exclude(reply_count=models_f("replies_n"), helpful_count=models_f("marks_n"))
    assert not mismatched.exists()
    assert all(item.tags.exists() for item in Item.objects.all()[:20])
    demo.seed(io.StringIO())
    assert Item.objects.count() == total


def models_f(name):
    from django.db.models import F

    return F(name)
