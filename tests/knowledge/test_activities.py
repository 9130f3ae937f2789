"""Research, capacity building, practice: every item carries one activity
(defaulted from its kind, editable); each community shows its balance and,
to its stewards, whether it is fire-fighting only (practice but no research
or capacity building for 90 days)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboards.knowledge import activity_balances
from dashboards.scope import Scope
from knowledge import services
from knowledge.activities import balance_of, balance_svg, community_balance
from knowledge.guides import GUIDES, guides_data
from knowledge.models import ACTIVITY_FOR_KIND, Activity, Item, ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory
from tests.knowledge.roles import ROLES, build_world
from tests.members.factories import UserFactory


@pytest.mark.parametrize(
    ("kind", "activity"),
    [
        (ItemKind.STORY, Activity.CAPACITY),
        (ItemKind.PRACTICE, Activity.PRACTICE),
        (ItemKind.LESSON, Activity.RESEARCH),
        (ItemKind.QUESTION, Activity.PRACTICE),
        (ItemKind.RESOURCE, Activity.CAPACITY),
    ],
)
def test_the_activity_defaults_from_the_kind(db, kind, activity):
    world = build_world()
    item = services.item_create(
        author=world.author, community=world.open, kind=kind, title="T", body="B"
    )
    assert item.activity == activity


def test_every_kind_has_an_activity_and_a_guide():
    assert set(ACTIVITY_FOR_KIND) == set(ItemKind.values)
    assert set(GUIDES) == set(ItemKind.values)
    assert "experiment" in guides_data()


def test_the_activity_is_chosen_and_edited_on_the_item_form(client, db):
    world = build_world()
    client.force_login(world.author)
    client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        {
            "kind": "question",
            "title": "Why?",
            "body": "Because.",
            "activity": "research",
        },
    )
    item = Item.objects.get(title="Why?")
    assert item.activity == Activity.RESEARCH

    edit = reverse("knowledge:item_edit", args=[world.open.slug, item.pk])
    assert 'value="research" selected' in client.get(edit).content.decode()
    client.post(
        edit, {"kind": "question", "title": "Why?", "body": "Because.", "activity": ""}
    )
    item.refresh_from_db()
    assert item.activity == Activity.RESEARCH  # left alone: kept
    client.post(edit, {"kind": "story", "title": "Why?", "body": "Because."})
    item.refresh_from_db()
    assert item.activity == Activity.CAPACITY  # a new kind brings its own


def test_a_malformed_activity_is_refused_with_a_message(client, db):
    world = build_world()
    client.force_login(world.author)
    response = client.post(
        reverse("knowledge:item_create", args=[world.open.slug]),
        {"kind": "story", "title": "Kept title", "body": "B", "activity": "chaos"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "Kept title" in response.content.decode()


def _old_community(name, days=200, **kwargs):
    return CommunityFactory(
        name=name, created_at=timezone.now() - timedelta(days=days), **kwargs
    )


def _items(community, author, **counts):
    """counts: activity -> (how many, days ago)."""
    for activity, (n, days) in counts.items():
        for _ in range(n):
            ItemFactory(
                community=community,
                author=author,
                activity=activity,
                created_at=timezone.now() - timedelta(days=days),
            )


@pytest.fixture
def balances_world(db):
    """Firefighters: 4 practice items in 90 days, research only 100 days ago
    -> fire-fighting only. Balanced: 2 research, 1 capacity, 3 practice.
    Newborn (30 days old): practice only, but not yet 90 days -> no flag.
    Quiet: nothing in 90 days -> no flag."""
    author = UserFactory()
    fire = _old_community("Firefighters")
    balanced = _old_community("Balanced")
    newborn = _old_community("Newborn", days=30)
    quiet = _old_community("Quiet")
    _items(fire, author, practice=(4, 10), research=(1, 100))
    _items(balanced, author, research=(2, 5), capacity=(1, 50), practice=(3, 80))
    _items(newborn, author, practice=(2, 3))
    _items(quiet, author, capacity=(1, 120))
    hidden = ItemFactory(community=fire, author=author, activity="research")
    hidden.hidden_at = timezone.now()
    hidden.save()
    return {"fire": fire, "balanced": balanced, "newborn": newborn, "quiet": quiet}


def test_balance_and_fire_fighting_flag_have_known_answers(balances_world):
    fire = balance_of(balances_world["fire"])
    balanced = balance_of(balances_world["balanced"])

    assert (fire.research, fire.capacity, fire.practice) == (0, 0, 4)
    assert fire.fire_fighting_only
    assert (balanced.research, balanced.capacity, balanced.practice) == (2, 1, 3)
    assert not balanced.fire_fighting_only
    assert balanced.text == (
        "Last 90 days: Research 2 (33%), Capacity building 1 (17%), Practice 3 (50%)."
    )
    assert not balance_of(balances_world["newborn"]).fire_fighting_only
    assert not balance_of(balances_world["quiet"]).fire_fighting_only


def _counts(balance):
    return (balance.research, balance.capacity, balance.practice)


def test_the_community_pages_balance_is_cached_and_changes_at_once(
    balances_world, django_assert_num_queries
):
    """Cached per community and day under the version of its items: a
    second read runs no query, and a new item, an edit that changes the
    activity, a hide and a restore show on the next read."""
    community = balances_world["balanced"]
    assert _counts(community_balance(community)) == (2, 1, 3)
    with django_assert_num_queries(0):
        assert _counts(community_balance(community)) == (2, 1, 3)

    author = UserFactory()
    MembershipFactory(community=community, user=author)
    item = services.item_create(
        author=author, community=community, kind="lesson", title="T", body="B"
    )
    assert _counts(community_balance(community)) == (3, 1, 3)
    services.item_update(
        item=item,
        acting_user=author,
        kind="lesson",
        title="T",
        body="B",
        activity=Activity.PRACTICE,
    )
    assert _counts(community_balance(community)) == (2, 1, 4)
    steward = MembershipFactory(community=community, steward=True).user
    services.item_hide(item=item, acting_user=steward)
    assert _counts(community_balance(community)) == (2, 1, 3)
    services.item_restore(item=item, acting_user=steward)
    assert _counts(community_balance(community)) == (2, 1, 4)
    # Another community's changes leave this one's entry alone.
    services.item_create(
        author=author,
        community=balances_world["fire"],
        kind="lesson",
        title="F",
        body="B",
    )
    with django_assert_num_queries(0):
        assert _counts(community_balance(community)) == (2, 1, 4)


def test_the_community_pages_balance_window_starts_at_midnight(db):
    """The cached window runs from midnight (UTC) BALANCE_DAYS days ago, so
    an entry is good for the whole day: an item from 90 days and a few hours
    ago counts until the day turns, one from 91 days ago does not."""
    community = _old_community("Edges")
    author = UserFactory()
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    for days, hours in ((90, 6), (91, 0)):
        ItemFactory(
            community=community,
            author=author,
            activity=Activity.RESEARCH,
            created_at=now - timedelta(days=days, hours=hours),
        )
    assert community_balance(community, now=now).research == 1
    tomorrow = now + timedelta(days=1)
    assert community_balance(community, now=tomorrow).research == 0


def test_the_balance_bar_is_svg_with_a_text_alternative(balances_world):
    svg = str(balance_svg(balance_of(balances_world["balanced"]), chart_id="balance-x"))
    assert 'role="img"' in svg
    assert 'aria-labelledby="balance-x-title balance-x-desc"' in svg
    assert "Research 2 (33%)" in svg
    assert 'class="balance-research" x="0.0" y="0" width="100.0"' in svg
    assert "style=" not in svg


def test_the_dashboard_flags_fire_fighting_communities_first(balances_world):
    rows = activity_balances(Scope.organisation())
    assert [(r.community.name, r.balance.fire_fighting_only) for r in rows][:2] == [
        ("Firefighters", True),
        ("Balanced", False),
    ]


def test_the_dashboard_table_and_csv(balances_world, client):
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("dashboards:index"))
    rows = page.context["tables"]["balance"].rows
    assert [c.text for c in rows[0]] == ["Firefighters", "0", "0", "4", "yes"]
    csv = client.get(reverse("dashboards:index"), {"format": "csv", "table": "balance"})
    assert "Firefighters,0,0,4,yes" in csv.content.decode()


# The community page: everyone who may read the community sees its balance;
# only its stewards (and staff) see the fire-fighting flag.
FLAG_SEEN = {
    "anonymous": None,
    "outsider": False,
    "member": False,
    "private_member": False,
    "steward": True,
    "manager": False,
    "staff": True,
}


@pytest.mark.parametrize("role", ROLES)
def test_fire_fighting_flag_on_the_community_page_for_stewards(client, db, role):
    world = build_world()
    world.open.created_at = timezone.now() - timedelta(days=200)
    world.open.save()
    world.open_item.activity = Activity.PRACTICE
    world.open_item.save()
    world.login(client, role)

    page = client.get(reverse("communities:detail", args=[world.open.slug]))

    text = page.content.decode()
    assert ("Fire-fighting only:" in text) is bool(FLAG_SEEN[role])
    if role != "anonymous":
        assert "Research, capacity building, practice" in text
        assert "Practice 1 (100%)" in text


def test_a_private_communitys_balance_stays_inside(client, db):
    world = build_world()
    client.force_login(world.people["outsider"])
    page = client.get(reverse("communities:detail", args=[world.private.slug]))
    assert "Research, capacity building, practice" not in page.content.decode()
    MembershipFactory(user=world.people["outsider"], community=world.private)
    page = client.get(reverse("communities:detail", args=[world.private.slug]))
    assert "Research, capacity building, practice" in page.content.decode()
