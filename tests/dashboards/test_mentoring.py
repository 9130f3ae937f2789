"""Mentoring figures on constructed data with known answers."""

from datetime import timedelta

import pytest

from dashboards.mentoring import (
    matches_per_broker,
    mentoring_summary,
    pairs_in,
    quiet_pairs,
    requests_in,
)
from dashboards.scope import Scope
from mentoring.models import Feedback, MentoringRequest, Pair
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, member_of, mentoring_request, pair_for
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

Status = MentoringRequest.Status


@pytest.fixture(autouse=True)
def reminder_days(settings):
    settings.MENTORING_REMINDER_DAYS = 7


@pytest.fixture
def elsewhere(db):
    return CommunityFactory(name="Elsewhere")


def our_member(community):
    return member_of(community).user


def test_a_community_counts_requests_filed_with_it_or_naming_none_from_its_members(
    community, elsewhere
):
    ours = our_member(community)
    filed_here = mentoring_request(UserFactory(), community=community)
    no_community = mentoring_request(ours)
    mentoring_request(ours, community=elsewhere)  # filed elsewhere: theirs
    mentoring_request(UserFactory())  # an outsider naming no community
    pending = MembershipFactory(community=community, pending=True).user
    mentoring_request(pending)  # not an active member yet
    pair_here = pair_for(no_community)
    pair_for(mentoring_request(UserFactory(), community=elsewhere))

    scope = Scope.community(community)

    assert set(requests_in(scope)) == {filed_here, no_community}
    assert list(pairs_in(scope)) == [pair_here]
    assert requests_in(Scope.organisation()).count() == 6
    assert pairs_in(Scope.organisation()).count() == 2


def test_waiting_requests_and_the_median_wait_to_a_match(community, period):
    ours = our_member(community)
    mentoring_request(ours, days=10)  # open
    mentoring_request(ours, days=40, status=Status.PROPOSED)  # oldest waiting
    mentoring_request(ours, days=50, status=Status.WITHDRAWN)
    for asked, matched in ((12, 10), (20, 14), (9, 5)):  # waits 2, 6, 4 days
        mentoring_request(
            ours, days=asked, status=Status.MATCHED, matched_at=days_ago(matched)
        )
    mentoring_request(  # matched before the period: a 30-day wait not counted
        ours, days=70, status=Status.MATCHED, matched_at=days_ago(40)
    )

    summary = mentoring_summary(Scope.community(community), period)

    assert summary.waiting == 2
    assert abs(summary.oldest_waiting_at - days_ago(40)) < timedelta(minutes=1)
    assert summary.matched == 3
    assert abs(summary.median_wait - timedelta(days=4)) < timedelta(seconds=1)


def test_no_match_in_the_period_has_no_median(community, period):
    mentoring_request(our_member(community))

    summary = mentoring_summary(Scope.community(community), period)

    assert (summary.waiting, summary.matched, summary.median_wait) == (1, 0, None)
    assert summary.completion_rate is None
    assert summary.average_rating is None


def test_active_pairs_and_those_without_a_check_in_for_the_reminder_days(
    community, period
):
    def active(**days):
        return pair_for(mentoring_request(our_member(community)), **days)

    active(started=10, last_checkin=2)  # checked in recently
    quiet_never = active(started=14)  # no check-in since the start
    active(started=5)  # new, not yet due
    quiet_long = active(started=40, last_checkin=20)
    pair_for(
        mentoring_request(our_member(community)),
        status=Pair.Status.COMPLETED,
        started=60,
        ended=3,
    )

    scope = Scope.community(community)
    summary = mentoring_summary(scope, period)

    assert (summary.active_pairs, summary.quiet_pairs) == (4, 2)
    assert list(quiet_pairs(scope)) == [quiet_long, quiet_never]


def test_completion_rate_and_average_rating_count_the_period(community, period):
    def ended(status, days_ago_ended):
        return pair_for(
            mentoring_request(our_member(community)),
            status=status,
            started=90,
            ended=days_ago_ended,
        )

    completed = [ended(Pair.Status.COMPLETED, 3) for _ in range(3)]
    ended(Pair.Status.CLOSED, 5)
    old = ended(Pair.Status.COMPLETED, 60)  # before the period
    pair_for(mentoring_request(our_member(community)), status=Pair.Status.DECLINED)
    for pair, rating, days in ((completed[0], 5, 2), (completed[1], 4, 1)):
        Feedback.objects.create(
            pair=pair,
            author=pair.mentee,
            rating=rating,
            learned="A lot",
            created_at=days_ago(days),
        )
    Feedback.objects.create(
        pair=old, author=old.mentee, rating=1, learned="x", created_at=days_ago(59)
    )

    summary = mentoring_summary(Scope.community(community), period)

    assert (summary.completed, summary.closed_early) == (3, 1)
    assert summary.completion_rate == 0.75
    assert (summary.ratings, summary.average_rating) == (2, 4.5)


def test_matches_per_broker_in_the_period(community, period):
    xavier = UserFactory(display_name="Xavier Broker", username="xavier")
    yara = UserFactory(display_name="Yara Broker", username="yara")

    def proposed(broker, status, days=10):
        return pair_for(
            mentoring_request(our_member(community)),
            broker=broker,
            status=status,
            proposed=days,
            **({"ended": 1} if status in Pair.ENDED else {}),
        )

    proposed(xavier, Pair.Status.ACTIVE)
    proposed(xavier, Pair.Status.COMPLETED)
    proposed(xavier, Pair.Status.DECLINED)
    proposed(xavier, Pair.Status.ACTIVE, days=45)  # before the period
    proposed(yara, Pair.Status.PROPOSED)
    proposed(None, Pair.Status.ACTIVE)  # asked a mentor directly

    rows = matches_per_broker(Scope.community(community), period)

    assert [
        (r.name, r.proposed, r.accepted, r.declined, r.completed) for r in rows
    ] == [
        ("Xavier Broker", 3, 2, 1, 1),
        ("Yara Broker", 1, 0, 0, 0),
        ("", 1, 1, 0, 0),
    ]
    assert rows[-1].broker_id is None


def test_the_organisation_counts_every_community(community, elsewhere, period):
    mentoring_request(our_member(community))
    mentoring_request(our_member(elsewhere), community=elsewhere)
    mentoring_request(UserFactory())  # no community at all

    assert mentoring_summary(Scope.organisation(), period).waiting == 3
    assert mentoring_summary(Scope.community(community), period).waiting == 1
