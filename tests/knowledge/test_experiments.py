"""Experiments: a kind of its own with a hypothesis, what we will try, how
we will know, a review date and an optional executive sponsor (who must
hold the executive leadership role); closing one with its result publishes
a linked lesson."""

import datetime

import pytest
from django.urls import reverse

from knowledge import experiments, services
from knowledge.models import Activity, Experiment, Item, ItemKind
from members.models import LeadershipRole
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.knowledge.roles import ROLES, build_world
from tests.members.factories import UserFactory

CLOSE_PAGE_QUERIES = 6


def _form(**extra):
    return {
        "kind": "experiment",
        "title": "Stand-up at the machine",
        "body": "## Why now\nHandovers lose details.",
        "tags": "handover",
        "hypothesis": "Talking at the machine halves missed details.",
        "trial": "Two weeks of stand-ups at the line.",
        "measure": "Count of missed details in the log.",
        "review_on": "2027-01-15",
        **extra,
    }


def _experiment(world, community=None, *, sponsor=None):
    return services.item_create(
        author=world.author,
        community=community or world.open,
        kind=ItemKind.EXPERIMENT,
        title="Stand-up at the machine",
        body="Why now: handovers lose details.",
        experiment={
            "hypothesis": "Talking at the machine halves missed details.",
            "trial": "Two weeks of stand-ups.",
            "measure": "Missed details in the log.",
            "review_on": datetime.date(2027, 1, 15),
            "sponsor": sponsor,
        },
    )


def test_an_experiment_is_published_with_its_fields_and_sponsor(client, db):
    world = build_world()
    sponsor = world.people["manager"]  # an executive leader
    client.force_login(world.author)

    response = client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        _form(sponsor=sponsor.username),
    )

    item = Item.objects.get(kind=ItemKind.EXPERIMENT)
    assert response.status_code == 302
    assert item.activity == Activity.RESEARCH
    assert item.experiment.sponsor == sponsor
    assert item.experiment.review_on == datetime.date(2027, 1, 15)
    assert Notification.objects.filter(
        recipient=sponsor, kind="knowledge.experiment_sponsor"
    ).exists()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Talking at the machine halves missed details." in page
    assert "Executive sponsor" in page


def test_a_sponsor_without_the_executive_role_is_refused_clearly(client, db):
    world = build_world()
    line_leader = UserFactory(
        display_name="Lena Line", leadership_role=LeadershipRole.LINE_LEADER
    )
    client.force_login(world.author)

    response = client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        _form(sponsor=line_leader.username),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Lena Line does not hold the executive leadership role: a sponsor must be "
        "an executive leader." in text
    )
    assert "Talking at the machine halves missed details." in text  # kept
    assert not Item.objects.filter(kind=ItemKind.EXPERIMENT).exists()


def test_the_model_refuses_a_sponsor_who_is_no_executive(db):
    world = build_world()
    with pytest.raises(Exception) as error:
        _experiment(world, sponsor=world.people["member"])
    assert "sponsor" in error.value.message_dict


def test_an_unknown_sponsor_and_missing_fields_are_named(client, db):
    world = build_world()
    client.force_login(world.author)

    response = client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        _form(sponsor="nobody-here", hypothesis="", review_on="not a date"),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Nobody has the username “nobody-here”." in text
    assert "Say what you believe and expect to see." in text
    assert "Enter a valid date." in text


def test_experiment_fields_are_ignored_for_other_kinds(client, db):
    world = build_world()
    client.force_login(world.author)

    response = client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        _form(kind="story", sponsor="nobody-here", review_on="garbage"),
    )

    assert response.status_code == 302
    item = Item.objects.get(title="Stand-up at the machine")
    assert item.kind == ItemKind.STORY
    assert not Experiment.objects.exists()


