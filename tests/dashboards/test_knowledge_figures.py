import pytest

from dashboards.knowledge import most_helpful, rising_tags, single_expert_risks
from dashboards.scope import Scope
from tests.communities.factories import CommunityFactory
from tests.dashboards.factories import days_ago, item, question, reply
from tests.knowledge.factories import HelpfulMarkFactory
from tests.members.factories import UserFactory


def _marks(target, count, days):
    for _ in range(count):
        HelpfulMarkFactory(item=target, created_at=days_ago(days))


def test_most_helpful_ranks_by_marks_given_in_the_period(community, period):
    author = UserFactory()
    three_now = item(community, author, days=100, title="Three now")
    _marks(three_now, 3, days=2)
    _marks(three_now, 2, days=45)
    four_now = item(community, author, days=100, title="Four now")
    _marks(four_now, 4, days=1)
    hidden = item(community, author, days=100, hidden_at=days_ago(1))
    _marks(hidden, 10, days=1)
    _marks(item(CommunityFactory(), author, days=3), 9, days=1)

    ranked = list(most_helpful(Scope.community(community), period))

    assert [(i.title, i.marks) for i in ranked] == [("Four now", 4), ("Three now", 3)]


def test_rising_tags_compare_with_the_previous_period(community, period):
    author = UserFactory()

    def tagged(days, *tags, **kwargs):
        item(community, author, days=days, tags=list(tags), **kwargs)

    for _ in range(3):
        tagged(5, "lean")
    tagged(40, "lean")
    tagged(6, "safety")
    tagged(7, "kaizen")
    tagged(8, "kaizen")
    tagged(35, "kaizen")
    tagged(36, "kaizen")
    for _ in range(3):
        tagged(45, "old")
    tagged(70, "safety")  # before the previous period: ignored
    tagged(2, "hidden", hidden_at=days_ago(1))

    trends = rising_tags(Scope.community(community), period)

    assert [(t.name, t.current, t.previous, t.change) for t in trends] == [
        ("lean", 3, 1, 2),
        ("safety", 1, 0, 1),
    ]
    assert trends[0].growth == pytest.approx(2.0)
    assert trends[1].growth is None


def test_single_expert_risk_needs_three_answers_and_more_than_half(community):
    expert, others = UserFactory(display_name="Eve Expert"), UserFactory()

    def accepted(tag, answerer, **reply_kwargs):
        q = question(community, UserFactory(), days=50, tags=[tag])
        answer = reply(q, answerer, days=49, **reply_kwargs)
        q.accepted_reply = answer
        q.save(update_fields=["accepted_reply"])

    for who in (expert, expert, others):  # 2 of 3: a risk
        accepted("pumps", who)
    for who in (expert, expert, others, others):  # exactly half: no risk
        accepted("valves", who)
    for who in (expert, expert):  # too few answers to judge
        accepted("rare", who)
    accepted("seals", expert)
    accepted("seals", expert)
    accepted("seals", expert, hidden_at=days_ago(1))  # hidden: 2 left

    risks = single_expert_risks(Scope.community(community))

    assert [
        (r.tag, r.accepted_answers, r.expert_name, r.expert_answers) for r in risks
    ] == [("pumps", 3, "Eve Expert", 2)]
    assert risks[0].share == pytest.approx(2 / 3)
    assert single_expert_risks(Scope.community(CommunityFactory())) == []
