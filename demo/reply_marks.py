"""Demo marks on replies: colleagues mark some replies helpful (so who knows
most and mentor suggestions count them), a steward of each of a few
communities recommends an answer, and a steward accepts an answer for an
asker who has not (the asker is told). Written through knowledge's services,
so counters and notifications are what real use makes, then dated after the
reply. Deterministic (random.Random(12)) and idempotent: each part runs only
while none of what it writes exists."""

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from communities.models import Membership
from demo.backdating import notifications_at
from knowledge.models import Item, ItemKind, Reply, ReplyHelpfulMark
from knowledge.reply_marks import do_answer_recommend, do_reply_helpful_set
from knowledge.services import answer_accept
from notifications.models import Notification

# Share of replies someone marks helpful, and at most how many marks each.
MARKED_SHARE = 0.45
MOST_MARKS = 4
RECOMMENDING = 3


def seed(stdout):
    rng = random.Random(12)  # noqa: S311 - demo data, not security
    now = timezone.now()
    readers = _active_members()
    marks = _marks(rng, readers, now)
    recommended = _recommendations(readers, now)
    accepted = _accepted_for_the_asker(readers, now)
    stdout.write(
        f"Reply marks: {marks} helpful marks on replies, {recommended} "
        f"recommended answers, {accepted} answer accepted by a steward seeded."
    )


def _active_members() -> dict:
    """{community id: [(user, is steward)]}, oldest membership first."""
    found = {}
    rows = (
        Membership.objects.filter(status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("pk")
    )
    for membership in rows:
        found.setdefault(membership.community_id, []).append(
            (membership.user, membership.is_steward)
        )
    return found


def _visible_replies():
    return (
        Reply.objects.filter(
            hidden_at__isnull=True,
            item__hidden_at__isnull=True,
            item__community__archived_at__isnull=True,
        )
        .select_related("item__community", "item__author", "author")
        .order_by("pk")
    )


def _marks(rng, readers, now) -> int:
    if ReplyHelpfulMark.objects.exists():
        return 0
    total = 0
    for reply in _visible_replies():
        if rng.random() > MARKED_SHARE:
            continue
        voters = [
            user
            for user, _steward in readers.get(reply.item.community_id, [])
            if user.pk != reply.author_id
        ]
        for user in rng.sample(voters, k=min(len(voters), rng.randint(1, MOST_MARKS))):
            at = min(reply.created_at + timedelta(hours=rng.randint(2, 96)), now)
            with notifications_at(at):
                do_reply_helpful_set(reply=reply, acting_user=user, helpful=True)
            # Backdating: marked at `at`.
            ReplyHelpfulMark.objects.filter(reply=reply, user=user).update(
                created_at=at
            )
            total += 1
    return total


def _recommendations(readers, now) -> int:
    """In a few communities, a steward recommends the most helpful answer
    that is not the accepted one, on a question with several answers."""
    if Reply.objects.filter(recommended_at__isnull=False).exists():
        return 0
    total = 0
    for community_id, people in readers.items():
        if total >= RECOMMENDING:
            break
        steward = next((user for user, is_steward in people if is_steward), None)
        if steward is None:
            continue
        answer = (
            _visible_replies()
            .filter(item__community_id=community_id, item__kind=ItemKind.QUESTION)
            .exclude(author=steward)
            .exclude(item__accepted_reply_id=F("pk"))
            .filter(item__reply_count__gte=2)
            .order_by("-helpful_count", "-created_at", "pk")
            .first()
        )
        if answer is None:
            continue
        at = min(answer.created_at + timedelta(days=1), now)
        with notifications_at(at):
            do_answer_recommend(reply=answer, acting_user=steward, recommended=True)
        Reply.objects.filter(pk=answer.pk).update(recommended_at=at)
        total += 1
    return total


def _accepted_for_the_asker(readers, now) -> int:
    """One asker who never accepted an answer has a steward accept the best
    one for them, and is told."""
    if Notification.objects.filter(kind="knowledge.answer_accepted_for_you").exists():
        return 0
    questions = Item.objects.filter(
        kind=ItemKind.QUESTION,
        hidden_at__isnull=True,
        accepted_reply__isnull=True,
        reply_count__gte=1,
        community__archived_at__isnull=True,
    ).order_by("-created_at", "pk")
    for question in questions.select_related("community", "author"):
        steward = next(
            (
                user
                for user, is_steward in readers.get(question.community_id, [])
                if is_steward and user.pk != question.author_id
            ),
            None,
        )
        answer = (
            _visible_replies()
            .filter(item=question)
            .exclude(author_id__in=[question.author_id])
            .order_by("-helpful_count", "pk")
            .first()
        )
        if steward is None or answer is None:
            continue
        at = min(answer.created_at + timedelta(days=2), now)
        with notifications_at(at):
            answer_accept(item=question, reply=answer, acting_user=steward)
        return 1
    return 0
