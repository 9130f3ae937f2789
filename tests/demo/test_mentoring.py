"""demo.mentoring: runs twice without duplicating, with or without communities."""

import io

import pytest

from communities.models import Community, Membership
from demo import mentoring as demo
from demo import people as members_demo
from knowledge.models import Item
from members.models import User
from mentoring.models import CheckIn, Feedback, MentoringRequest, MentorOffer, Pair

pytestmark = pytest.mark.django_db


def _counts():
    return (
        MentorOffer.objects.count(),
        MentoringRequest.objects.count(),
        Pair.objects.count(),
        CheckIn.objects.count(),
        Feedback.objects.count(),
        Item.objects.count(),
    )


def test_seed_without_communities_is_idempotent():
    members_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    first = _counts()
    demo.seed(io.StringIO())
    assert _counts() == first
    assert MentoringRequest.objects.filter(status="open").count() == 3
    assert Pair.objects.filter(status="active").count() == 2
    assert Pair.objects.filter(status="completed").count() == 1
    assert Feedback.objects.count() == 2
    assert MentorOffer.objects.get(user__email="jon.ito@practica.local").topics.exists()


def test_seed_publishes_the_completed_pairs_story_when_communities_exist():
    members_demo.seed(io.StringIO())
    kwame = User.objects.get(email="kwame.mensah@practica.local")
    product = Community.objects.create(name="Product", slug="product", purpose="x")
    Membership.objects.create(user=kwame, community=product, status="active")
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    story = Feedback.objects.get(author=kwame).published_item
    assert story.community == product and Item.objects.count() == 1


def test_seed_does_nothing_without_demo_people():
    demo.seed(io.StringIO())
    assert _counts() == (0, 0, 0, 0, 0, 0)
