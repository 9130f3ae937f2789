"""The checked entry points (check_*): each fetches by id with its permission
check, so any interface calling it (page, API, task) refuses whom the page
refuses, and a refusal changes nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from members.models import LeadershipRole
from mentoring.models import (
    CheckIn,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)
from mentoring.services.feedback import check_feedback_give
from mentoring.services.offers import check_offer_save
from mentoring.services.pairs import (
    check_pair_accept,
    check_pair_close,
    check_pair_complete,
    check_pair_decline,
)
from mentoring.services.progress import (
    check_checkin_add,
    check_goal_add,
    check_goal_set_done,
)
from mentoring.services.proposals import check_match_propose
from mentoring.services.requests import check_request_create, check_request_withdraw
from tests.members.factories import UserFactory
from tests.mentoring.factories import GoalFactory, MentorOfferFactory, PairFactory

pytestmark = pytest.mark.django_db

OFFER = {"available": True, "capacity": 2, "topics": ["lean"], "formats": ["mentoring"]}
REQUEST = {"topics": ["lean"], "goals": "Learn lean.", "format": "mentoring"}


def _state():
    return (
        list(Pair.objects.order_by("pk").values()),
        list(MentoringRequest.objects.order_by("pk").values()),
        Goal.objects.count(),
        CheckIn.objects.count(),
        Feedback.objects.count(),
        MentorOffer.objects.count(),
    )


# --- Offers and requests --------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_offer_refuses_anonymous_and_deactivated_people(who):
    acting_user = (
        AnonymousUser() if who == "anonymous" else UserFactory(is_active=False)
    )
    with pytest.raises(PermissionDenied):
        check_offer_save(acting_user=acting_user, **OFFER)
    assert not MentorOffer.objects.exists()


def test_a_member_saves_an_offer_through_the_check():
    member = UserFactory()
    offer = check_offer_save(acting_user=member, **OFFER)
    assert offer.user == member and offer.available


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_request_refuses_anonymous_and_deactivated_people(who):
    acting_user = (
        AnonymousUser() if who == "anonymous" else UserFactory(is_active=False)
    )
    with pytest.raises(PermissionDenied):
        check_request_create(acting_user=acting_user, **REQUEST)
    assert not MentoringRequest.objects.exists()


@pytest.mark.parametrize("mentor", ["self", "inactive"])
def test_asking_oneself_or_a_deactivated_mentor_is_404(mentor):
    mentee = UserFactory()
    requested = mentee if mentor == "self" else UserFactory(is_active=False)
    with pytest.raises(Http404):
        check_request_create(acting_user=mentee, requested_mentor=requested, **REQUEST)
    assert not MentoringRequest.objects.exists()


def test_asking_a_mentor_directly_through_the_check():
    mentee, mentor = UserFactory(), UserFactory()
    MentorOfferFactory(user=mentor)
    req = check_request_create(acting_user=mentee, requested_mentor=mentor, **REQUEST)
    assert req.pairs.get().mentor == mentor


@pytest.fixture
def req():
    return check_request_create(acting_user=UserFactory(), **REQUEST)


def test_withdraw_is_404_for_someone_who_cannot_see_the_request(req):
    with pytest.raises(Http404):
        check_request_withdraw(acting_user=UserFactory(), request_id=req.pk)
    req.refresh_from_db()
    assert req.is_live


def test_withdraw_refuses_a_broker_who_can_see_the_request(req):
    broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    with pytest.raises(PermissionDenied):
        check_request_withdraw(acting_user=broker, request_id=req.pk)
    req.refresh_from_db()
    assert req.is_live


def test_the_mentee_withdraws_and_withdrawing_again_changes_nothing(req):
    first = check_request_withdraw(acting_user=req.mentee, request_id=req.pk)
    again = check_request_withdraw(acting_user=req.mentee, request_id=req.pk)
    assert first.status == again.status == MentoringRequest.Status.WITHDRAWN


@pytest.mark.parametrize(
    "who", ["member", "networker", "mentee", "anonymous", "inactive_manager"]
)
def test_propose_refuses_everyone_but_brokers(req, who):
    mentor = UserFactory()
    MentorOfferFactory(user=mentor)
    acting_user = {
        "member": UserFactory(),
        "networker": UserFactory(leadership_role=LeadershipRole.NETWORKER),
        "mentee": req.mentee,
        "anonymous": AnonymousUser(),
        "inactive_manager": UserFactory(
            leadership_role=LeadershipRole.EXECUTIVE, is_active=False
        ),
    }[who]
    with pytest.raises(PermissionDenied):
        check_match_propose(acting_user=acting_user, request_id=req.pk, mentor=mentor)
    assert not Pair.objects.exists()


def test_a_broker_proposes_through_the_check(req):
    mentor = UserFactory()
    MentorOfferFactory(user=mentor)
    broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    pair = check_match_propose(acting_user=broker, request_id=req.pk, mentor=mentor)
    assert pair.broker == broker and pair.is_proposed


def test_proposing_for_a_request_that_does_not_exist_is_404():
    broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
    with pytest.raises(Http404):
        check_match_propose(acting_user=broker, request_id=999999, mentor=UserFactory())


# --- Pairs ----------------------------------------------------------------------

TODAY = timezone.localdate


def _party_checks(pair, goal):
    """Every check only the mentor and mentee pass, as a call taking the user."""
    return {
        "accept": lambda u: check_pair_accept(acting_user=u, pair_id=pair.pk),
        "decline": lambda u: check_pair_decline(acting_user=u, pair_id=pair.pk),
        "goal_add": lambda u: check_goal_add(
            acting_user=u, pair_id=pair.pk, text="Lead a handover"
        ),
        "goal_done": lambda u: check_goal_set_done(
            acting_user=u, pair_id=pair.pk, goal_id=goal.pk, done=True
        ),
        "checkin": lambda u: check_checkin_add(
            acting_user=u, pair_id=pair.pk, on=TODAY(), notes="Went well", progress=40
        ),
        "feedback": lambda u: check_feedback_give(
            acting_user=u, pair_id=pair.pk, rating=5, learned="Plenty"
        ),
    }


PARTY_CHECKS = ["accept", "decline", "goal_add", "goal_done", "checkin", "feedback"]


@pytest.fixture
def pair():
    return PairFactory(active=True)


@pytest.mark.parametrize("check", PARTY_CHECKS)
def test_party_checks_refuse_the_broker_with_403(pair, check):
    goal = GoalFactory(pair=pair)
    before = _state()
    with pytest.raises(PermissionDenied):
        _party_checks(pair, goal)[check](pair.broker)
    assert _state() == before
    assert not Goal.objects.get(pk=goal.pk).done


@pytest.mark.parametrize("check", PARTY_CHECKS)
def test_party_checks_hide_the_pair_from_outsiders(pair, check):
    goal = GoalFactory(pair=pair)
    before = _state()
    with pytest.raises(Http404):
        _party_checks(pair, goal)[check](UserFactory())
    assert _state() == before


@pytest.mark.parametrize("check", PARTY_CHECKS)
def test_party_checks_refuse_anonymous_people(pair, check):
    goal = GoalFactory(pair=pair)
    with pytest.raises(PermissionDenied):
        _party_checks(pair, goal)[check](AnonymousUser())


def test_a_goal_of_another_pair_is_404(pair):
    elsewhere = GoalFactory()
    with pytest.raises(Http404):
        check_goal_set_done(
            acting_user=pair.mentee, pair_id=pair.pk, goal_id=elsewhere.pk, done=True
        )
    assert not Goal.objects.get(pk=elsewhere.pk).done


def test_the_two_people_work_through_the_checks(pair):
    goal = check_goal_add(acting_user=pair.mentee, pair_id=pair.pk, text="Lead")
    check_goal_set_done(
        acting_user=pair.mentor, pair_id=pair.pk, goal_id=goal.pk, done=True
    )
    check_checkin_add(
        acting_user=pair.mentor, pair_id=pair.pk, on=TODAY(), notes="ok", progress=50
    )
    goal.refresh_from_db()
    assert goal.done and pair.checkins.count() == 1


ENDING = {
    "complete": lambda u, pair: check_pair_complete(acting_user=u, pair_id=pair.pk),
    "close": lambda u, pair: check_pair_close(
        acting_user=u, pair_id=pair.pk, reason="Moved teams"
    ),
}


@pytest.mark.parametrize("check", ENDING)
def test_ending_refuses_staff_who_are_not_involved(pair, check):
    staff = UserFactory(is_staff=True)  # may look, may not end
    with pytest.raises(PermissionDenied):
        ENDING[check](staff, pair)
    pair.refresh_from_db()
    assert pair.is_active


@pytest.mark.parametrize("check", ENDING)
def test_ending_hides_the_pair_from_outsiders(pair, check):
    with pytest.raises(Http404):
        ENDING[check](UserFactory(), pair)
    pair.refresh_from_db()
    assert pair.is_active


@pytest.mark.parametrize("check", ENDING)
@pytest.mark.parametrize("who", ["mentor", "mentee", "broker"])
def test_the_people_and_the_broker_end_a_pair(pair, check, who):
    ended = ENDING[check](getattr(pair, who), pair)
    assert ended.is_ended
