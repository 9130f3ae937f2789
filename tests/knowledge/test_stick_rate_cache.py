"""A community's stick rate is cached per adopting community and shows every
change at once: an adoption, an answered check-in, a hidden or restored
item; which adopting communities count is decided per viewer on every view,
so a private community's figures never reach someone outside it, even from
an entry a member of it filled."""

import pytest
from django.utils import timezone

from communities.services.lifecycle import community_update
from communities.services.membership import community_leave
from knowledge import adoptions, services
from knowledge.models import AdoptionCheckIn, ItemKind
from knowledge.selectors.adoptions import stick_rate
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Origin's practice; Adam is active in Origin, open B and private P
    (and so may record adoptions for both); Ines is in Origin and P, Otto
    in Origin only."""
    origin = CommunityFactory(name="Origin")
    b = CommunityFactory(name="Bakers")
    p = CommunityFactory(name="Pharma secret", private=True)
    adam = UserFactory(display_name="Adam Adopter")
    ines = UserFactory(display_name="Ines Insider")
    otto = UserFactory(display_name="Otto Outsider")
    for community in (origin, b, p):
        MembershipFactory(user=adam, community=community, steward=True)
    MembershipFactory(user=ines, community=origin)
    MembershipFactory(user=ines, community=p)
    MembershipFactory(user=otto, community=origin)
    practice = services.item_create(
        author=adam,
        community=origin,
        kind=ItemKind.PRACTICE,
        title="Five-minute huddle",
        body="Every shift starts with one.",
        tags=["lean"],
    )
    return {
        "origin": origin,
        "b": b,
        "p": p,
        "adam": adam,
        "ines": ines,
        "otto": otto,
        "practice": practice,
    }


def figures(world, viewer):
    rate = stick_rate(community=world["origin"], viewer=viewer)
    return rate.lasted, rate.dropped, rate.unknown


def adopt(world, into):
    adoption = services.adoption_record(
        item=world["practice"], community=into, acting_user=world["adam"]
    )
    # Its check-ins due now, so they can be answered.
    AdoptionCheckIn.objects.filter(adoption=adoption).update(
        due_on=timezone.localdate()
    )
    return adoption


def answer(adoption, verdict, *, day=30):
    checkin = adoption.checkins.get(day=day)
    adoptions.adoption_checkin_answer(
        checkin=checkin,
        acting_user=adoption.recorded_by,
        answer=verdict,
        note="" if verdict == "kept" else "Because.",
    )


def test_an_adoption_counts_at_once(world):
    assert figures(world, world["otto"]) == (0, 0, 0)  # cached: none

    adopt(world, world["b"])

    assert figures(world, world["otto"]) == (0, 0, 1)


def test_an_answered_check_in_counts_at_once(world):
    adoption = adopt(world, world["b"])
    assert figures(world, world["otto"]) == (0, 0, 1)

    answer(adoption, "kept")
    assert figures(world, world["otto"]) == (1, 0, 0)

    answer(adoption, "dropped", day=90)
    assert figures(world, world["otto"]) == (0, 1, 0)


def test_hiding_and_restoring_the_item_show_at_once(world):
    answer(adopt(world, world["b"]), "kept")
    assert figures(world, world["otto"]) == (1, 0, 0)

    services.item_hide(item=world["practice"], acting_user=world["adam"])
    assert figures(world, world["otto"]) == (0, 0, 0)

    services.item_restore(item=world["practice"], acting_user=world["adam"])
    assert figures(world, world["otto"]) == (1, 0, 0)


def test_a_private_adopter_counts_only_for_its_members_from_one_entry(world, staff):
    answer(adopt(world, world["b"]), "kept")
    answer(adopt(world, world["p"]), "dropped")

    # Ines fills the cache; Otto reads the same entry and never sees P's.
    assert figures(world, world["ines"]) == (1, 1, 0)
    assert figures(world, world["otto"]) == (1, 0, 0)
    assert figures(world, staff) == (1, 1, 0)

    community_leave(acting_user=world["ines"], community=world["p"])
    assert figures(world, world["ines"]) == (1, 0, 0)


def test_an_adopter_turning_private_drops_out_at_once(world):
    answer(adopt(world, world["b"]), "kept")
    assert figures(world, world["otto"]) == (1, 0, 0)

    b = world["b"]
    community_update(
        community=b,
        acting_user=world["adam"],
        name=b.name,
        slug=b.slug,
        purpose=b.purpose,
        visibility="private",
    )

    assert figures(world, world["otto"]) == (0, 0, 0)
    assert figures(world, world["adam"]) == (1, 0, 0)


def test_the_page_never_shows_a_private_adopters_figures_to_outsiders(world, client):
    answer(adopt(world, world["b"]), "kept")
    answer(adopt(world, world["p"]), "dropped")
    url = world["origin"].get_absolute_url()

    client.force_login(world["ines"])
    assert "1 of 2 adoptions" in client.get(url).text
    client.force_login(world["otto"])
    page = client.get(url).text

    assert "1 of 1 adoption " in page
    assert "1 of 2" not in page
