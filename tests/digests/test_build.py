"""Each digest section on a constructed week with a known answer."""

import datetime as dt
from unittest import mock

import pytest

from communities.models import Membership
from digests.build import digest_build, digest_content
from digests.models import Digest
from digests.periods import (
    parse_start,
    period_bounds,
    period_end,
    previous_start,
)
from knowledge.models import Item, ItemKind
from knowledge.services import reply_create
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import END, START, at
from tests.knowledge.factories import (
    AdoptionFactory,
    HelpfulMarkFactory,
    ItemFactory,
    ReplyFactory,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    """One community's week, every section with a known answer."""
    c = CommunityFactory(name="Platform Guild")
    veteran = UserFactory(display_name="Vera Veteran")
    newcomer = UserFactory(display_name="Nina Newcomer")
    returning = UserFactory(display_name="Ravi Returning")  # newcomer, not first
    expert = UserFactory(display_name="Eli Expert", expertise=["Kubernetes"])
    UserFactory(display_name="Omar Outsider", expertise=["kubernetes"])
    asker = UserFactory(display_name="Asha Asker", expertise=["kubernetes"])
    MembershipFactory(user=veteran, community=c, joined_at=at(-400))
    MembershipFactory(user=newcomer, community=c, joined_at=at(-10))
    MembershipFactory(user=returning, community=c, joined_at=at(-20))
    MembershipFactory(user=expert, community=c, joined_at=at(-300))
    MembershipFactory(user=asker, community=c, joined_at=at(-300))
    welcome_1 = MembershipFactory(community=c, joined_at=at(1), user__display_name="W1")
    welcome_2 = MembershipFactory(community=c, joined_at=at(5), user__display_name="W2")
    MembershipFactory(community=c, joined_at=at(-1))  # joined the week before
    MembershipFactory(community=c, pending=True)
    MembershipFactory(community=c, joined_at=at(2), status=Membership.Status.LEFT)

    story = ItemFactory(
        community=c,
        author=veteran,
        kind=ItemKind.STORY,
        title="Blue-green deploys",
        created_at=at(1),
        helpful_count=5,
        reply_count=1,
        tags=["remote"],
    )
    practice = ItemFactory(
        community=c,
        author=veteran,
        kind=ItemKind.PRACTICE,
        title="Runbook reviews",
        created_at=at(2),
        helpful_count=1,
        reply_count=3,
        tags=["remote"],
    )
    lesson = ItemFactory(
        community=c,
        author=newcomer,
        kind=ItemKind.LESSON,
        title="My first outage",
        created_at=at(3),
    )
    ItemFactory(community=c, author=returning, created_at=at(-5), title="Hello all")
    ItemFactory(
        community=c,
        author=returning,
        kind=ItemKind.PRACTICE,
        title="Pairing on-call",
        created_at=at(4),
        helpful_count=0,
        reply_count=1,
    )
    ItemFactory(
        community=c,
        author=veteran,
        created_at=at(2),
        hidden_at=at(3),
        title="Hidden story",
    )
    ItemFactory(community=c, author=veteran, created_at=at(7), title="Next week")
    ItemFactory(author=veteran, created_at=at(2), title="Elsewhere")
    # The week before: "onboarding" was busier, "remote" quieter.
    for n in range(3):
        ItemFactory(community=c, created_at=at(-3, n), tags=["onboarding"])
    ItemFactory(community=c, created_at=at(-2), tags=["remote"])
    ItemFactory(community=c, created_at=at(4), tags=["onboarding"], title="Onboarding")

    old_question = ItemFactory(
        community=c,
        author=asker,
        kind=ItemKind.QUESTION,
        title="Kubernetes quotas?",
        created_at=at(-30),
        tags=["kubernetes"],
    )
    new_question = ItemFactory(
        community=c,
        author=veteran,
        kind=ItemKind.QUESTION,
        title="Budget for tools?",
        created_at=at(2),
        tags=["budget"],
    )
    answered = ItemFactory(
        community=c,
        author=asker,
        kind=ItemKind.QUESTION,
        title="Which pager?",
        created_at=at(-9),
        first_reply_at=at(1, 3),
    )
    accepted = ReplyFactory(item=answered, author=expert, created_at=at(1, 3))
    answered.accepted_reply = accepted
    answered.save(update_fields=["accepted_reply"])
    settled = ItemFactory(
        community=c,
        kind=ItemKind.QUESTION,
        title="Answered long ago",
        created_at=at(-40),
        first_reply_at=at(-39),
    )
    settled.accepted_reply = ReplyFactory(item=settled, created_at=at(-39))
    settled.save(update_fields=["accepted_reply"])

    replier = UserFactory(display_name="Rita Replier")
    ReplyFactory(item=story, author=replier, created_at=at(1, 5))
    ReplyFactory(item=practice, author=replier, created_at=at(2, 5))
    ReplyFactory(item=practice, author=replier, created_at=at(2, 6), hidden_at=at(3))
    ReplyFactory(item=practice, author=replier, created_at=at(-1))
    marker = UserFactory(display_name="Mark Marker")
    HelpfulMarkFactory(item=story, user=marker, created_at=at(1, 1))

    secret = CommunityFactory(private=True, name="Secret Squad")
    open_other = CommunityFactory(name="Open Ops")
    AdoptionFactory(
        item=practice, community=secret, note="Private note", created_at=at(3)
    )
    AdoptionFactory(
        item=practice, community=open_other, note="Works for us", created_at=at(4)
    )
    AdoptionFactory(
        item=ItemFactory(
            community=secret, kind=ItemKind.PRACTICE, title="Secret sauce"
        ),
        community=c,
        note="We use it",
        created_at=at(5),
    )
    AdoptionFactory(
        item=ItemFactory(
            community=open_other, kind=ItemKind.PRACTICE, title="Chaos day"
        ),
        community=c,
        created_at=at(6),
    )
    AdoptionFactory(item=story, community=open_other, created_at=at(-2))
    return {
        "community": c,
        "veteran": veteran,
        "newcomer": newcomer,
        "expert": expert,
        "story": story,
        "practice": practice,
        "lesson": lesson,
        "old_question": old_question,
        "new_question": new_question,
        "answered": answered,
        "welcome": [welcome_1, welcome_2],
        "replier": replier,
        "marker": marker,
        "returning": returning,
    }


@pytest.fixture
def content(week):
    return digest_content(community=week["community"], period="weekly", start=START)


def titles(entries):
    return [e["title"] for e in entries]


def test_new_items_ranked_by_helpful_marks_then_replies_then_newest(content):
    assert titles(content["new_items"]) == [
        "Blue-green deploys",
        "Runbook reviews",
        "Pairing on-call",
        "Onboarding",
        "My first outage",
    ]


def test_newcomers_first_contribution_is_surfaced_and_flagged(content):
    assert titles(content["newcomer_firsts"]) == ["My first outage"]
    flagged = [e["title"] for e in content["new_items"] if e["newcomer_first"]]
    assert flagged == ["My first outage"]


def test_newcomers_first_contributions_are_not_cut_by_the_top_list(week):
    for n in range(12):
        ItemFactory(
            community=week["community"], created_at=at(0, n), helpful_count=10 + n
        )
    content = digest_content(community=week["community"], period="weekly", start=START)
    assert len(content["new_items"]) == 10
    assert content["more_items"] == 7
    assert "My first outage" not in titles(content["new_items"])
    assert titles(content["newcomer_firsts"]) == ["My first outage"]


def test_questions_answered_in_the_period(content):
    assert titles(content["answered"]) == ["Which pager?"]
    assert content["answered"][0]["accepted"] is True


def test_open_questions_of_the_period_first_older_ones_still_waiting(content, week):
    """A question asked weeks ago never tops the digest: the period's open
    questions come first, older ones in a short list of their own."""
    assert titles(content["open_questions"]) == ["Budget for tools?"]
    assert titles(content["still_waiting"]) == ["Kubernetes quotas?"]
    oldest = content["still_waiting"][0]
    assert oldest["age_days"] == 37
    # The community's expert; not the asker, not a non-member with the tag.
    assert [p["name"] for p in oldest["who_could_answer"]] == ["Eli Expert"]
    assert oldest["who_could_answer"][0]["matching"] == ["kubernetes"]
    assert content["open_questions"][0]["who_could_answer"] == []


def test_open_questions_are_newest_first_and_still_waiting_is_short(week):
    from digests.build import STILL_WAITING

    community = week["community"]
    for day in range(1, 4):
        ItemFactory(community=community, kind=ItemKind.QUESTION, created_at=at(day, 5))
    for day in range(STILL_WAITING + 3):
        ItemFactory(
            community=community,
            kind=ItemKind.QUESTION,
            created_at=at(-100 - day),
            title=f"Old {day}",
        )
    content = digest_content(community=community, period="weekly", start=START)
    created = [q["created"] for q in content["open_questions"]]
    assert created == sorted(created, reverse=True) and len(created) == 4
    assert len(content["still_waiting"]) == STILL_WAITING
    assert content["still_waiting"][0]["title"] == "Kubernetes quotas?"
    assert content["still_waiting"][1]["title"] == "Old 0"


def test_rising_tags_compare_with_the_previous_period(content):
    # remote 2 (was 1) rises; onboarding 1 (was 3) does not.
    assert content["rising_tags"] == [
        {"name": "remote", "count": 2, "previous": 1},
        {"name": "budget", "count": 1, "previous": 0},
    ]


def test_new_members_to_welcome(content):
    assert [p["name"] for p in content["new_members"]] == ["W1", "W2"]


def test_adoptions_by_and_from_other_communities_hide_private_content(content):
    by_others = content["adoptions"]["by_others"]
    assert [(a["community"], a["item"]["title"], a["note"]) for a in by_others] == [
        ("Secret Squad", "Runbook reviews", ""),
        ("Open Ops", "Runbook reviews", "Works for us"),
    ]
    from_others = content["adoptions"]["from_others"]
    assert [(a["community"], a["item"]) for a in from_others] == [
        ("Secret Squad", None),
        ("Open Ops", {"id": from_others[1]["item"]["id"], "title": "Chaos day"}),
    ]
    assert "Secret sauce" not in str(content)
    assert "Private note" not in str(content)


def test_period_figures(content, week):
    # Items: story, practice, lesson, pairing, "onboarding" item, new question.
    assert content["figures"] == {
        "items": 6,
        "replies": 3,  # two on items + the accepted answer; hidden one left out
        "active_members": 7,
        "new_members": 2,
        "questions_answered": 1,
    }


def test_rendered_html_shows_every_section(week):
    digest = digest_build(community=week["community"], period="weekly", start=START)
    for text in [
        "First contributions from newcomers",
        "My first outage",
        "Which pager?",
        "Who could answer:",
        "Eli Expert",
        "remote",
        "W1",
        "Chaos day",
    ]:
        assert text in digest.html
    assert "Secret sauce" not in digest.html
    assert digest.has_news is True


def test_building_twice_keeps_one_digest_and_updates_it(week):
    community = week["community"]
    first = digest_build(community=community, period="weekly", start=START)
    ItemFactory(community=community, created_at=at(6), title="Late addition")
    second = digest_build(community=community, period="weekly", start=START)
    assert Digest.objects.filter(community=community).count() == 1
    assert second.pk == first.pk
    assert second.content["figures"]["items"] == 7


def test_quiet_period_has_no_news():
    community = CommunityFactory()
    digest = digest_build(community=community, period="daily", start=START)
    assert digest.has_news is False
    assert digest.end == START + dt.timedelta(days=1)


def test_periods_are_the_last_complete_day_and_iso_week():
    wednesday = dt.datetime(2026, 11, 11, 6, 0, tzinfo=dt.UTC)
    assert period_bounds("daily", wednesday) == (
        dt.datetime(2026, 11, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 11, tzinfo=dt.UTC),
    )
    assert period_bounds("weekly", wednesday) == (START, END)
    assert period_end("weekly", START) == END
    assert previous_start("weekly", START) == START - dt.timedelta(days=7)
    assert parse_start("weekly", "2026-11-05") == START
    with pytest.raises(ValueError):
        period_bounds("monthly", wednesday)


def test_a_reply_in_the_period_to_a_long_idle_item_counts(db):
    """The build finds the period's replies through the items active since
    its start: reply_create raises an item's last_activity_at to the reply's
    time, so a reply to an item idle for months still counts, and an item
    still idle adds nothing."""
    community = CommunityFactory()
    revived = ItemFactory(community=community, created_at=at(-300))
    idle = ItemFactory(community=community, created_at=at(-200))
    Item.objects.filter(pk__in=[revived.pk, idle.pk]).update(last_activity_at=at(-199))
    ReplyFactory(item=idle, created_at=at(-199))
    replier = UserFactory()
    MembershipFactory(community=community, user=replier)
    with mock.patch("django.utils.timezone.now", return_value=at(2)):
        reply_create(item=revived, author=replier, body="Still relevant here.")

    figures = digest_content(community=community, period="weekly", start=START)[
        "figures"
    ]

    assert figures["replies"] == 1
    assert figures["active_members"] == 1
