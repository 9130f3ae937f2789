"""Mentoring pages end to end: who may see and do what, bad input, query
counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services as members_services
from members.models import LeadershipRole
from mentoring import services
from mentoring.models import (
    CheckIn,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory
from tests.members.factories import UserFactory

from .factories import (
    CheckInFactory,
    GoalFactory,
    MentoringRequestFactory,
    MentorOfferFactory,
    PairFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "member",
    "mentee",
    "mentor",
    "broker",
    "other_manager",
    "networker",
    "staff",
]


class World:
    def __init__(self):
        self.mentee = UserFactory(display_name="Mona Mentee")
        self.mentor = UserFactory(display_name="Max Mentor", expertise=["lean"])
        MentorOfferFactory(user=self.mentor, topics=["lean"], capacity=3)
        self.broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
        self.users = {
            "member": UserFactory(),
            "mentee": self.mentee,
            "mentor": self.mentor,
            "broker": self.broker,
            "other_manager": UserFactory(leadership_role=LeadershipRole.EXECUTIVE),
            "networker": UserFactory(leadership_role=LeadershipRole.NETWORKER),
            "staff": UserFactory(is_staff=True),
        }
        self.req = services.request_create(
            acting_user=self.mentee,
            topics=["lean"],
            goals="Learn lean.",
            format="mentoring",
        )

    def propose(self):
        return services.match_propose(
            req=self.req, mentor=self.mentor, acting_user=self.broker
        )

    def activate(self):
        pair = self.propose()
        services.pair_accept(pair=pair, acting_user=self.mentor)
        return services.pair_accept(pair=pair, acting_user=self.mentee)

    def complete(self):
        pair = self.activate()
        return services.pair_complete(pair=pair, acting_user=self.mentor)


@pytest.fixture
def world(db):
    return World()


def _as(client, world, who):
    if who != "anonymous":
        client.force_login(world.users[who])
    return client


def _is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def _check(response, expected):
    if expected == "login":
        assert _is_login_redirect(response)
    else:
        assert response.status_code == expected, response.status_code


# --- Who may see each page ----------------------------------------------------------

EVERY_MEMBER = dict.fromkeys(ROLES[1:], 200) | {"anonymous": "login"}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", ["mentoring:home", "mentoring:mentors"])
def test_member_pages(client, world, who, name):
    _check(_as(client, world, who).get(reverse(name)), EVERY_MEMBER[who])


@pytest.mark.parametrize("who", ROLES)
def test_new_request_page(client, world, who):
    _check(
        _as(client, world, who).get(reverse("mentoring:request_new")),
        EVERY_MEMBER[who],
    )


BROKER_PAGE = {
    "anonymous": "login",
    "member": 403,
    "mentee": 403,
    "mentor": 403,
    "broker": 200,
    "other_manager": 200,
    "networker": 403,
    "staff": 200,
}


@pytest.mark.parametrize("who", ROLES)
def test_broker_console_is_for_managers(client, world, who):
    _check(_as(client, world, who).get(reverse("mentoring:broker")), BROKER_PAGE[who])


REQUEST_PAGE = {
    "anonymous": "login",
    "member": 404,
    "mentee": 200,
    "mentor": 200,  # it was proposed to them
    "broker": 200,
    "other_manager": 200,  # any manager may broker it
    "networker": 404,
    "staff": 200,
}


@pytest.mark.parametrize("who", ROLES)
def test_request_page(client, world, who):
    world.propose()
    response = _as(client, world, who).get(world.req.get_absolute_url())
    _check(response, REQUEST_PAGE[who])
    if response.status_code == 200:
        assert "Learn lean." in response.content.decode()


def test_a_mentor_not_involved_cannot_see_a_request(client, world):
    client.force_login(world.mentor)
    assert client.get(world.req.get_absolute_url()).status_code == 404


PAIR_PAGE = {
    "anonymous": "login",
    "member": 404,
    "mentee": 200,
    "mentor": 200,
    "broker": 200,
    "other_manager": 404,
    "networker": 404,
    "staff": 200,
}


@pytest.mark.parametrize("who", ROLES)
def test_pair_page_is_for_the_two_their_broker_and_staff(client, world, who):
    pair = world.activate()
    CheckInFactory(pair=pair, notes="Secret check-in notes")
    GoalFactory(pair=pair, text="Private goal")
    response = _as(client, world, who).get(pair.get_absolute_url())
    _check(response, PAIR_PAGE[who])
    if response.status_code == 200:
        body = response.content.decode()
        assert "Secret check-in notes" in body and "Private goal" in body


# --- Who may do each action -----------------------------------------------------------

RESPOND = {
    "anonymous": "login",
    "member": 404,
    "mentee": 302,
    "mentor": 302,
    "broker": 403,
    "other_manager": 404,
    "networker": 404,
    "staff": 403,
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("action", ["mentoring:pair_accept", "mentoring:pair_decline"])
def test_accept_and_decline_are_for_the_two_people(client, world, who, action):
    pair = world.propose()
    response = _as(client, world, who).post(
        reverse(action, args=[pair.pk]), {"confirmed": "yes"}
    )
    _check(response, RESPOND[who])
    pair.refresh_from_db()
    changed = (
        pair.mentor_accepted_at is not None
        or pair.mentee_accepted_at is not None
        or pair.status == Pair.Status.DECLINED
    )
    assert changed == (RESPOND[who] == 302)


WORK = RESPOND  # goals and check-ins: the two people only


@pytest.mark.parametrize("who", ROLES)
def test_checkins_are_for_the_two_people(client, world, who):
    pair = world.activate()
    data = {"date": timezone.localdate().isoformat(), "progress": 50, "notes": "Met"}
    response = _as(client, world, who).post(
        reverse("mentoring:checkin_add", args=[pair.pk]), data
    )
    _check(response, WORK[who])
    assert CheckIn.objects.filter(pair=pair).exists() == (WORK[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_goals_are_for_the_two_people(client, world, who):
    pair = world.activate()
    client = _as(client, world, who)
    response = client.post(
        reverse("mentoring:goal_add", args=[pair.pk]), {"text": "Lead a kaizen"}
    )
    _check(response, WORK[who])
    assert Goal.objects.filter(pair=pair).exists() == (WORK[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_goal_toggle_is_for_the_two_people(client, world, who):
    pair = world.activate()
    goal = GoalFactory(pair=pair)
    response = _as(client, world, who).post(
        reverse("mentoring:goal_toggle", args=[pair.pk, goal.pk]), {"done": "1"}
    )
    _check(response, WORK[who])
    goal.refresh_from_db()
    assert goal.done == (WORK[who] == 302)


END = RESPOND | {"broker": 302}


@pytest.mark.parametrize("who", ROLES)
def test_completing_is_for_the_two_people_and_the_broker(client, world, who):
    pair = world.activate()
    response = _as(client, world, who).post(
        reverse("mentoring:pair_complete", args=[pair.pk])
    )
    _check(response, END[who])
    pair.refresh_from_db()
    assert (pair.status == Pair.Status.COMPLETED) == (END[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_closing_early_is_for_the_two_people_and_the_broker(client, world, who):
    pair = world.activate()
    response = _as(client, world, who).post(
        reverse("mentoring:pair_close", args=[pair.pk]),
        {"reason": "Reorg", "confirmed": "yes"},
    )
    _check(response, END[who])
    pair.refresh_from_db()
    assert (pair.status == Pair.Status.CLOSED) == (END[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_feedback_is_for_the_two_people(client, world, who):
    pair = world.complete()
    response = _as(client, world, who).post(
        reverse("mentoring:feedback", args=[pair.pk]),
        {"rating": "5", "learned": "Plenty"},
    )
    _check(response, WORK[who])
    assert Feedback.objects.filter(pair=pair).exists() == (WORK[who] == 302)


PROPOSE = {
    "anonymous": "login",
    "member": 403,
    "mentee": 403,
    "mentor": 403,
    "broker": 302,
    "other_manager": 302,
    "networker": 403,
    "staff": 302,
}


@pytest.mark.parametrize("who", ROLES)
def test_proposing_is_for_managers(client, world, who):
    response = _as(client, world, who).post(
        reverse("mentoring:propose", args=[world.req.pk]),
        {"mentor": world.mentor.username, "note": "You two"},
    )
    _check(response, PROPOSE[who])
    assert Pair.objects.filter(request=world.req).exists() == (PROPOSE[who] == 302)


WITHDRAW = {
    "anonymous": "login",
    "member": 404,
    "mentee": 302,
    "mentor": 404,
    "broker": 403,
    "other_manager": 403,
    "networker": 404,
    "staff": 403,
}


@pytest.mark.parametrize("who", ROLES)
def test_only_the_mentee_withdraws(client, world, who):
    response = _as(client, world, who).post(
        reverse("mentoring:request_withdraw", args=[world.req.pk]),
        {"confirmed": "yes"},
    )
    _check(response, WITHDRAW[who])
    world.req.refresh_from_db()
    withdrawn = world.req.status == MentoringRequest.Status.WITHDRAWN
    assert withdrawn == (WITHDRAW[who] == 302)


@pytest.mark.parametrize("who", ROLES)
def test_every_member_may_offer_to_mentor(client, world, who):
    response = _as(client, world, who).post(
        reverse("mentoring:offer"),
        {
            "available": "on",
            "capacity": 2,
            "topics": "coaching",
            "formats": "mentoring",
        },
    )
    _check(response, 302 if who != "anonymous" else "login")


@pytest.mark.parametrize(
    "name", ["mentoring:pair_accept", "mentoring:checkin_add", "mentoring:pair_close"]
)
def test_actions_refuse_get(client, world, name):
    pair = world.activate()
    client.force_login(world.mentee)
    assert client.get(reverse(name, args=[pair.pk])).status_code == 405


# --- Flows and bad input -------------------------------------------------------------


def test_asking_a_mentor_directly_from_the_mentors_page(client, world):
    asker = world.users["member"]
    client.force_login(asker)
    page = client.get(reverse("mentoring:mentors") + "?topic=lean")
    assert world.mentor.display_name in page.content.decode()
    url = reverse("mentoring:request_new") + f"?mentor={world.mentor.username}"
    assert "Ask Max Mentor to mentor you" in client.get(url).content.decode()
    response = client.post(
        url,
        {"topics": "lean", "goals": "Help", "format": "mentoring"},
    )
    req = MentoringRequest.objects.get(mentee=asker)
    assert (
        response.status_code == 302 and response["Location"] == req.get_absolute_url()
    )
    assert req.requested_mentor == world.mentor
    assert req.pairs.get().mentor == world.mentor


def test_asking_yourself_or_nobody_is_404(client, world):
    client.force_login(world.mentor)
    new = reverse("mentoring:request_new")
    assert client.get(f"{new}?mentor={world.mentor.username}").status_code == 404
    assert client.get(f"{new}?mentor=no-such-person").status_code == 404


def test_a_request_without_topics_shows_an_error_and_keeps_the_goals(client, member):
    client.force_login(member)
    response = client.post(
        reverse("mentoring:request_new"),
        {"topics": "", "goals": "My typed goals", "format": "mentoring"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Name at least one topic." in body and "My typed goals" in body
    assert not MentoringRequest.objects.exists()


def test_asking_a_full_mentor_is_a_form_error(client, world):
    offer = world.mentor.mentor_offer
    offer.capacity = 1
    offer.save()
    world.activate()
    client.force_login(world.users["member"])
    response = client.post(
        reverse("mentoring:request_new") + f"?mentor={world.mentor.username}",
        {"topics": "lean", "goals": "Kept goals", "format": "mentoring"},
    )
    assert response.status_code == 200
    assert "has no room" in response.content.decode()
    assert "Kept goals" in response.content.decode()


def test_a_bad_checkin_is_a_form_error_with_values_kept(client, world):
    pair = world.activate()
    client.force_login(world.mentee)
    response = client.post(
        reverse("mentoring:checkin_add", args=[pair.pk]),
        {"date": timezone.localdate().isoformat(), "progress": 150, "notes": "Kept"},
    )
    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert "Kept" in response.content.decode()
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        reverse("mentoring:checkin_add", args=[pair.pk]),
        {"date": future, "progress": 10, "notes": "x"},
    )
    assert "cannot be in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_checkin_on_a_closed_pair_is_refused_with_a_message(client, world):
    pair = world.activate()
    services.pair_close(pair=pair, acting_user=world.mentor, reason="Done early")
    client.force_login(world.mentee)
    response = client.post(
        reverse("mentoring:checkin_add", args=[pair.pk]),
        {"date": timezone.localdate().isoformat(), "progress": 10, "notes": "x"},
        follow=True,
    )
    assert "not active" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_accept_after_decline_is_refused_with_a_message(client, world):
    pair = world.propose()
    services.pair_decline(pair=pair, acting_user=world.mentor)
    client.force_login(world.mentee)
    response = client.post(
        reverse("mentoring:pair_accept", args=[pair.pk]), follow=True
    )
    assert "can no longer be accepted" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DECLINED


def test_double_submitting_accept_is_harmless(client, world):
    pair = world.propose()
    client.force_login(world.mentor)
    url = reverse("mentoring:pair_accept", args=[pair.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    pair.refresh_from_db()
    assert pair.mentor_accepted_at and pair.status == Pair.Status.PROPOSED


def test_proposing_an_unknown_person_is_a_form_error(client, world):
    client.force_login(world.broker)
    response = client.post(
        reverse("mentoring:propose", args=[world.req.pk]),
        {"other": "nobody@example.com", "note": "Typed note"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "No active member has that username" in body and "Typed note" in body


def test_proposing_from_the_console_returns_to_it(client, world):
    client.force_login(world.broker)
    console = reverse("mentoring:broker")
    page = client.get(console).content.decode()
    assert "Mona Mentee" in page and "Max Mentor" in page
    response = client.post(
        reverse("mentoring:propose", args=[world.req.pk]),
        {"mentor": world.mentor.username, "next": console},
    )
    assert response["Location"] == console
    assert "No open requests" in client.get(console).content.decode()


def test_an_offsite_next_is_ignored(client, world):
    client.force_login(world.broker)
    response = client.post(
        reverse("mentoring:propose", args=[world.req.pk]),
        {"mentor": world.mentor.username, "next": "https://evil.example/"},
    )
    assert response["Location"] == world.req.get_absolute_url()


def test_offer_form_errors_keep_values(client, member):
    client.force_login(member)
    response = client.post(
        reverse("mentoring:offer"), {"capacity": 0, "topics": "typed-topic"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose at least one format." in body and "typed-topic" in body
    assert not MentorOffer.objects.exists()


def test_feedback_can_publish_a_story_from_the_pair_page(client, world):
    pair = world.complete()
    community = MembershipFactory(user=world.mentee).community
    client.force_login(world.mentee)
    page = client.get(pair.get_absolute_url()).content.decode()
    assert community.name in page
    client.post(
        reverse("mentoring:feedback", args=[pair.pk]),
        {"rating": "4", "learned": "Listen first", "publish_in": community.pk},
    )
    feedback = Feedback.objects.get()
    assert feedback.published_item.community == community


def test_feedback_cannot_pick_a_community_the_author_is_not_in(client, world):
    pair = world.complete()
    elsewhere = CommunityFactory()
    client.force_login(world.mentee)
    response = client.post(
        reverse("mentoring:feedback", args=[pair.pk]),
        {"rating": "4", "learned": "Kept text", "publish_in": elsewhere.pk},
    )
    assert response.status_code == 200
    assert "Kept text" in response.content.decode()
    assert not Feedback.objects.exists()


def test_home_panel_shows_pending_proposals_and_active_pairs(client, world):
    pair = world.propose()
    client.force_login(world.mentor)
    body = client.get(reverse("home")).content.decode()
    assert "Waiting for your answer" in body and pair.get_absolute_url() in body
    services.pair_accept(pair=pair, acting_user=world.mentor)
    services.pair_accept(pair=pair, acting_user=world.mentee)
    body = client.get(reverse("home")).content.decode()
    assert "Your active pairs" in body and "Mentoring Mona Mentee" in body


def test_home_panel_is_absent_with_nothing_to_show(client, member):
    client.force_login(member)
    assert "mentoring-panel-title" not in client.get(reverse("home")).content.decode()


def test_home_panel_follows_every_change_at_once(client, world, own_cache):
    """The panel is cached per member (mentoring.home): a proposal, an
    acceptance, a check-in, a rename and a broker's open count each show at
    the next view."""
    client.force_login(world.mentor)
    assert "mentoring-panel-title" not in client.get(reverse("home")).content.decode()
    pair = world.propose()
    body = client.get(reverse("home")).content.decode()
    assert "Mentor Mona Mentee?" in body
    services.pair_accept(pair=pair, acting_user=world.mentor)
    services.pair_accept(pair=pair, acting_user=world.mentee)
    body = client.get(reverse("home")).content.decode()
    assert "Mentoring Mona Mentee" in body and "no check-in yet" in body
    services.checkin_add(
        pair=pair,
        acting_user=world.mentee,
        on=timezone.localdate(),
        notes="Went well.",
        progress=40,
    )
    body = client.get(reverse("home")).content.decode()
    assert "last check-in" in body and "no check-in yet" not in body
    members_services.profile_update(member=world.mentee, display_name="Mia Mentee")
    body = client.get(reverse("home")).content.decode()
    assert "Mentoring Mia Mentee" in body and "Mona" not in body
    services.pair_complete(pair=pair, acting_user=world.mentor)
    assert "Mentoring Mia" not in client.get(reverse("home")).content.decode()

    client.force_login(world.broker)
    assert "open mentoring request" not in client.get(reverse("home")).content.decode()
    services.request_create(
        acting_user=world.users["member"],
        topics=["lean"],
        goals="More.",
        format="mentoring",
    )
    assert "1 open mentoring request" in client.get(reverse("home")).content.decode()


def test_home_panel_is_never_another_members(client, world, own_cache):
    """Each member's panel is their own: the mentor's cached panel never
    reaches the mentee (same pair, other wording) or a bystander."""
    pair = world.activate()
    client.force_login(world.mentor)
    assert "Mentoring Mona Mentee" in client.get(reverse("home")).content.decode()
    client.force_login(world.mentee)
    body = client.get(reverse("home")).content.decode()
    assert "Mentored by Max Mentor" in body and "Mentoring Mona" not in body
    client.force_login(world.users["member"])
    body = client.get(reverse("home")).content.decode()
    assert "mentoring-panel-title" not in body and pair.get_absolute_url() not in body


def test_empty_states(client, member):
    client.force_login(member)
    body = client.get(reverse("mentoring:home")).content.decode()
    assert "No pairs yet" in body and "You have not asked for mentoring yet" in body
    body = client.get(reverse("mentoring:mentors")).content.decode()
    assert "No mentors have room right now" in body


# --- Query counts at two sizes ------------------------------------------------------


def _open_requests(n):
    for i in range(n):
        topic = f"t{i % 4}"
        mentee = UserFactory()
        MembershipFactory(user=mentee, community=CommunityFactory())
        MentoringRequestFactory(mentee=mentee, topics=[topic, "lean"])
        mentor = UserFactory(leadership_role=LeadershipRole.NETWORKER)
        MentorOfferFactory(user=mentor, topics=[topic])
        MembershipFactory(user=mentor, community=CommunityFactory())
        item = ItemFactory(author=mentor, tags=["lean"])
        HelpfulMarkFactory(item=item)


@pytest.mark.parametrize("n", [3, 25])
def test_broker_console_query_count_is_flat(
    client, n, django_assert_num_queries, own_cache
):
    _open_requests(n)
    broker = UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    client.force_login(broker)
    # Computed: the session, the broker, the page (count, ids), the
    # communities the broker sees (the cache key), the requests with their
    # topics, the suggestions' 7 queries, the unread count.
    with django_assert_num_queries(15):
        response = client.get(reverse("mentoring:broker"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("m-suggestion") >= min(n, 10)
    # From the cache (mentoring.console): the requests and suggestions are
    # not read again.
    with django_assert_num_queries(6):
        response = client.get(reverse("mentoring:broker"))
    assert response.content.decode().count("m-suggestion") == page.count("m-suggestion")


@pytest.mark.parametrize("n", [2, 30])
def test_mentoring_home_query_count_is_flat(client, n, django_assert_max_num_queries):
    me = UserFactory()
    MentorOfferFactory(user=me, topics=["lean"], capacity=10)
    for i in range(n):
        MentoringRequestFactory(mentee=me, topics=[f"x{i}"])
        PairFactory(mentor=me, status=Pair.Status.COMPLETED)
        PairFactory(request=MentoringRequestFactory(mentee=me), mentor=UserFactory())
    client.force_login(me)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("mentoring:home")).status_code == 200


@pytest.mark.parametrize("n", [2, 30])
def test_mentors_page_query_count_is_flat(client, n, django_assert_max_num_queries):
    for i in range(n):
        MentorOfferFactory(topics=["lean", f"x{i}"])
    client.force_login(UserFactory())
    with django_assert_max_num_queries(7):
        assert client.get(reverse("mentoring:mentors")).status_code == 200


@pytest.mark.parametrize("n", [1, 25])
def test_pair_page_query_count_is_flat(client, n, django_assert_max_num_queries):
    pair = PairFactory(active=True)
    for i in range(n):
        CheckInFactory(pair=pair, date=timezone.localdate() - timedelta(days=i))
        GoalFactory(pair=pair)
    client.force_login(pair.mentee)
    with django_assert_max_num_queries(14):
        assert client.get(pair.get_absolute_url()).status_code == 200


def test_the_mentors_topic_filter_reads_any_spelling(client):
    offer = MentorOfferFactory(
        topics=["shift-handover"], user__display_name="Hana Handover"
    )
    MentorOfferFactory(topics=["lean"], user__display_name="Leo Lean")
    client.force_login(UserFactory())
    body = client.get(reverse("mentoring:mentors"), {"topic": "Shift Handover"})
    html = body.content.decode()
    assert offer.user.display_name in html and "Leo Lean" not in html


# --- Asking before closing, declining or withdrawing ------------------------------


def test_closing_early_asks_first_and_names_the_pair(client, world):
    pair = world.activate()
    client.force_login(world.mentee)
    url = reverse("mentoring:pair_close", args=[pair.pk])
    response = client.post(url, {"reason": "Reorg"})
    html = response.content.decode()
    assert "Close the mentoring of Mona Mentee by Max Mentor early?" in html
    assert '<input type="hidden" name="reason" value="Reorg">' in html
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE
    client.post(url, {"reason": "Reorg", "confirmed": "yes"})
    pair.refresh_from_db()
    assert pair.status == Pair.Status.CLOSED


def test_declining_a_match_asks_first(client, world):
    pair = world.propose()
    client.force_login(world.mentor)
    response = client.post(reverse("mentoring:pair_decline", args=[pair.pk]))
    assert "Decline the match with Mona Mentee?" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status != Pair.Status.DECLINED


@pytest.mark.parametrize("who", ROLES)
def test_withdrawing_asks_first(client, world, who):
    response = _as(client, world, who).get(
        reverse("mentoring:request_withdraw", args=[world.req.pk])
    )
    expected = {**WITHDRAW, "mentee": 200}[who]
    _check(response, expected)
    world.req.refresh_from_db()
    assert world.req.status != MentoringRequest.Status.WITHDRAWN
