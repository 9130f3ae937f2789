"""manage.py seed_demo: the whole demo organisation, through the services,
idempotent. One seed per module (the `demo_world` fixture)."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from taggit.models import TaggedItem

from communities.models import Community, Membership
from demo.people import PASSWORD, PEOPLE
from digests.models import Digest
from knowledge.models import (
    Adoption,
    Follow,
    HelpfulMark,
    Item,
    ItemTag,
    Mention,
    Reply,
    ReplyHelpfulMark,
    WatchFanout,
)
from members.markup import markdown_to_html
from members.models import ExpertiseTag, InterestTag, LeadershipRole, User
from mentoring.models import CheckIn, Feedback, MentoringRequest, MentorOffer, Pair
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "expertise": ExpertiseTag.objects.count(),
        "interests": InterestTag.objects.count(),
        "tagged": TaggedItem.objects.count(),
        "communities": Community.objects.count(),
        "memberships": Membership.objects.count(),
        "items": Item.objects.count(),
        "replies": Reply.objects.count(),
        "marks": HelpfulMark.objects.count(),
        "adoptions": Adoption.objects.count(),
        "notifications": Notification.objects.count(),
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
        "offers": MentorOffer.objects.count(),
        "requests": MentoringRequest.objects.count(),
        "pairs": Pair.objects.count(),
        "checkins": CheckIn.objects.count(),
        "feedback": Feedback.objects.count(),
        "digests": Digest.objects.count(),
        "follows": Follow.objects.count(),
        "fanouts": WatchFanout.objects.count(),
        "mentions": Mention.objects.count(),
        "reply_marks": ReplyHelpfulMark.objects.count(),
        "recommended": Reply.objects.filter(recommended_at__isnull=False).count(),
    }


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_demo_organisation_and_prints_the_login(demo_world):
    assert "admin@practica.local" in demo_world
    assert PASSWORD in demo_world
    assert User.objects.count() == len(PEOPLE) == 16
    admin = User.objects.get(email="admin@practica.local")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(PASSWORD)
    roles = set(User.objects.values_list("leadership_role", flat=True))
    assert {
        LeadershipRole.LINE_LEADER,
        LeadershipRole.EXECUTIVE,
        LeadershipRole.NETWORKER,
        LeadershipRole.NONE,
    } <= roles
    maria = User.objects.get(email="maria.lopez@practica.local")
    assert "lean" in maria.expertise.names()
    assert EmailAddress.objects.get(user=maria).verified
    assert "<strong>shift handover</strong>" in maria.bio_html
    # The admin gave each leader their role, through the service that tells them.
    told = Notification.objects.filter(kind="members.role_changed", recipient=maria)
    assert told.get().actor == admin
    assert maria.date_joined < timezone.now() - timedelta(days=400)


def test_the_demo_has_its_shape(demo_world):
    assert Community.objects.count() == 8
    assert Community.objects.filter(visibility="private").count() == 2
    assert 300 <= Item.objects.count() <= 330
    assert MentorOffer.objects.count() == 7
    assert MentoringRequest.objects.filter(status="open").count() == 3
    assert Pair.objects.filter(status="active").count() == 2
    assert Pair.objects.filter(status="completed").count() == 1
    assert Digest.objects.filter(period="weekly").count() == 8 * 4


def test_seed_demo_twice_changes_nothing(demo_world):
    first = _counts()
    _seed()
    assert _counts() == first
    assert Community.objects.filter(name="Executive Thinking Partners").exists()


def test_seed_demo_once_skips_when_the_demo_exists(demo_world, monkeypatch):
    """--once loads nothing when the demo admin exists; without it every
    step runs again (and, being idempotent, creates nothing new)."""
    first = _counts()
    calls = []
    monkeypatch.setattr("demo.people.seed", lambda stdout: calls.append("people"))
    output = _seed("--once")
    assert "already loaded" in output
    assert "admin@practica.local" in output
    assert calls == []
    _seed()
    assert calls == ["people"]
    assert _counts() == first


def test_demo_people_can_log_in_by_email(demo_world, client):
    response = client.post(
        "/accounts/login/",
        {"login": "helen.moyo@practica.local", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_counters_follow_the_rows_as_the_services_keep_them(demo_world):
    mismatched = Item.objects.annotate(
        replies_n=Count(
            "replies", filter=Q(replies__hidden_at__isnull=True), distinct=True
        ),
        marks_n=Count("helpful_marks", distinct=True),
    ).exclude(reply_count=F("replies_n"), helpful_count=F("marks_n"))
    assert not mismatched.exists()
    answered = Item.objects.filter(reply_count__gt=0)
    assert answered.exists()
    assert not answered.filter(first_reply_at__isnull=True).exists()
    assert not Item.objects.filter(last_activity_at__lt=F("created_at")).exists()
    for community in Community.objects.annotate(latest=Max("items__last_activity_at")):
        assert community.last_activity_at == community.latest, community


def test_html_tags_and_search_vectors_are_the_services_own(demo_world):
    item = Item.objects.filter(kind="story", body__contains="## Context").first()
    assert item.body_html == markdown_to_html(item.body)
    assert "<h2>" in item.body_html
    assert not Item.objects.filter(search_vector__isnull=True).exists()
    assert not Reply.objects.filter(body_html="").exists()
    # Tags are stored as the items say, and tag pages sort by the item's date.
    assert not Item.objects.filter(tag_names="").exists()
    assert not ItemTag.objects.exclude(
        item_created_at=F("content_object__created_at")
    ).exists()
    found = Item.objects.filter(search_vector=SearchQuery("5S launch week"))
    assert found.filter(title__icontains="5S").exists()


def test_demo_replies_are_varied_and_about_their_item(demo_world):
    bodies = list(Reply.objects.values_list("body", flat=True))
    assert len(bodies) >= 250
    assert len(set(bodies)) >= 0.9 * len(bodies)
    # Each reply names what its item is about.
    handover = Reply.objects.filter(item__community__slug="shift-handover-practice")
    assert handover.filter(body__icontains="handover").count() >= 0.8 * (
        handover.count()
    )


def test_each_demo_person_has_a_few_unread_notifications(demo_world):
    """Everything the services notified is in the inboxes, dated when it
    happened; all but each person's latest few are read."""
    maria = User.objects.get(email="maria.lopez@practica.local")
    unread = Notification.objects.filter(recipient=maria, read_at__isnull=True)
    assert 1 <= unread.count() <= 5
    assert Notification.objects.filter(recipient=maria).count() > 5
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {
        "knowledge.reply",
        "knowledge.helpful",
        "knowledge.answer_accepted",
        "knowledge.adopted",
        "communities.request",
        "communities.invited",
        "mentoring.checkin",
        "mentoring.feedback",
    } <= kinds
    week_ago = timezone.now() - timedelta(days=7)
    assert Notification.objects.filter(created_at__lt=week_ago).count() > (
        Notification.objects.count() / 2
    )
    per_person = (
        Notification.objects.filter(read_at__isnull=True)
        .values("recipient")
        .annotate(n=Count("pk"))
    )
    assert max(row["n"] for row in per_person) <= 5


