"""Each factor of mentor_suggestions_for moves the score the right way, and
the reasons say why."""

import dataclasses

import pytest
from django.utils import timezone

from knowledge.models import ItemKind
from members.models import LeadershipRole
from mentoring.models import Format, Pair
from mentoring.strengths import strengths_refresh
from mentoring.suggestions import (
    WEIGHTS,
    mentor_suggestions_for,
    suggestions_for_requests,
)
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

from .factories import MentoringRequestFactory, MentorOfferFactory, PairFactory

# A broker who sees every community (the privacy tests name their viewer).
STAFF = UserFactory.build(is_staff=True)

pytestmark = pytest.mark.django_db


def _by_mentor(suggestions):
    return {s.mentor.pk: s for s in suggestions}


def _offer(topics=("onboarding",), role=LeadershipRole.NONE, **kwargs):
    user = UserFactory(leadership_role=role)
    return MentorOfferFactory(user=user, topics=list(topics), **kwargs)


def _request(topics=("onboarding",), role=LeadershipRole.NONE, **kwargs):
    mentee = UserFactory(leadership_role=role)
    return MentoringRequestFactory(mentee=mentee, topics=list(topics), **kwargs)


def test_weights_are_in_one_place_and_sum_to_100():
    factors = ("topics", "knowledge", "role", "bridging", "capacity", "format")
    assert sum(getattr(WEIGHTS, f) for f in factors) == 100
    assert dataclasses.is_dataclass(WEIGHTS)


def test_covering_more_wanted_topics_scores_higher_and_says_so():
    req = _request(topics=["onboarding", "lean"])
    both = _offer(topics=["onboarding", "lean"])
    one = _offer(topics=["onboarding"])
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[both.user_id].score > found[one.user_id].score
    assert (
        "covers 2 of 2 wanted topics: lean, onboarding" in found[both.user_id].reasons
    )
    assert "covers 1 of 2 wanted topics: onboarding" in found[one.user_id].reasons


def test_expertise_counts_as_a_topic_when_the_offer_lists_none():
    req = _request(topics=["safety"])
    expert = UserFactory(expertise=["safety"])
    MentorOfferFactory(user=expert)
    [suggestion] = mentor_suggestions_for(req, viewer=STAFF)
    assert suggestion.mentor == expert
    assert "offers help with safety" in suggestion.reasons


def test_mentors_with_nothing_to_do_with_the_topics_are_not_suggested():
    req = _request(topics=["safety"])
    _offer(topics=["negotiation"])
    assert mentor_suggestions_for(req, viewer=STAFF) == []


def _knowledge(author, tag, helpful=0, accepted=0, hidden=False):
    item = ItemFactory(author=author, tags=[tag])
    if hidden:
        item.hidden_at = timezone.now()
        item.save(update_fields=["hidden_at"])
    for _ in range(helpful):
        HelpfulMarkFactory(item=item)
    for _ in range(accepted):
        question = ItemFactory(kind=ItemKind.QUESTION, tags=[tag])
        reply = ReplyFactory(item=question, author=author)
        question.accepted_reply = reply
        question.save(update_fields=["accepted_reply"])
    strengths_refresh()  # as beat does every few minutes


def test_demonstrated_knowledge_raises_the_score_with_counts_in_the_reason():
    req = _request(topics=["onboarding"])
    proven = _offer(topics=["onboarding"])
    untested = _offer(topics=["onboarding"])
    _knowledge(proven.user, "onboarding", helpful=2, accepted=1)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[proven.user_id].score > found[untested.user_id].score
    assert (
        "knows onboarding: 2 helpful marks, 1 accepted answer"
        in found[proven.user_id].reasons
    )
    assert not any(r.startswith("knows") for r in found[untested.user_id].reasons)


def test_demonstrated_knowledge_alone_brings_a_mentor_into_the_pool():
    req = _request(topics=["escalations"])
    helper = _offer(topics=["something-else"])
    _knowledge(helper.user, "escalations", helpful=3)
    [suggestion] = mentor_suggestions_for(req, viewer=STAFF)
    assert suggestion.mentor == helper.user
    assert "knows escalations: 3 helpful marks" in suggestion.reasons


def test_more_knowledge_scores_higher_until_saturation():
    req = _request(topics=["onboarding"])
    little = _offer()
    lots = _offer()
    _knowledge(little.user, "onboarding", helpful=1)
    _knowledge(lots.user, "onboarding", helpful=5, accepted=2)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[lots.user_id].score > found[little.user_id].score


