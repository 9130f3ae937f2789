"""One tag vocabulary across the apps (members.tags). Expertise typed
"Shift Handover" on a profile, a question tagged "shift_handover" and a
mentoring request for "shift handover" are one tag, so the question is one
she could answer, the digest names her, and mentor suggestions count it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digests.build import digest_content
from knowledge.models import Item, ItemKind
from knowledge.selectors import questions_you_could_answer
from knowledge.services import item_create
from members.tags import MAX_TAG_LENGTH, MAX_TAGS
from mentoring.models import Format, MentoringRequest
from mentoring.services import offer_save
from mentoring.suggestions import mentor_suggestions_for
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory


@pytest.mark.django_db
def test_multi_word_expertise_meets_questions_digests_and_mentoring(client):
    community = CommunityFactory(name="Plant Floor")
    maria = UserFactory(display_name="Maria Lopez", username="maria")
    asker = UserFactory(display_name="Asha Asker")
    mentee = UserFactory(display_name="Noah Newcomer")
    for person in (maria, asker, mentee):
        MembershipFactory(user=person, community=community)

    # Maria types her expertise on her profile, with a space and capitals.
    client.force_login(maria)
    response = client.post(
        reverse("members:edit"),
        {
            "display_name": "Maria Lopez",
            "expertise": "Shift Handover",
            "digest_frequency": "weekly",
            "notification_emails": "digest",
        },
    )
    assert response.status_code == 302
    # An API or a task calls the service with an underscore.
    question = item_create(
        author=asker,
        community=community,
        kind=ItemKind.QUESTION,
        title="What goes in a night-shift handover note?",
        body="Ours is two pages and nobody reads it.",
        tags=["shift_handover"],
    )
    # Maria offers mentoring without listing topics: her expertise counts.
    offer_save(
        acting_user=maria, available=True, capacity=2, topics=[], formats=["mentoring"]
    )
    # The newcomer asks for mentoring on the page, with a space.
    client.force_login(mentee)
    response = client.post(
        reverse("mentoring:request_new"),
        {
            "topics": "shift handover",
            "goals": "Run a handover on my own.",
            "format": Format.MENTORING,
        },
    )
    assert response.status_code == 302

    # Questions you could answer: on Maria's home page.
    assert questions_you_could_answer(user=maria) == [question]
    client.force_login(maria)
    assert question.title in client.get("/").content.decode()

    # The digest's "who could answer" names her, on the matching tag.
    start = timezone.now() - dt.timedelta(days=1)
    content = digest_content(community=community, period="weekly", start=start)
    (entry,) = content["open_questions"]
    assert [(p["name"], p["matching"]) for p in entry["who_could_answer"]] == [
        ("Maria Lopez", ["shift-handover"])
    ]

    # Mentor suggestions score the topic match from her expertise.
    req = MentoringRequest.objects.select_related("mentee").get(mentee=mentee)
    assert list(req.topics.names()) == ["shift-handover"]
    (suggestion,) = mentor_suggestions_for(req, viewer=UserFactory(is_staff=True))
    assert suggestion.mentor == maria
    assert "offers help with shift-handover" in suggestion.reasons


def test_the_tag_limits_fit_an_items_stored_tag_names():
    """MAX_TAGS names of MAX_TAG_LENGTH, space-joined, fit Item.tag_names."""
    longest = MAX_TAGS * MAX_TAG_LENGTH + (MAX_TAGS - 1)
    assert longest <= Item._meta.get_field("tag_names").max_length
