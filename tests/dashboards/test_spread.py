import pytest

from dashboards.scope import Scope
from dashboards.spread import pockets_of_innovation, spread_flows
from knowledge.models import Adoption, AdoptionCheckIn
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, item
from tests.knowledge.factories import AdoptionFactory
from tests.members.factories import UserFactory


@pytest.fixture
def flows(db):
    """Alpha's practice is shared into Beta and Gamma and adopted by both."""
    alpha = CommunityFactory(name="Alpha")
    beta = CommunityFactory(name="Beta")
    gamma = CommunityFactory(name="Gamma", private=True)
    author = UserFactory()
    practice = item(alpha, author, days=40)
    item(beta, author, days=5, shared_from=practice)
    item(gamma, author, days=6, shared_from=practice)
    # A hidden share never counts (one copy per item per community, so it is
    # a copy of another Alpha item).
    other = item(alpha, author, days=41)
    item(beta, author, days=6, shared_from=other, hidden_at=days_ago(1))
    AdoptionFactory(item=practice, community=beta, created_at=days_ago(4))
    AdoptionFactory(item=practice, community=gamma, created_at=days_ago(3))
    beta_practice = item(beta, author, days=200)
    AdoptionFactory(item=beta_practice, community=alpha, created_at=days_ago(100))
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "practice": practice}


def _table(spread):
    return [(f.source.name, f.target.name, f.shares, f.adoptions) for f in spread.flows]


def test_flows_count_shares_and_adoptions_in_the_period(flows, period, staff):
    spread = spread_flows(Scope.organisation(), period, staff)

    assert _table(spread) == [("Alpha", "Beta", 1, 1), ("Alpha", "Gamma", 1, 1)]
    assert [p.name for p in spread.matrix_places] == ["Alpha", "Beta", "Gamma"]
    assert spread.matrix == [[0, 2, 2], [0, 0, 0], [0, 0, 0]]


def test_a_community_sees_flows_into_and_out_of_it_only(flows, period, staff):
    spread = spread_flows(Scope.community(flows["beta"]), period, staff)

    assert _table(spread) == [("Alpha", "Beta", 1, 1)]


def test_private_communities_are_not_named_to_those_who_cannot_see_them(flows, period):
    alpha_steward = MembershipFactory(community=flows["alpha"], steward=True).user
    spread = spread_flows(Scope.community(flows["alpha"]), period, alpha_steward)

    assert _table(spread) == [
        ("Alpha", "A private community", 1, 1),
        ("Alpha", "Beta", 1, 1),
    ]
    assert spread.flows[0].target.slug is None


def test_pockets_of_innovation_are_items_adopted_by_two_communities(flows):
    """Only adoptions that lasted count (knowledge.adoptions): both said so
    at their 30-day check-in."""
    for adoption in Adoption.objects.filter(item=flows["practice"]):
        AdoptionCheckIn.objects.create(
            adoption=adoption, day=30, due_on=adoption.created_at, answer="kept"
        )
    pockets = list(pockets_of_innovation(Scope.organisation()))

    assert pockets == [flows["practice"]]
    assert pockets[0].adopters == 2
    assert list(pockets_of_innovation(Scope.community(flows["beta"]))) == []
