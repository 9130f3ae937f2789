from datetime import timedelta

import pytest

from dashboards.participation import (
    participation_by_community,
    participation_summary,
)
from dashboards.scope import Scope
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, item, member_of, reply
from tests.members.factories import UserFactory


@pytest.fixture
def lean(db):
    """A community whose 30-day figures are known:

    old (line leader): an item and a reply in the period    -> 2
    quiet (executive): only an old item, a hidden item, a share, and an item
                       elsewhere                             -> 0, peripheral
    fresh (joined 10 days ago): one reply                    -> 1, newcomer
    shy (joined 20 days ago): a reply on a hidden item       -> 0, newcomer
    visitor (no membership): one reply                        -> 1
    pending member with an item: not a member
    """
    community = CommunityFactory(name="Lean")
    elsewhere = CommunityFactory(name="Elsewhere")
    old = member_of(
        community, user=UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    ).user
    quiet = member_of(
        community, user=UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    ).user
    fresh = member_of(community, joined_days_ago=10).user
    shy = member_of(community, joined_days_ago=20).user
    visitor = UserFactory()
    pending = MembershipFactory(community=community, pending=True).user

    first = item(community, old, days=5)
    reply(first, old, days=3)
    reply(first, fresh, days=2)
    reply(first, visitor, days=1)
    item(community, quiet, days=60)
    item(community, quiet, days=4, hidden_at=days_ago(1))
    origin = item(elsewhere, UserFactory(), days=50)
    item(community, quiet, days=4, shared_from=origin)
    item(elsewhere, quiet, days=4)
    hidden = item(community, old, days=6, hidden_at=days_ago(5))
    reply(hidden, shy, days=4)
    item(community, pending, days=4)
    return {"community": community, "elsewhere": elsewhere, "quiet": quiet}


def test_headline_figures_count_members_newcomers_and_the_periphery(lean, period):
    p = participation_summary(Scope.community(lean["community"]), period)

    assert p.members == 4
    assert p.contributing_members == 2  # old and fresh
    assert p.newcomers == 2
    assert p.contributing_newcomers == 1
    assert p.peripheral == 2  # quiet and shy
    # old 2 + fresh 1 + visitor 1 + pending 1; hidden, shares and old items don't count
    assert p.contributions == 5


def test_role_coverage_shows_present_and_active_leaders(lean, period):
    p = participation_summary(Scope.community(lean["community"]), period)
    roles = {r.role: (r.present, r.active) for r in p.roles}

    assert roles == {"line_leader": (1, 1), "executive": (1, 0), "networker": (0, 0)}


def test_equity_covers_contributors_and_silent_members(lean, period):
    p = participation_summary(Scope.community(lean["community"]), period)

    # Per person: old 2, fresh 1, visitor 1, pending 1; quiet and shy 0.
    assert p.equity.contributors == 4
    assert p.equity.top_count == 1
    assert p.equity.top_share == pytest.approx(2 / 5)
    # sorted [0, 0, 1, 1, 1, 2]: 2 * (3 + 4 + 5 + 12) / (6 * 5) - 7 / 6
    assert p.equity.gini == pytest.approx(2 * 24 / 30 - 7 / 6)


def test_weekly_series_has_at_least_twelve_weeks_and_counts_each_contribution(
    lean, period
):
    p = participation_summary(Scope.community(lean["community"]), period)

    assert len(p.weeks) == 12
    assert [w.end - w.start for w in p.weeks] == [timedelta(days=7)] * 12
    assert p.weeks[-1].end > period.end  # today is in the last week
    # The five in the period plus quiet's item from 60 days ago.
    assert sum(w.contributions for w in p.weeks) == 6
    assert p.weeks[-1].contributions == 5


def test_organisation_counts_people_once_across_communities(lean, period):
    p = participation_summary(Scope.organisation(), period)

    # quiet wrote nothing in Lean but did elsewhere: a contributor here.
    assert p.members == 4
    assert p.contributing_members == 3
    assert p.peripheral == 1  # shy
    assert p.contributions == 6


def test_organisation_newcomer_is_new_to_every_community(db, period):
    veteran_elsewhere = member_of(CommunityFactory(), joined_days_ago=400).user
    member_of(CommunityFactory(), user=veteran_elsewhere, joined_days_ago=5)
    member_of(CommunityFactory(), joined_days_ago=5)

    p = participation_summary(Scope.organisation(), period)

    assert p.members == 2
    assert p.newcomers == 1


def test_per_community_rows_agree_with_the_community_dashboard(lean, period):
    rows = {r.community.pk: r for r in participation_by_community(period)}
    row = rows[lean["community"].pk]
    p = participation_summary(Scope.community(lean["community"]), period)

    assert (
        row.members,
        row.contributing_members,
        row.newcomers,
        row.contributing_newcomers,
        row.peripheral,
        row.contributions,
    ) == (
        p.members,
        p.contributing_members,
        p.newcomers,
        p.contributing_newcomers,
        p.peripheral,
        p.contributions,
    )
    assert row.roles_present == {"line_leader", "executive"}
    assert row.roles_active == {"line_leader"}
    # Table cells name what is missing, briefly.
    assert row.role_gaps(row.roles_present) == "no networker"
    assert row.role_gaps(row.roles_active) == "no executive, no networker"
    assert rows[lean["elsewhere"].pk].contributions == 1


def test_role_gaps_reads_all_three_or_none():
    """A community with every leader role says "all three"; one with none
    says "none" rather than listing three gaps."""
    from dashboards.participation import CommunityRow

    row = CommunityRow(community=None)
    assert row.role_gaps({"line_leader", "executive", "networker"}) == "all three"
    assert row.role_gaps(set()) == "none"
    assert row.role_gaps({"executive"}) == "no line leader, no networker"
