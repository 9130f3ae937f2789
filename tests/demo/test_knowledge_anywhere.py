"""demo.knowledge fills whatever communities exist (not only the demo's),
through knowledge.services, and a second run adds nothing."""

import io

import pytest
from django.db.models import Count, F, Q

from demo import knowledge as demo
from knowledge.models import Adoption, HelpfulMark, Item, Reply
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_without_communities_does_nothing():
    out = io.StringIO()
    demo.seed(out)
    assert "nothing seeded" in out.getvalue()
    assert not Item.objects.exists()


def test_demo_seeds_items_with_consistent_counters_and_is_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "TOTAL_ITEMS", 48)  # 12 a community: quicker
    for n in range(4):
        community = CommunityFactory(private=n == 3)
        for _ in range(5):
            MembershipFactory(community=community)
    demo.seed(io.StringIO())
    total = Item.objects.count()
    assert total == 48
    assert Reply.objects.exists() and HelpfulMark.objects.exists()
    assert Adoption.objects.exists()
    assert Item.objects.filter(accepted_reply__isnull=False).exists()
    assert Item.objects.filter(community__visibility="private").exists()
    mismatched = Item.objects.annotate(
        replies_n=Count(
            "replies", filter=Q(replies__hidden_at__isnull=True), distinct=True
        ),
        marks_n=Count("helpful_marks", distinct=True),
    ).exclude(reply_count=F("replies_n"), helpful_count=F("marks_n"))
    assert not mismatched.exists()
    assert all(item.tags.exists() for item in Item.objects.all()[:20])
    demo.seed(io.StringIO())
    assert Item.objects.count() == total
