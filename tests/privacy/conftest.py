"""Two people with a footprint in the same communities: `member` (whose
data is exported or erased) and `colleague`, whose records must never appear
in the member's export nor be touched by the member's erasure."""

import pytest

from knowledge import services as knowledge
from knowledge.models import Follow, FollowLevel, ItemKind
from mentoring.models import Pair
from notifications.services import notify
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import AdoptionFactory, HelpfulMarkFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import (
    CheckInFactory,
    MentoringRequestFactory,
    MentorOfferFactory,
    PairFactory,
)


@pytest.fixture
def colleague(db):
    return UserFactory(display_name="Colin Colleague")


@pytest.fixture
def footprint(db, member, colleague):
    """What each of the two wrote and did, by kind."""
    open_community = CommunityFactory(name="Shift Leads", slug="shift-leads")
    private = CommunityFactory(name="Key Accounts", slug="key-accounts", private=True)
    for person in (member, colleague):
        MembershipFactory(user=person, community=open_community)
        MembershipFactory(user=person, community=private)
    member.expertise.add("lean")
    made = {}
    for person, name in ((member, "mia"), (colleague, "colin")):
        story = knowledge.item_create(
            author=person,
            community=open_community,
            kind=ItemKind.STORY,
            title=f"{name} story",
            body=f"What {name} learned.",
            tags=["lean"],
        )
        secret = knowledge.item_create(
            author=person,
            community=private,
            kind=ItemKind.QUESTION,
            title=f"{name} private question",
            body="Only for us.",
            tags=[],
        )
        made[name] = {"items": {story.pk, secret.pk}, "story": story}
    for person, name, other in ((member, "mia", "colin"), (colleague, "colin", "mia")):
        reply = knowledge.reply_create(
            author=person, item=made[other]["story"], body=f"{name} replies."
        )
        made[name]["replies"] = {reply.pk}
        mark = HelpfulMarkFactory(item=made[other]["story"], user=person)
        made[name]["marks"] = {mark.pk}
        adoption = AdoptionFactory(item=made[other]["story"], recorded_by=person)
        made[name]["adoptions"] = {adoption.pk}
        Follow.objects.create(
            user=person, community=open_community, level=FollowLevel.WATCHING
        )
        notify(recipient=person, kind="test", message=f"Hello {name}")
    offer = MentorOfferFactory(user=colleague)
    request = MentoringRequestFactory(mentee=member)
    pair = PairFactory(
        request=request, mentor=colleague, mentee=member, status=Pair.Status.ACTIVE
    )
    CheckInFactory(pair=pair, author=member, notes="My private worry.")
    CheckInFactory(pair=pair, author=colleague, notes="Colin's own note.")
    made["pair"], made["offer"], made["request"] = pair, offer, request
    made["communities"] = (open_community, private)
    return made