def test_closing_publishes_a_linked_lesson_once(client, db):
    world = build_world()
    sponsor = world.people["manager"]
    MembershipFactory(user=sponsor, community=world.open)
    item = _experiment(world, sponsor=sponsor)
    client.force_login(world.author)
    url = reverse("knowledge:experiment_close", args=[world.open.slug, item.pk])

    response = client.post(
        url, {"outcome": "confirmed", "result": "Missed details fell from 9 to 4."}
    )

    item.experiment.refresh_from_db()
    lesson = item.experiment.lesson
    assert response.status_code == 302
    assert response["Location"] == lesson.get_absolute_url()
    assert lesson.kind == ItemKind.LESSON
    assert lesson.activity == Activity.RESEARCH
    assert lesson.community == world.open
    assert lesson.title == "Lesson: Stand-up at the machine"
    assert "Missed details fell from 9 to 4." in lesson.body
    assert item.get_absolute_url() in lesson.body_html
    assert lesson.from_experiment == item.experiment
    assert item.experiment.is_closed
    assert Notification.objects.filter(
        recipient=sponsor, kind="knowledge.experiment_closed"
    ).exists()
    # Again: nothing more, a message instead.
    again = client.post(url, {"outcome": "refuted", "result": "Other."})
    assert again.status_code == 302
    assert Item.objects.filter(kind=ItemKind.LESSON).count() == 1
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Experiment: closed" in page
    assert lesson.title in page


def test_closing_needs_a_result(client, db):
    world = build_world()
    item = _experiment(world)
    client.force_login(world.author)

    response = client.post(
        reverse("knowledge:experiment_close", args=[world.open.slug, item.pk]),
        {"outcome": "refuted", "result": ""},
    )

    assert response.status_code == 200
    assert "Say what happened: it becomes the lesson." in response.content.decode()
    assert not experiments.experiment_of(item).is_closed


def test_a_closed_experiment_service_refuses_a_second_close(db):
    world = build_world()
    item = _experiment(world)
    experiments.experiment_close(
        experiment=item.experiment,
        acting_user=world.author,
        outcome="inconclusive",
        result="Too short to tell.",
    )
    with pytest.raises(Exception, match="already closed"):
        experiments.experiment_close(
            experiment=item.experiment,
            acting_user=world.author,
            outcome="confirmed",
            result="Again.",
        )


# Who may open the close page: whoever may edit the experiment (its author,
# the community's stewards, staff); others who see it get 403, those who
# cannot see it 404.
CLOSE = {
    "open": {
        "anonymous": 302,
        "outsider": 403,
        "member": 403,
        "private_member": 403,
        "steward": 200,
        "manager": 403,
        "staff": 200,
    },
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 403,
        "steward": 200,
        "manager": 404,
        "staff": 200,
    },
}


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_close_page_permission_table(client, db, role, where):
    world = build_world()
    community = world.open if where == "open" else world.private
    item = _experiment(world, community)
    world.login(client, role)
    url = reverse("knowledge:experiment_close", args=[community.slug, item.pk])

    assert client.get(url).status_code == CLOSE[where][role]
    posted = client.post(url, {"outcome": "confirmed", "result": "It held."})
    expected = 302 if CLOSE[where][role] == 200 else CLOSE[where][role]
    assert posted.status_code == expected
    closed = Experiment.objects.get(item=item).is_closed
    assert closed is (CLOSE[where][role] == 200)


def test_the_author_may_close_and_the_page_offers_it(client, db):
    world = build_world()
    item = _experiment(world)
    client.force_login(world.author)

    assert (
        "Close with the result" in client.get(item.get_absolute_url()).content.decode()
    )
    client.force_login(world.people["member"])
    assert "Close with the result" not in (
        client.get(item.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("others", [1, 8])
def test_close_page_queries_do_not_grow(client, db, others, django_assert_num_queries):
    world = build_world()
    item = _experiment(world)
    for _ in range(others):
        _experiment(world)
    client.force_login(world.author)
    url = reverse("knowledge:experiment_close", args=[world.open.slug, item.pk])

    with django_assert_num_queries(CLOSE_PAGE_QUERIES):
        assert client.get(url).status_code == 200


def test_an_experiment_stays_an_experiment_when_edited(client, db):
    world = build_world()
    item = _experiment(world)
    client.force_login(world.author)
    url = reverse("knowledge:item_edit", args=[world.open.slug, item.pk])

    refused = client.post(url, _form(kind="story"))
    changed = client.post(url, _form(hypothesis="A sharper hypothesis."))

    assert refused.status_code == 200
    assert "An experiment stays an experiment" in refused.content.decode()
    assert changed.status_code == 302
    item.experiment.refresh_from_db()
    assert item.experiment.hypothesis == "A sharper hypothesis."
