"""demo.knowledge in the demo organisation: each community talks about its
own practice, nobody posts before joining, some people are left out."""

import io
from datetime import timedelta

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from demo import knowledge as demo
from knowledge.models import HelpfulMark, Item, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_organisation(demo_world):
    """The whole demo (tests/demo/conftest.py), seeded once for the module."""


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