def test_hidden_items_do_not_count_as_knowledge():
    req = _request(topics=["onboarding"])
    mentor = _offer()
    _knowledge(mentor.user, "onboarding", helpful=4, hidden=True)
    [suggestion] = mentor_suggestions_for(req, viewer=STAFF)
    assert not any(r.startswith("knows") for r in suggestion.reasons)


def test_executive_is_suggested_as_thinking_partner_for_a_line_leader():
    req = _request(role=LeadershipRole.LINE_LEADER, format=Format.THINKING_PARTNER)
    executive = _offer(role=LeadershipRole.EXECUTIVE)
    member = _offer(role=LeadershipRole.NONE)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[executive.user_id].score > found[member.user_id].score
    assert (
        "executive as thinking partner for a line leader"
        in found[executive.user_id].reasons
    )


def test_networker_beats_no_role_for_a_newcomer():
    req = _request(role=LeadershipRole.NONE)
    networker = _offer(role=LeadershipRole.NETWORKER)
    member = _offer(role=LeadershipRole.NONE)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[networker.user_id].score > found[member.user_id].score
    assert any("internal networker" in r for r in found[networker.user_id].reasons)


def test_peer_coaching_prefers_a_peer_with_the_same_role():
    req = _request(role=LeadershipRole.LINE_LEADER, format=Format.PEER_COACHING)
    peer = _offer(role=LeadershipRole.LINE_LEADER, offers_peer_coaching=True)
    other = _offer(role=LeadershipRole.NONE, offers_peer_coaching=True)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[peer.user_id].score > found[other.user_id].score
    assert "a fellow local line leader for peer coaching" in found[peer.user_id].reasons


def test_a_mentor_from_another_community_bridges_them():
    support = CommunityFactory(name="Support")
    sales = CommunityFactory(name="Sales")
    req = _request()
    MembershipFactory(user=req.mentee, community=support)
    bridge = _offer()
    MembershipFactory(user=bridge.user, community=sales)
    insider = _offer()
    MembershipFactory(user=insider.user, community=support)
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[bridge.user_id].score > found[insider.user_id].score
    assert (
        "from another community: bridges Sales and Support"
        in found[bridge.user_id].reasons
    )
    assert not any("another community" in r for r in found[insider.user_id].reasons)


def test_bridging_ignores_memberships_that_are_not_active():
    sales = CommunityFactory(name="Sales")
    req = _request()
    mentor = _offer()
    MembershipFactory(user=mentor.user, community=sales, pending=True)
    [suggestion] = mentor_suggestions_for(req, viewer=STAFF)
    assert not any("another community" in r for r in suggestion.reasons)


def test_more_free_capacity_scores_higher_and_full_mentors_are_excluded():
    req = _request()
    free = _offer(capacity=2)
    busy = _offer(capacity=2)
    full = _offer(capacity=1)
    PairFactory(mentor=busy.user, active=True)
    PairFactory(mentor=full.user)  # a proposal takes a place too
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert full.user_id not in found
    assert found[free.user_id].score > found[busy.user_id].score
    assert "has room for 2 more mentees" in found[free.user_id].reasons
    assert "has room for 1 more mentee" in found[busy.user_id].reasons


def test_ended_pairs_free_the_place_again():
    req = _request()
    mentor = _offer(capacity=1)
    PairFactory(mentor=mentor.user, status=Pair.Status.COMPLETED)
    assert [s.mentor for s in mentor_suggestions_for(req, viewer=STAFF)] == [
        mentor.user
    ]


def test_unavailable_and_deactivated_mentors_are_excluded():
    req = _request()
    _offer(available=False)
    gone = _offer()
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    assert mentor_suggestions_for(req, viewer=STAFF) == []


def test_offering_the_requested_format_scores_higher():
    req = _request(format=Format.PEER_COACHING)
    coach = _offer(offers_peer_coaching=True)
    mentor_only = _offer()
    found = _by_mentor(mentor_suggestions_for(req, viewer=STAFF))
    assert found[coach.user_id].score - found[mentor_only.user_id].score == round(
        WEIGHTS.format
    )
    assert "offers peer coaching" in found[coach.user_id].reasons