def test_demo_people_follow_communities_tags_and_colleagues(demo_world, client):
    maria = User.objects.get(email="maria.lopez@practica.local")
    kinds = {f.target_kind for f in Follow.objects.filter(user=maria)}
    assert kinds == {"community", "tag", "item", "person"}
    assert Follow.objects.filter(level="muted", community__isnull=False).exists()
    # Nobody follows a private community they are not an active member of.
    assert (
        not Follow.objects.filter(community__visibility="private")
        .exclude(
            community__memberships__user=F("user"),
            community__memberships__status="active",
        )
        .exists()
    )
    # The past is not announced again when the jobs run.
    assert WatchFanout.objects.count() == Item.objects.count() + Reply.objects.count()
    client.force_login(maria)
    html = client.get("/following/").content.decode()
    assert "#shift-handover" in html and "Fatima Zahra" in html


def test_demo_replies_mention_colleagues_and_the_stewards(demo_world):
    assert Mention.objects.filter(reply__isnull=False).count() >= 3
    mentioned = Reply.objects.filter(body__contains="@stewards").first()
    assert mentioned is not None and "/members/" in mentioned.body_html
    assert Notification.objects.filter(kind="knowledge.mention").exists()


def test_demo_replies_are_marked_helpful_recommended_and_accepted_by_a_steward(
    demo_world,
):
    """Reply marks are on other people's replies, counted on the reply, and
    weigh in who knows most; a few answers are recommended by a steward of
    their community; one asker was told a steward accepted an answer."""
    from knowledge.selectors import tag_expertise_scores

    marks = ReplyHelpfulMark.objects.select_related("reply")
    assert marks.count() >= 50
    assert not marks.filter(user=F("reply__author")).exists()
    assert (
        not Reply.objects.annotate(n=Count("helpful_marks"))
        .exclude(helpful_count=F("n"))
        .exists()
    )
    recommended = Reply.objects.filter(recommended_at__isnull=False).select_related(
        "item"
    )
    assert 1 <= recommended.count() <= 3
    for reply in recommended:
        assert reply.item.is_question
        assert Membership.objects.filter(
            user=reply.recommended_by,
            community=reply.item.community_id,
            role=Membership.Role.STEWARD,
        ).exists()
    told = Notification.objects.get(kind="knowledge.answer_accepted_for_you")
    assert " accepted " in told.message and "answer to your question" in told.message
    marked = Reply.objects.filter(helpful_count__gt=0).select_related("item").first()
    tag = marked.item.tag_list[0]
    scores = tag_expertise_scores(tags=[tag], user_ids=[marked.author_id])
    assert scores[(marked.author_id, tag)]["helpful"] >= marked.helpful_count
