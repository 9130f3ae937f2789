from datetime import timedelta

import pytest

from dashboards.exclusion import (
    askers_never_answered,
    newcomers_unanswered,
    unanswered_questions,
    unanswered_summary,
)
from dashboards.scope import Scope
from tests.communities.factories import CommunityFactory
from tests.dashboards.factories import days_ago, item, member_of, question, reply
from tests.members.factories import UserFactory


@pytest.fixture
def helper(db):
    return UserFactory(display_name="Helpful Hana")


def test_newcomers_whose_first_post_waited_a_week_are_listed(community, helper, period):
    def newcomer(name):
        return member_of(
            community, joined_days_ago=30, user=UserFactory(display_name=name)
        ).user

    a = newcomer("A no reply")
    item(community, a, days=20)
    b = newcomer("B late reply")
    late = item(community, b, days=19)
    reply(late, helper, days=9)
    c = newcomer("C quick reply")
    quick = item(community, c, days=20)
    reply(quick, helper, days=18)
    d = newcomer("D only answered themselves")
    own = item(community, d, days=18)
    reply(own, d, days=17)
    e = newcomer("E posted 3 days ago")
    item(community, e, days=3)
    f = newcomer("F first answered, second not")
    answered = item(community, f, days=20)
    reply(answered, helper, days=19.5)
    item(community, f, days=15)
    h = newcomer("H first post hidden")
    item(community, h, days=25, hidden_at=days_ago(24))
    item(community, h, days=17)
    i = newcomer("I reply hidden")
    hidden_reply = item(community, i, days=16)
    reply(hidden_reply, helper, days=15, hidden_at=days_ago(14))
    veteran = member_of(community, joined_days_ago=400).user
    item(community, veteran, days=20)
    elsewhere = member_of(CommunityFactory(), joined_days_ago=30).user
    item(elsewhere.memberships.get().community, elsewhere, days=20)

    listed = newcomers_unanswered(Scope.community(community), period)

    assert [x.author.display_name for x in listed] == [
        "A no reply",
        "B late reply",
        "D only answered themselves",
        "H first post hidden",
        "I reply hidden",
    ]


@pytest.fixture
def questions(community, helper):
    """Questions in a community; hours to the first answer are known."""
    asker = UserFactory(display_name="Asker")
    q = {}
    q["old"] = question(community, asker, days=40)
    q["self"] = question(community, asker, days=10)
    reply(q["self"], asker, days=9)
    q["2h"] = question(community, helper, days=5)
    reply(q["2h"], asker, days=5 - 2 / 24)
    q["10h"] = question(community, helper, days=3)
    reply(q["10h"], asker, days=3 - 10 / 24)
    q["30h"] = question(community, helper, days=20)
    reply(q["30h"], asker, days=20 - 30 / 24)
    q["hidden"] = question(community, asker, days=50, hidden_at=days_ago(1))
    q["hidden_reply"] = question(community, UserFactory(display_name="Lonely"), days=2)
    reply(q["hidden_reply"], helper, days=1, hidden_at=days_ago(1))
    item(community, asker, days=60)  # a story without replies is not a question
    question(CommunityFactory(), UserFactory(display_name="Elsewhere"), days=70)
    return q


def test_unanswered_questions_are_listed_oldest_first(community, questions, period):
    listed = unanswered_questions(Scope.community(community), period)

    assert list(listed) == [
        questions["old"],
        questions["self"],
        questions["hidden_reply"],
    ]


def test_unanswered_summary_counts_oldest_and_median_wait(community, questions, period):
    summary = unanswered_summary(Scope.community(community), period)

    assert summary.count == 3
    assert summary.oldest_at == questions["old"].created_at
    # Asked in the last 30 days and answered after 2h, 10h and 30h.
    assert summary.median_wait == pytest.approx(
        timedelta(hours=10), abs=timedelta(seconds=1)
    )
    assert summary.answered_in_period == 3
    assert summary.asked_in_period == 5


def test_organisation_scope_includes_every_community(questions, period):
    assert unanswered_summary(Scope.organisation(), period).count == 4


def test_members_who_asked_and_never_got_an_answer(community, questions, period):
    listed = list(askers_never_answered(Scope.community(community), period))

    # Asker got an answer on nothing ("self" is their own reply); Lonely's
    # only reply is hidden; the helper's questions were all answered.
    assert [u.display_name for u in listed] == ["Asker", "Lonely"]
    asker = listed[0]
    assert asker.questions == 2  # the hidden question does not count
    assert asker.latest_question_id == questions["self"].pk
    assert asker.latest_question_slug == community.slug


def test_one_answered_question_takes_a_member_off_the_list(community, helper, period):
    asker = UserFactory()
    question(community, asker, days=9)
    answered = question(community, asker, days=8)
    reply(answered, helper, days=7)

    assert list(askers_never_answered(Scope.community(community), period)) == []
