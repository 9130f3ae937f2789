"""The mentoring state machine, notifications and the reminder job."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from knowledge.models import Item, ItemKind
from members.models import LeadershipRole
from mentoring import services
from mentoring.models import (
    CheckIn,
    Feedback,
    Format,
    Goal,
    MentoringRequest,
    Pair,
    ReminderLog,
)
from mentoring.tasks import send_checkin_reminders
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

from .factories import MentorOfferFactory, PairFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(db):
    return UserFactory(leadership_role=LeadershipRole.LINE_LEADER)


@pytest.fixture
def mentor(db):
    user = UserFactory(expertise=["onboarding"])
    MentorOfferFactory(user=user, topics=["onboarding"], capacity=2)
    return user


@pytest.fixture
def mentee(db):
    return UserFactory()


@pytest.fixture
def req(mentee):
    return services.request_create(
        acting_user=mentee,
        topics=["Onboarding"],
        goals="Learn it.",
        format=Format.MENTORING,
    )


@pytest.fixture
def proposal(req, mentor, broker):
    return services.match_propose(req=req, mentor=mentor, acting_user=broker, note="Go")


@pytest.fixture
def active(proposal, mentor, mentee):
    services.pair_accept(pair=proposal, acting_user=mentor)
    return services.pair_accept(pair=proposal, acting_user=mentee)


def _kinds(user):
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


# --- Offers and requests --------------------------------------------------------


def test_offer_topics_default_to_expertise_and_a_format_is_required():
    user = UserFactory(expertise=["lean", "safety"])
    offer = services.offer_save(
        acting_user=user, available=True, capacity=3, formats=["mentoring"]
    )
    assert sorted(offer.topics.names()) == ["lean", "safety"]
    with pytest.raises(ValidationError):
        services.offer_save(acting_user=user, available=True, capacity=3, formats=[])


def test_offer_save_updates_the_one_offer():
    user = UserFactory()
    services.offer_save(
        acting_user=user, available=True, capacity=2, formats=["mentoring"]
    )
    offer = services.offer_save(
        acting_user=user,
        available=False,
        capacity=4,
        topics=["coaching"],
        formats=["peer_coaching", "thinking_partner"],
    )
    assert user.mentor_offer == offer
    assert offer.formats == ["peer_coaching", "thinking_partner"]
    assert list(offer.topics.names()) == ["coaching"]


def test_request_needs_topics_and_an_own_community(mentee):
    with pytest.raises(ValidationError):
        services.request_create(
            acting_user=mentee, topics=[" "], goals="x", format="mentoring"
        )
    elsewhere = CommunityFactory()
    with pytest.raises(ValidationError):
        services.request_create(
            acting_user=mentee, topics=["lean"], goals="x", format="mentoring",
            community=elsewhere,
        )  # fmt: skip


def test_a_request_ticks_the_connect_welcome_step(mentee):
    membership = MembershipFactory(user=mentee)
    other = MembershipFactory(user=mentee)
    services.request_create(
        acting_user=mentee, topics=["lean"], goals="x", format="mentoring"
    )
    membership.refresh_from_db()
    other.refresh_from_db()
    assert membership.connected_at is not None
    assert other.connected_at is not None


def test_asking_a_mentor_directly_proposes_them_with_the_mentee_accepted(
    mentee, mentor
):
    req = services.request_create(
        acting_user=mentee, topics=["onboarding"], goals="x", format="mentoring",
        requested_mentor=mentor,
    )  # fmt: skip
    pair = req.pairs.get()
    assert req.status == MentoringRequest.Status.PROPOSED
    assert pair.mentee_accepted_at is not None and pair.broker is None
    assert _kinds(mentor) == ["mentoring.asked"]
    services.pair_accept(pair=pair, acting_user=mentor)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE


def test_a_full_or_unavailable_mentor_cannot_be_asked(mentee, mentor):
    mentor.mentor_offer.capacity = 1
    mentor.mentor_offer.save()
    PairFactory(mentor=mentor, active=True)
    with pytest.raises(ValidationError, match="no room"):
        services.request_create(
            acting_user=mentee, topics=["x"], goals="x", format="mentoring",
            requested_mentor=mentor,
        )  # fmt: skip
    assert not MentoringRequest.objects.filter(mentee=mentee).exists()


# --- Proposals ------------------------------------------------------------------


def test_proposing_tells_both_people_and_marks_the_request(
    proposal, req, mentor, mentee
):
    req.refresh_from_db()
    assert req.status == MentoringRequest.Status.PROPOSED
    assert _kinds(mentor) == ["mentoring.proposed"]
    assert _kinds(mentee) == ["mentoring.proposed"]


def test_only_open_requests_take_a_proposal(proposal, req, broker):
    other = UserFactory()
    MentorOfferFactory(user=other)
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.match_propose(req=req, mentor=other, acting_user=broker)


def test_nobody_mentors_themselves(req, broker, mentee):
    MentorOfferFactory(user=mentee)
    with pytest.raises(ValidationError, match="themselves"):
        services.match_propose(req=req, mentor=mentee, acting_user=broker)


def test_both_accepting_makes_the_pair_active(active, req, mentor, mentee, broker):
    req.refresh_from_db()
    assert active.status == Pair.Status.ACTIVE and active.started_at
    assert req.status == MentoringRequest.Status.MATCHED and req.matched_at
    assert "mentoring.active" in _kinds(broker)
    assert "mentoring.accepted" in _kinds(mentee)  # the mentor accepted first
    assert "mentoring.active" in _kinds(mentor)


def test_accepting_twice_is_harmless(proposal, mentor):
    services.pair_accept(pair=proposal, acting_user=mentor)
    first = Pair.objects.get(pk=proposal.pk).mentor_accepted_at
    services.pair_accept(pair=proposal, acting_user=mentor)
    assert Pair.objects.get(pk=proposal.pk).mentor_accepted_at == first
    assert Pair.objects.get(pk=proposal.pk).status == Pair.Status.PROPOSED


def test_a_decline_reopens_the_request_and_blocks_accepting(
    proposal, req, mentor, mentee, broker
):
    services.pair_decline(pair=proposal, acting_user=mentor, reason="Too busy")
    req.refresh_from_db()
    assert req.status == MentoringRequest.Status.OPEN
    assert "mentoring.declined" in _kinds(mentee)
    assert "mentoring.declined" in _kinds(broker)
    with pytest.raises(ValidationError, match="can no longer be accepted"):
        services.pair_accept(pair=proposal, acting_user=mentee)
    services.pair_decline(pair=proposal, acting_user=mentor)  # a second click: no error
    # ...and the request can be proposed to someone else.
    other = UserFactory()
    MentorOfferFactory(user=other)
    assert services.match_propose(req=req, mentor=other, acting_user=broker).is_proposed


def test_outsiders_cannot_accept_or_decline(proposal):
    outsider = UserFactory()
    with pytest.raises(ValidationError):
        services.pair_accept(pair=proposal, acting_user=outsider)
    with pytest.raises(ValidationError):
        services.pair_decline(pair=proposal, acting_user=outsider)


def test_withdrawing_declines_the_open_proposal(proposal, req, mentee, mentor):
    services.request_withdraw(req=req, acting_user=mentee)
    proposal.refresh_from_db()
    assert proposal.status == Pair.Status.DECLINED
    assert "mentoring.withdrawn" in _kinds(mentor)
    services.request_withdraw(req=req, acting_user=mentee)  # twice: harmless


def test_a_matched_request_cannot_be_withdrawn(active, req, mentee):
    with pytest.raises(ValidationError):
        services.request_withdraw(req=req, acting_user=mentee)


def test_declining_an_active_pair_is_refused(active, mentee):
    with pytest.raises(ValidationError):
        services.pair_decline(pair=active, acting_user=mentee)


# --- Goals, check-ins, ending ---------------------------------------------------


def test_checkins_update_the_pair_and_tell_the_other_person(active, mentee, mentor):
    services.checkin_add(
        pair=active,
        acting_user=mentee,
        on=timezone.localdate(),
        notes="Good",
        progress=30,
    )
    active.refresh_from_db()
    assert active.last_checkin_at is not None
    assert "mentoring.checkin" in _kinds(mentor)


def test_the_same_checkin_submitted_twice_is_saved_once(active, mentee):
    for _ in range(2):
        services.checkin_add(
            pair=active,
            acting_user=mentee,
            on=timezone.localdate(),
            notes="Hi",
            progress=5,
        )
    assert CheckIn.objects.filter(pair=active).count() == 1


def test_no_checkin_in_the_future_or_out_of_range(active, mentee):
    with pytest.raises(ValidationError):
        services.checkin_add(
            pair=active,
            acting_user=mentee,
            on=timezone.localdate() + timedelta(days=1),
            notes="x",
            progress=5,
        )
    with pytest.raises(ValidationError):
        services.checkin_add(
            pair=active,
            acting_user=mentee,
            on=timezone.localdate(),
            notes="x",
            progress=101,
        )


def test_no_checkin_or_goal_on_a_closed_pair(active, mentee):
    services.pair_close(pair=active, acting_user=mentee, reason="Moved teams")
    with pytest.raises(ValidationError, match="not active"):
        services.checkin_add(
            pair=active,
            acting_user=mentee,
            on=timezone.localdate(),
            notes="x",
            progress=5,
        )
    with pytest.raises(ValidationError, match="not active"):
        services.goal_add(pair=active, acting_user=mentee, text="More")
    assert not CheckIn.objects.filter(pair=active).exists()


def test_no_checkin_on_a_proposal(proposal, mentee):
    with pytest.raises(ValidationError):
        services.checkin_add(
            pair=proposal,
            acting_user=mentee,
            on=timezone.localdate(),
            notes="x",
            progress=5,
        )


def test_goals_checklist(active, mentee):
    goal = services.goal_add(pair=active, acting_user=mentee, text="Run a handover")
    assert (
        services.goal_add(pair=active, acting_user=mentee, text="Run a handover")
        == goal
    )
    services.goal_set_done(goal=goal, acting_user=mentee, done=True)
    goal.refresh_from_db()
    assert goal.done and goal.done_at
    services.goal_set_done(goal=goal, acting_user=mentee, done=False)
    goal.refresh_from_db()
    assert not goal.done and goal.done_at is None
    assert Goal.objects.filter(pair=active).count() == 1


def test_closing_early_needs_a_reason_and_happens_once(active, mentor, mentee):
    with pytest.raises(ValidationError):
        services.pair_close(pair=active, acting_user=mentor, reason="  ")
    services.pair_close(pair=active, acting_user=mentor, reason="New job")
    services.pair_close(pair=active, acting_user=mentor, reason="New job")
    active.refresh_from_db()
    assert active.status == Pair.Status.CLOSED and active.closed_reason == "New job"
    assert _kinds(mentee).count("mentoring.closed") == 1
    with pytest.raises(ValidationError):
        services.pair_complete(pair=active, acting_user=mentor)


def test_completing_twice_is_harmless(active, mentor):
    services.pair_complete(pair=active, acting_user=mentor)
    services.pair_complete(pair=active, acting_user=mentor)
    active.refresh_from_db()
    assert active.status == Pair.Status.COMPLETED


# --- Feedback ---------------------------------------------------------------------


def test_feedback_only_after_the_pair_ends_and_once_per_person(active, mentee):
    with pytest.raises(ValidationError, match="ended"):
        services.feedback_give(pair=active, acting_user=mentee, rating=5, learned="x")
    services.pair_complete(pair=active, acting_user=mentee)
    first = services.feedback_give(
        pair=active, acting_user=mentee, rating=5, learned="A"
    )
    again = services.feedback_give(
        pair=active, acting_user=mentee, rating=1, learned="B"
    )
    assert first == again
    assert Feedback.objects.filter(pair=active).count() == 1


def test_feedback_rating_must_be_1_to_5(active, mentee):
    services.pair_complete(pair=active, acting_user=mentee)
    with pytest.raises(ValidationError):
        services.feedback_give(pair=active, acting_user=mentee, rating=6, learned="x")


def test_feedback_can_publish_a_story_where_the_author_is_active(active, mentee):
    services.pair_complete(pair=active, acting_user=mentee)
    community = MembershipFactory(user=mentee).community
    feedback = services.feedback_give(
        pair=active, acting_user=mentee, rating=4, learned="Ask before answering.",
        publish_in=community,
    )  # fmt: skip
    item = feedback.published_item
    assert item.kind == ItemKind.STORY and item.community == community
    assert item.author == mentee and item.body == "Ask before answering."
    assert list(item.tags.names()) == ["onboarding"]


def test_feedback_cannot_publish_where_the_author_is_not_active(active, mentee):
    services.pair_complete(pair=active, acting_user=mentee)
    elsewhere = CommunityFactory()
    with pytest.raises(ValidationError):
        services.feedback_give(
            pair=active, acting_user=mentee, rating=4, learned="x", publish_in=elsewhere
        )
    assert not Item.objects.exists() and not Feedback.objects.exists()


# --- Reminders --------------------------------------------------------------------


def _quiet_pair(days, checkin_days=None, broker=True):
    now = timezone.now()
    pair = PairFactory(active=True, started_at=now - timedelta(days=days))
    if not broker:
        pair.broker = None
    if checkin_days is not None:
        pair.last_checkin_at = now - timedelta(days=checkin_days)
    pair.save()
    return pair


def test_reminder_job_reminds_quiet_pairs_once_however_often_it_runs():
    quiet = _quiet_pair(30)
    _quiet_pair(30, checkin_days=3)  # checked in recently
    send_checkin_reminders.delay()
    send_checkin_reminders.delay()
    reminders = Notification.objects.filter(kind="mentoring.checkin_reminder")
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(
        [quiet.mentor_id, quiet.mentee_id]
    )
    assert ReminderLog.objects.count() == 1


def test_a_long_silence_is_reminded_again_each_stretch():
    pair = _quiet_pair(30)
    services.reminders_send()
    services.reminders_send(now=timezone.now() + timedelta(days=21))
    assert (
        Notification.objects.filter(
            kind="mentoring.checkin_reminder", recipient=pair.mentee
        ).count()
        == 2
    )


def test_the_broker_hears_once_about_an_idle_pair():
    idle = _quiet_pair(61)
    _quiet_pair(40)
    assert services.reminders_send()["idle"] == 1
    assert services.reminders_send()["idle"] == 0
    assert list(
        Notification.objects.filter(kind="mentoring.idle").values_list(
            "recipient_id", flat=True
        )
    ) == [idle.broker_id]


def test_reminder_days_are_configurable(settings):
    settings.MENTORING_REMINDER_DAYS = 7
    settings.MENTORING_IDLE_DAYS = 10
    _quiet_pair(11)
    assert services.reminders_send() == {"checkin": 1, "idle": 1}


def test_ended_pairs_get_no_reminders():
    pair = _quiet_pair(90)
    pair.status = Pair.Status.COMPLETED
    pair.save()
    assert services.reminders_send() == {"checkin": 0, "idle": 0}
