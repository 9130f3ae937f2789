"""Adoption follow-through: "we adopted this" schedules check-ins at 30 and
90 days; a daily job tells the adopter once, on the day one falls due; the
adopter (or a steward of the adopting community) answers kept, adapted
(how; optionally a linked variant) or dropped (why)."""

from datetime import UTC, datetime, timedelta

import pytest

from knowledge import adoptions, services
from knowledge.models import AdoptionCheckIn, Item
from knowledge.tasks import adoption_checkins_notify
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.clock import Clock
from tests.knowledge.roles import READERS, ROLES, build_world
from tests.members.factories import UserFactory

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHECKIN_PAGE_QUERIES = 8
# Session, member, item, membership, the page's facts (one query: the viewer's
# mark and follow, related ids, whether files, adoptions or shares exist),
# replies, adoptions, unread notifications.
ITEM_PAGE_QUERIES = 8


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, START)


def _adopt(world, community, *, by=None, item=None):
    return services.adoption_record(
        item=item or world.open_item,
        community=community,
        acting_user=by or world.author,
        note="We run it on the night shift.",
    )


def _told(user):
    return Notification.objects.filter(
        recipient=user, kind="knowledge.adoption_checkin"
    )


def test_adopting_schedules_check_ins_at_30_and_90_days(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)

    adoption = _adopt(world, painters)

    assert [(c.day, c.due_on) for c in adoption.checkins.order_by("day")] == [
        (30, START.date() + timedelta(days=30)),
        (90, START.date() + timedelta(days=90)),
    ]


