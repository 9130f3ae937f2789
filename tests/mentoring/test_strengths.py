"""TopicStrength rows (mentoring.strengths) equal a from-scratch count of
what each mentor has shown they know, per tag and community."""

import pytest
from django.utils import timezone

from knowledge.models import ItemKind
from mentoring.models import TopicStrength
from mentoring.strengths import strengths_refresh
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

from .factories import MentorOfferFactory

pytestmark = pytest.mark.django_db


def _rows():
    return {
        (s.user_id, s.tag.name, s.community_id): (s.helpful, s.accepted)
        for s in TopicStrength.objects.select_related("tag")
    }


def _accepted_answer(author, community, tags, hidden_reply=False, hidden_item=False):
    question = ItemFactory(kind=ItemKind.QUESTION, community=community, tags=tags)
    reply = ReplyFactory(item=question, author=author)
    if hidden_reply:
        reply.hidden_at = timezone.now()
        reply.save(update_fields=["hidden_at"])
    question.accepted_reply = reply
    if hidden_item:
        question.hidden_at = timezone.now()
    question.save(update_fields=["accepted_reply", "hidden_at"])


def test_strengths_count_helpful_marks_and_accepted_answers_per_tag_and_community():
    mentor = MentorOfferFactory().user
    no_offer = UserFactory()  # not scored by suggestions: not counted
    lean, safety = CommunityFactory(), CommunityFactory(private=True)

    shown = ItemFactory(author=mentor, community=lean, tags=["kaizen", "5s"])
    HelpfulMarkFactory.create_batch(3, item=shown)
    other = ItemFactory(author=mentor, community=lean, tags=["kaizen"])
    HelpfulMarkFactory(item=other)
    ItemFactory(author=mentor, community=lean, tags=["kaizen"])  # no marks
    hidden = ItemFactory(author=mentor, community=lean, tags=["kaizen"])
    HelpfulMarkFactory.create_batch(5, item=hidden)
    hidden.hidden_at = timezone.now()
    hidden.save(update_fields=["hidden_at"])
    HelpfulMarkFactory(item=ItemFactory(author=no_offer, community=lean, tags=["5s"]))

    _accepted_answer(mentor, safety, ["lockout"])
    _accepted_answer(mentor, safety, ["lockout", "kaizen"])
    _accepted_answer(mentor, safety, ["lockout"], hidden_reply=True)
    _accepted_answer(mentor, safety, ["lockout"], hidden_item=True)
    _accepted_answer(no_offer, safety, ["lockout"])

    assert strengths_refresh() == 4
    assert _rows() == {
        (mentor.pk, "kaizen", lean.pk): (4, 0),
        (mentor.pk, "5s", lean.pk): (3, 0),
        (mentor.pk, "lockout", safety.pk): (0, 2),
        (mentor.pk, "kaizen", safety.pk): (0, 1),
    }


def test_a_refresh_replaces_the_rows_and_running_it_twice_changes_nothing():
    mentor = MentorOfferFactory().user
    item = ItemFactory(author=mentor, tags=["kaizen"])
    HelpfulMarkFactory.create_batch(2, item=item)
    strengths_refresh()
    first = _rows()
    strengths_refresh()
    assert _rows() == first

    # Shown after the last refresh: counted from the next one (beat, minutes).
    HelpfulMarkFactory(item=item)
    assert _rows() == first
    strengths_refresh()
    assert _rows() == {(mentor.pk, "kaizen", item.community_id): (3, 0)}

    item.hidden_at = timezone.now()
    item.save(update_fields=["hidden_at"])
    strengths_refresh()
    assert _rows() == {}
