"""Participation stages on a constructed fixture with a known answer, their
nightly moves, and the next step suggested from the aspiration."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from journeys.models import MemberStage, Stage, StageMove
from journeys.next_step import next_step_for
from journeys.selectors import aspiration_of, stages_of
from journeys.services.aspirations import aspiration_save
from journeys.services.stages import stage_snapshot_build, stages_as_of
from mentoring.models import Pair
from tests.communities.factories import MembershipFactory
from tests.journeys.conftest import START
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentoringRequestFactory, PairFactory

pytestmark = pytest.mark.django_db

DAY1 = date(2026, 3, 2)


@pytest.fixture
def people(org):
    """reader: only reads; asker: asked; answerer: asked and replied;
    teller: told a story (hidden one does not count); mentor: mentors a
    pair asked in Lean; the steward stewards."""
    names = ["reader", "asker", "answerer", "teller", "mentor"]
    users = {n: UserFactory(display_name=n.title()) for n in names}
    for user in users.values():
        MembershipFactory(user=user, community=org.lean, joined_at=START)
    question = ItemFactory(
        community=org.lean, author=users["asker"], kind="question", created_at=START
    )
    ItemFactory(
        community=org.lean, author=users["answerer"], kind="question", created_at=START
    )
    ReplyFactory(item=question, author=users["answerer"], created_at=START)
    ItemFactory(
        community=org.lean, author=users["teller"], kind="story", created_at=START
    )
    ItemFactory(
        community=org.lean,
        author=users["reader"],
        kind="story",
        created_at=START,
        hidden_at=START,
    )
    request = MentoringRequestFactory(community=org.lean)
    PairFactory(
        request=request,
        mentor=users["mentor"],
        status=Pair.Status.ACTIVE,
        started_at=START,
    )
    return users


def test_stages_from_what_each_member_did(org, people):
    stages = stages_as_of(DAY1)

    lean = org.lean.pk
    assert stages[(people["reader"].pk, lean)] == Stage.READER
    assert stages[(people["asker"].pk, lean)] == Stage.ASKER
    assert stages[(people["answerer"].pk, lean)] == Stage.ANSWERER
    assert stages[(people["teller"].pk, lean)] == Stage.STORYTELLER
    assert stages[(people["mentor"].pk, lean)] == Stage.MENTOR
    assert stages[(org.steward.pk, lean)] == Stage.MENTOR
    # Nobody outside a community has a stage there.
    assert (people["asker"].pk, org.quality.pk) not in stages


def test_stages_as_of_a_day_ignore_what_came_later(org, people):
    ItemFactory(
        community=org.lean,
        author=people["reader"],
        kind="question",
        created_at=START + timedelta(days=3),
    )
    assert stages_as_of(DAY1)[(people["reader"].pk, org.lean.pk)] == Stage.READER
    after = stages_as_of(DAY1 + timedelta(days=3))
    assert after[(people["reader"].pk, org.lean.pk)] == Stage.ASKER


def test_the_nightly_job_logs_each_move_once(org, people):
    first = stage_snapshot_build(day=DAY1)
    # Everyone above reader moved from reader: asker, answerer, teller,
    # mentor, and the steward in its three communities, Nina and Sid stay
    # readers, Mo and Pia too.
    assert first == 7
    assert stage_snapshot_build(day=DAY1) == 0  # again: nothing new

    ItemFactory(
        community=org.lean,
        author=people["asker"],
        kind="story",
        created_at=START + timedelta(days=31),
    )
    assert stage_snapshot_build(day=DAY1 + timedelta(days=31)) == 1
    move = StageMove.objects.latest("pk")
    assert (move.user, move.from_stage, move.to_stage, move.moved_on) == (
        people["asker"],
        Stage.ASKER,
        Stage.STORYTELLER,
        date(2026, 4, 2),
    )
    row = MemberStage.objects.get(user=people["asker"], community=org.lean)
    assert (row.stage, row.since) == (Stage.STORYTELLER, date(2026, 4, 2))


# --- The next step ------------------------------------------------------------


def suggestion(user):
    return next_step_for(
        user=user, memberships=stages_of(user=user), aspiration=aspiration_of(user=user)
    )


def test_a_reader_is_asked_to_ask(org, people):
    stage_snapshot_build(day=DAY1)
    step = suggestion(people["reader"])
    assert step.stage == Stage.READER
    assert "Ask your first question in Lean" in step.text
    assert step.url == "/communities/lean/new/?kind=question"


def test_an_asker_gets_three_open_questions_they_may_see_on_their_topics(
    org, people, clock
):
    asker = people["asker"]
    aspiration_save(
        acting_user=asker,
        text="a lean coach",
        tags=["Lean"],
        communities=[org.lean, org.skunkworks],  # not a member: dropped
    )
    visible = [
        ItemFactory(
            community=org.quality,
            kind="question",
            tags=["lean"],
            created_at=timezone.now() - timedelta(minutes=i),
        )
        for i in range(4)
    ]
    secret = ItemFactory(community=org.skunkworks, kind="question", tags=["lean"])
    own = ItemFactory(community=org.lean, kind="question", author=asker, tags=["lean"])
    stage_snapshot_build(day=DAY1)

    step = suggestion(asker)

    assert step.stage == Stage.ASKER
    assert step.text == "Answer one of these 3 open questions tagged lean."
    assert step.items == visible[:3]
    assert secret not in step.items and own not in step.items
    assert list(aspiration_of(user=asker).communities.all()) == [org.lean]


def test_later_stages_are_asked_to_tell_mentor_and_welcome(org, people):
    stage_snapshot_build(day=DAY1)
    assert "story" in suggestion(people["answerer"]).text
    assert suggestion(people["teller"]).url == "/mentoring/"
    assert suggestion(people["mentor"]).stage == Stage.MENTOR


def test_someone_in_no_community_is_invited_to_join_one(org):
    step = suggestion(org.outsider)
    assert step.url == "/communities/"