def test_the_adopter_is_told_exactly_once_on_the_day_each_falls_due(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    adopter = UserFactory(display_name="Ada Adopter")
    MembershipFactory(user=adopter, community=painters)
    adoption = _adopt(world, painters, by=adopter)

    clock.day(29, START)
    assert adoptions.adoption_checkins_notify() == 0
    clock.day(30, START)
    assert adoption_checkins_notify.delay().get() == 1
    assert adoption_checkins_notify.delay().get() == 0  # same day again
    clock.day(31, START)
    assert adoptions.adoption_checkins_notify() == 0
    clock.day(89, START)
    assert adoptions.adoption_checkins_notify() == 0
    clock.day(90, START)
    assert adoptions.adoption_checkins_notify() == 1
    clock.day(200, START)
    assert adoptions.adoption_checkins_notify() == 0

    told = list(_told(adopter).order_by("pk"))
    assert [n.url for n in told] == [
        adoption.checkins.get(day=30).get_absolute_url(),
        adoption.checkins.get(day=90).get_absolute_url(),
    ]
    assert "30 days ago Painters adopted “Open story”: did it last?" in (
        told[0].message
    )


def test_a_job_that_missed_a_day_tells_late_but_still_once(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    _adopt(world, painters)

    clock.day(33, START)
    assert adoptions.adoption_checkins_notify() == 1
    assert adoptions.adoption_checkins_notify() == 0


def test_an_answered_check_in_is_not_announced(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    adoption = _adopt(world, painters)
    clock.day(30, START)
    adoptions.adoption_checkin_answer(
        checkin=adoption.checkins.get(day=30), acting_user=world.author, answer="kept"
    )
    # The 90-day one, answered early by someone on the day it fell due.
    clock.day(90, START)
    adoptions.adoption_checkin_answer(
        checkin=adoption.checkins.get(day=90), acting_user=world.author, answer="kept"
    )

    assert adoptions.adoption_checkins_notify() == 0


def test_someone_who_left_a_private_adopting_community_is_not_told(db, clock):
    world = build_world()
    adoption = _adopt(world, world.private)
    world.private.memberships.filter(user=world.author).update(status="left")

    clock.day(30, START)
    assert adoptions.adoption_checkins_notify() == 0
    assert adoption.checkins.get(day=30).notified_at is not None  # claimed


def test_answers_are_kept_adapted_with_a_variant_or_dropped(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    adoption = _adopt(world, painters)
    clock.day(30, START)

    checkin = adoptions.adoption_checkin_answer(
        checkin=adoption.checkins.get(day=30),
        acting_user=world.author,
        answer="adapted",
        note="We do it weekly, not daily.",
        publish_variant=True,
    )

    variant = checkin.variant
    assert variant.community == painters
    assert variant.title == "Open story (our variant)"
    assert "We do it weekly, not daily." in variant.body
    assert world.open_item.get_absolute_url() in variant.body_html
    assert variant.activity == world.open_item.activity
    assert variant.tag_list == ["welding"]  # the original's tags travel


def test_a_private_origin_never_lends_its_title_to_a_variant(db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    adoption = _adopt(world, painters, item=world.private_item)
    clock.day(30, START)

    with pytest.raises(Exception) as error:
        adoptions.adoption_checkin_answer(
            checkin=adoption.checkins.get(day=30),
            acting_user=world.author,
            answer="adapted",
            note="Shorter.",
            publish_variant=True,
        )
    assert "variant_title" in error.value.message_dict
    assert not Item.objects.filter(community=painters).exists()


def test_bad_answers_get_a_message_and_keep_what_was_typed(client, db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    checkin = _adopt(world, painters).checkins.get(day=30)
    clock.day(30, START)
    client.force_login(world.author)

    page = client.post(
        checkin.get_absolute_url(), {"answer": "dropped", "variant_title": "Mine"}
    )

    assert page.status_code == 200
    assert "Say why you dropped it" in page.content.decode()
    assert 'value="Mine"' in page.content.decode()
    malformed = client.post(checkin.get_absolute_url(), {"answer": "maybe"})
    assert malformed.status_code == 200
    checkin.refresh_from_db()
    assert checkin.answer == ""


def test_a_check_in_is_answered_once_and_not_before_it_is_due(client, db, clock):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    checkin = _adopt(world, painters).checkins.get(day=30)

    clock.day(29, START)
    client.force_login(world.author)  # sessions expire by the frozen clock
    assert (
        client.post(checkin.get_absolute_url(), {"answer": "kept"}).status_code == 403
    )
    clock.day(30, START)
    client.force_login(world.author)
    assert (
        client.post(checkin.get_absolute_url(), {"answer": "kept"}).status_code == 302
    )
    again = client.post(
        checkin.get_absolute_url(), {"answer": "dropped", "note": "No."}
    )
    assert again.status_code == 403
    checkin.refresh_from_db()
    assert checkin.answer == "kept"


# Who sees a check-in of an adoption by the open or the private community:
# whoever may read both the adopting community and the item.
@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_check_in_page_permission_table(client, db, clock, role, where):
    world = build_world()
    if where == "open":
        adopting = CommunityFactory(name="Painters")
        MembershipFactory(user=world.author, community=adopting)
    else:
        adopting = world.private
    checkin = _adopt(world, adopting).checkins.get(day=30)
    world.login(client, role)

    assert client.get(checkin.get_absolute_url()).status_code == READERS[where][role]


# Who may answer a due check-in of the private community's adoption: the
# member who recorded it (the author here), a steward of that community,
# staff; a plain member of it may read but not answer.
ANSWER = {
    "anonymous": 302,
    "outsider": 404,
    "member": 404,
    "private_member": 403,
    "steward": 302,
    "manager": 404,
    "staff": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_answer_permission_table(client, db, clock, role):
    world = build_world()
    checkin = _adopt(world, world.private).checkins.get(day=30)
    clock.day(30, START)
    world.login(client, role)

    response = client.post(checkin.get_absolute_url(), {"answer": "kept"})

    assert response.status_code == ANSWER[role]
    checkin.refresh_from_db()
    answered = role in ("steward", "staff")
    assert (checkin.answer == "kept") is answered
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_the_recorder_answers_and_the_item_page_shows_the_outcome(client, db, clock):
    world = build_world()
    checkin = _adopt(world, world.private).checkins.get(day=30)
    clock.day(30, START)
    client.force_login(world.author)

    assert (
        client.post(checkin.get_absolute_url(), {"answer": "kept"}).status_code == 302
    )
    page = client.get(world.open_item.get_absolute_url())

    assert "kept it" in page.content.decode()


@pytest.mark.parametrize("others", [1, 6])
def test_check_in_page_queries_do_not_grow(
    client, db, clock, others, django_assert_num_queries
):
    world = build_world()
    painters = CommunityFactory(name="Painters")
    MembershipFactory(user=world.author, community=painters)
    checkin = _adopt(world, painters).checkins.get(day=30)
    for n in range(others):
        community = CommunityFactory(name=f"Other {n}")
        MembershipFactory(user=world.author, community=community)
        _adopt(world, community)
    clock.day(30, START)
    client.force_login(world.author)

    with django_assert_num_queries(CHECKIN_PAGE_QUERIES):
        response = client.get(checkin.get_absolute_url())
    assert response.status_code == 200
    assert AdoptionCheckIn.objects.count() == 2 * (others + 1)


@pytest.mark.parametrize("adopters", [1, 6])
def test_item_page_with_adoption_outcomes_queries_do_not_grow(
    client, db, clock, adopters, django_assert_num_queries
):
    """Each adoption's outcome and check-in link come with the adoptions
    (subqueries): no query per adoption."""
    world = build_world()
    for n in range(adopters):
        community = CommunityFactory(name=f"Adopter {n}")
        MembershipFactory(user=world.author, community=community)
        checkin = _adopt(world, community).checkins.get(day=30)
        checkin.answer = "kept"
        checkin.save()
    client.force_login(world.people["member"])
    url = world.open_item.get_absolute_url()
    client.get(url)  # the first visit ticks the newcomer's "read" step

    with django_assert_num_queries(ITEM_PAGE_QUERIES):
        page = client.get(url)
    assert page.content.decode().count("kept it") == adopters
