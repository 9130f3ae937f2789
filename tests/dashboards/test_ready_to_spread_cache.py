"""A networker's "ready to spread" comes from each community's cached
candidates and shows every change at once: a new mark, a share or an
adoption elsewhere, a hide and a restore, an archive and a reopen; a
private community's items never reach a networker outside it, even from an
entry one of its members filled."""

import pytest
from django.urls import reverse

from communities.services.lifecycle import community_archive, community_reopen
from communities.services.membership import community_leave
from knowledge import services
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import item
from tests.knowledge.factories import HelpfulMarkFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
N = LeadershipRole.NETWORKER
HOME = reverse("home")


@pytest.fixture
def world():
    """Nell (a networker) is active in open Alpha, open Beta and private
    Secret; Olga (a networker) in Alpha only. Alpha's "Pump checklist" has
    three marks, "Valve log" two; Secret's "Secret recipe" four."""
    alpha = CommunityFactory(name="Alpha")
    beta = CommunityFactory(name="Beta")
    secret = CommunityFactory(name="Secret", private=True)
    nell = UserFactory(display_name="Nell", leadership_role=N)
    olga = UserFactory(display_name="Olga", leadership_role=N)
    for community in (alpha, beta, secret):
        MembershipFactory(user=nell, community=community)
    MembershipFactory(user=olga, community=alpha)
    found = {"alpha": alpha, "beta": beta, "secret": secret}
    found.update(nell=nell, olga=olga)
    for key, community, title, marks in [
        ("pump", alpha, "Pump checklist", 3),
        ("valve", alpha, "Valve log", 2),
        ("recipe", secret, "Secret recipe", 4),
    ]:
        found[key] = item(community, UserFactory(), days=10, title=title)
        for _ in range(marks):
            HelpfulMarkFactory(item=found[key])
    return found


def home(client, user):
    """The home page's "ready to spread" section ("" when there is none)."""
    client.force_login(user)
    page = client.get(HOME).text
    start = page.find('aria-labelledby="spread-next-panel-title"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def test_the_list_is_read_from_the_cache_and_the_same(client, world):
    first = home(client, world["nell"])
    assert "Pump checklist" in first and "Secret recipe" in first
    assert "Valve log" not in first

    assert home(client, world["nell"]) == first


def test_a_third_mark_shows_at_once(client, world):
    assert "Valve log" not in home(client, world["nell"])

    services.helpful_set(item=world["valve"], acting_user=world["olga"], helpful=True)

    assert "Valve log" in home(client, world["nell"])


def test_a_share_into_another_community_shows_at_once(client, world):
    assert "Pump checklist" in home(client, world["nell"])

    services.item_share(
        item=world["pump"], community=world["beta"], acting_user=world["nell"]
    )

    assert "Pump checklist" not in home(client, world["nell"])


def test_an_adoption_by_another_community_shows_at_once(client, world):
    assert "Pump checklist" in home(client, world["nell"])

    services.adoption_record(
        item=world["pump"], community=world["beta"], acting_user=world["nell"]
    )

    assert "Pump checklist" not in home(client, world["nell"])


def test_a_hide_and_a_restore_show_at_once(client, world):
    assert "Pump checklist" in home(client, world["nell"])

    services.item_hide(item=world["pump"], acting_user=world["nell"])
    assert "Pump checklist" not in home(client, world["nell"])

    services.item_restore(item=world["pump"], acting_user=world["nell"])
    assert "Pump checklist" in home(client, world["nell"])


def test_an_archive_and_a_reopen_show_at_once(client, world):
    assert "Pump checklist" in home(client, world["nell"])

    community_archive(community=world["alpha"], acting_user=world["nell"])
    page = home(client, world["nell"])
    assert "Pump checklist" not in page
    assert "Secret recipe" in page

    community_reopen(community=world["alpha"], acting_user=world["nell"])
    assert "Pump checklist" in home(client, world["nell"])


def test_a_private_communitys_items_never_reach_a_non_member(client, world):
    # Nell, a member of Secret, fills every entry first.
    assert "Secret recipe" in home(client, world["nell"])

    page = home(client, world["olga"])
    assert "Pump checklist" in page
    assert "Secret recipe" not in page

    community_leave(acting_user=world["nell"], community=world["secret"])
    page = home(client, world["nell"])
    assert "Pump checklist" in page
    assert "Secret recipe" not in page


def test_the_compiled_rows_are_the_orms(world):
    """_rows reads its query compiled once per limit (config.compiled_queries):
    the same items, most marked first, the same loaded columns, for any
    number of ids up to the limit."""
    from dashboards.spread_next import _rows
    from knowledge.models import Item

    pks = [world["recipe"].pk, world["valve"].pk, world["pump"].pk]
    for limit, asked in [(5, pks), (5, pks[:1]), (2, pks), (3, [])]:
        found = _rows(asked, limit)
        expected = list(
            Item.objects.filter(pk__in=asked[:limit])
            .select_related("community")
            .order_by("-helpful_count", "-pk")
        )
        assert [
            (i.pk, i.title, i.tag_names, i.helpful_count, i.hidden_at)
            + (i.community.name, i.community.slug, i.community.archived_at)
            for i in found
        ] == [
            (i.pk, i.title, i.tag_names, i.helpful_count, i.hidden_at)
            + (i.community.name, i.community.slug, i.community.archived_at)
            for i in expected
        ]
        assert [i.get_absolute_url() for i in found] == [
            i.get_absolute_url() for i in expected
        ]
        assert all("body" in i.get_deferred_fields() for i in found)