def test_the_mentee_is_never_suggested_to_themselves():
    req = _request()
    MentorOfferFactory(user=req.mentee, topics=["onboarding"])
    assert mentor_suggestions_for(req, viewer=STAFF) == []


def test_mentors_already_paired_with_the_mentee_are_excluded():
    req = _request()
    paired = _offer()
    proposed = _offer()
    earlier = _offer()
    other_request = MentoringRequestFactory(mentee=req.mentee)
    PairFactory(request=other_request, mentor=paired.user, active=True)
    PairFactory(
        request=MentoringRequestFactory(mentee=req.mentee), mentor=proposed.user
    )
    PairFactory(
        request=MentoringRequestFactory(mentee=req.mentee),
        mentor=earlier.user,
        status=Pair.Status.COMPLETED,
    )
    assert [s.mentor for s in mentor_suggestions_for(req, viewer=STAFF)] == [
        earlier.user
    ]


def test_a_mentor_who_declined_this_request_is_not_suggested_again():
    req = _request()
    declined = _offer()
    PairFactory(request=req, mentor=declined.user, status=Pair.Status.DECLINED)
    assert mentor_suggestions_for(req, viewer=STAFF) == []


def test_a_perfect_match_scores_100_and_scores_stay_in_range():
    sales = CommunityFactory(name="Sales")
    req = _request(role=LeadershipRole.LINE_LEADER, format=Format.THINKING_PARTNER)
    best = _offer(role=LeadershipRole.EXECUTIVE, offers_thinking_partner=True)
    MembershipFactory(user=best.user, community=sales)
    _knowledge(best.user, "onboarding", helpful=WEIGHTS.knowledge_saturation)
    weak = _offer(topics=["other"])
    _knowledge(weak.user, "onboarding", helpful=1)
    suggestions = mentor_suggestions_for(req, viewer=STAFF)
    assert suggestions[0].mentor == best.user
    assert suggestions[0].score == 100
    assert all(0 <= s.score <= 100 for s in suggestions)
    assert suggestions == sorted(suggestions, key=lambda s: -s.score)


def test_limit_bounds_the_list():
    req = _request()
    for _ in range(4):
        _offer()
    assert len(mentor_suggestions_for(req, viewer=STAFF, limit=3)) == 3


def _page_of_requests(n):
    for i in range(n):
        community = CommunityFactory()
        topic = f"topic-{i % 3}"
        req = _request(topics=[topic, "onboarding"])
        MembershipFactory(user=req.mentee, community=community)
        offer = _offer(topics=[topic], role=LeadershipRole.NETWORKER)
        MembershipFactory(user=offer.user, community=CommunityFactory())
        _knowledge(offer.user, "onboarding", helpful=1, accepted=1)
    from mentoring.models import MentoringRequest

    return list(MentoringRequest.objects.select_related("mentee"))


@pytest.mark.parametrize("n", [2, 8])
def test_a_page_of_requests_is_scored_in_a_fixed_number_of_queries(
    n, django_assert_num_queries
):
    requests = _page_of_requests(n)
    with django_assert_num_queries(8):
        found = suggestions_for_requests(requests, viewer=STAFF, limit=5)
    assert all(found[r.pk] for r in requests)


def test_a_broker_never_learns_of_a_private_community_from_suggestions():
    """Accepted answers and helpful marks inside a private community the
    broker is not in count for nothing, and it is never named in a reason."""
    broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    mentor = UserFactory(display_name="Quiet Expert")
    MentorOfferFactory(user=mentor, topics=["pricing"])
    secret = CommunityFactory(name="Acquisition Room", private=True)
    MembershipFactory(user=mentor, community=secret)
    asker = UserFactory()
    MembershipFactory(user=asker, community=secret)
    question = ItemFactory(
        community=secret, kind=ItemKind.QUESTION, author=asker, tags=["pricing"]
    )
    answer = ReplyFactory(item=question, author=mentor)
    question.accepted_reply = answer
    question.save()
    HelpfulMarkFactory.create_batch(3, item=question)
    strengths_refresh()
    req = MentoringRequestFactory(topics=["pricing"])

    [as_broker] = mentor_suggestions_for(req, viewer=broker)
    [as_staff] = mentor_suggestions_for(req, viewer=STAFF)
    told = " ".join(as_broker.reasons)
    assert "Acquisition Room" not in told
    assert "accepted answer" not in told
    assert as_broker.score < as_staff.score
    assert "accepted answer" in " ".join(as_staff.reasons)
