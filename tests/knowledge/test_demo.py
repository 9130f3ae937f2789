"""The demo seed fills existing communities, keeps counters right and is
idempotent."""

import io
from datetime import timedelta

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

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


@pytest.fixture
def demo_organisation():
    """The demo people and communities (members.demo, communities.demo), then
    knowledge's demo on top of them."""
    from communities import demo as communities_demo
    from members import demo as members_demo

    members_demo.seed(io.StringIO())
    communities_demo.seed(io.StringIO())
    demo.seed(io.StringIO())


def test_demo_titles_are_unique_within_each_community(demo_organisation):
    repeated = (
        Item.objects.values("community_id", "title")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not repeated.exists()
    assert not Item.objects.filter(title__regex=r"\([A-Z][a-z]+\)$").exists()


def test_demo_items_are_about_their_community_practice(demo_organisation):
    """Each community's items come from its own practice: the handover
    community's are about handovers, the people leaders' about people."""
    handover = Item.objects.filter(community__slug="shift-handover-practice")
    people = Item.objects.filter(community__slug="people-leaders-circle")
    assert handover.count() >= 30
    assert not handover.filter(title__in=people.values("title")).exists()
    assert handover.filter(title__icontains="handover").count() >= handover.count() / 2


def test_no_demo_item_or_reply_predates_its_author_joining(demo_organisation):
    from communities.models import Membership

    joined = Membership.objects.filter(
        user_id=OuterRef("author_id"), community_id=OuterRef("community_id")
    ).values("joined_at")[:1]
    early = Item.objects.annotate(joined=Subquery(joined)).filter(
        Q(joined__isnull=True) | Q(created_at__lt=F("joined"))
    )
    assert not early.exists()
    reply_joined = Membership.objects.filter(
        user_id=OuterRef("author_id"), community_id=OuterRef("item__community_id")
    ).values("joined_at")[:1]
    assert not (
        Reply.objects.annotate(joined=Subquery(reply_joined))
        .filter(created_at__lt=F("joined"))
        .exists()
    )


def test_demo_leaves_peripheral_members_and_someone_left_out(demo_organisation):
    """Some long-standing members have not contributed in 90 days; a
    newcomer's first question went unanswered; a question has no reply."""
    from communities.models import Membership

    since = timezone.now() - timedelta(days=90)
    recent = Item.objects.filter(
        author_id=OuterRef("user_id"),
        community_id=OuterRef("community_id"),
        created_at__gte=since,
    )
    recent_replies = Reply.objects.filter(
        author_id=OuterRef("user_id"),
        item__community_id=OuterRef("community_id"),
        created_at__gte=since,
    )
    quiet = Membership.objects.filter(status="active").exclude(
        Exists(recent) | Exists(recent_replies)
    )
    assert quiet.count() >= 3

    newcomer_first = Item.objects.filter(
        author__memberships__community_id=F("community_id"),
        author__memberships__joined_at__gte=since,
        created_at__lte=timezone.now() - timedelta(days=7),
        reply_count=0,
    )
    assert newcomer_first.exists()
    assert Item.objects.filter(kind="question", reply_count=0).exists()
    # Newcomers listed as "not yet taken part" (not introduced) posted nothing.
    silent = Membership.objects.filter(
        status="active", introduced_at__isnull=True, joined_at__gte=since
    )
    assert silent.exists()
    assert not Item.objects.filter(
        Exists(
            silent.filter(
                user_id=OuterRef("author_id"), community_id=OuterRef("community_id")
            )
        )
    ).exists()


def test_demo_notifies_demo_people_once(demo_organisation):
    from members.models import User
    from notifications.models import Notification

    maria = User.objects.get(email="maria.lopez@practica.local")
    unread = Notification.objects.filter(recipient=maria, read_at__isnull=True)
    assert unread.exists()
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"knowledge.reply", "knowledge.helpful", "knowledge.answer_accepted"} <= (
        kinds
    )
    counts = (
        Item.objects.count(),
        Reply.objects.count(),
        HelpfulMark.objects.count(),
        Notification.objects.count(),
    )
    demo.seed(io.StringIO())
    assert counts == (
        Item.objects.count(),
        Reply.objects.count(),
        HelpfulMark.objects.count(),
        Notification.objects.count(),
    )
