"""Adoption follow-through on the dashboards: pockets of innovation count
only adoptions that lasted, and each origin community's stick rate, on a
fixture whose answer is known."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from dashboards.scope import Scope
from dashboards.spread import pockets_of_innovation, stick_rate_rows
from knowledge.models import AdoptionCheckIn
from knowledge.selectors.adoptions import stick_rate, stick_rates
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, item
from tests.knowledge.factories import AdoptionFactory
from tests.members.factories import UserFactory


def _answers(adoption, *answers):
    """Check-ins at 30 and 90 days with these answers ("" = unanswered)."""
    for day, answer in zip((30, 90), answers, strict=False):
        AdoptionCheckIn.objects.create(
            adoption=adoption,
            day=day,
            due_on=adoption.created_at.date(),
            answer=answer,
            note="" if answer in ("", "kept") else "Because.",
        )


@pytest.fixture
def world(db):
    """Origin's practice A is adopted by five communities:
    - B kept it at 30 and 90 days            -> lasted
    - C kept it at 30, dropped it at 90      -> dropped (the latest answer)
    - D adapted it at 30, 90 unanswered      -> lasted (latest answered)
    - E answered nothing                     -> not yet known
    - P (private) kept it                    -> lasted, but only its members
                                                and staff see it counted
    A second practice is adopted by C (kept) and E (no answer): one lasting
    adoption, so not a pocket. Stick rate of Origin for staff: 4 lasted of
    5 known (80%), 2 not yet known; for anyone outside P: 3 of 4 (75%)."""
    origin = CommunityFactory(name="Origin")
    others = {n: CommunityFactory(name=n) for n in "BCDE"}
    private = CommunityFactory(name="P", private=True)
    author = UserFactory()
    practice = item(origin, author, days=200, kind="practice")
    second = item(origin, author, days=200, kind="practice")
    answers = {"B": ("kept", "kept"), "C": ("kept", "dropped"), "D": ("adapted", "")}
    for name, community in others.items():
        adoption = AdoptionFactory(
            item=practice, community=community, created_at=days_ago(100)
        )
        _answers(adoption, *answers.get(name, ("", "")))
    _answers(
        AdoptionFactory(item=practice, community=private, created_at=days_ago(95)),
        "kept",
    )
    _answers(
        AdoptionFactory(item=second, community=others["C"], created_at=days_ago(50)),
        "kept",
    )
    AdoptionFactory(item=second, community=others["E"], created_at=days_ago(40))
    return {"origin": origin, "practice": practice, "private": private, **others}


def test_pockets_count_only_adoptions_that_lasted(world):
    pockets = pockets_of_innovation(Scope.organisation())

    assert pockets == [world["practice"]]
    # B, D and P lasted; C dropped at its latest check-in; E is not known.
    assert pockets[0].adopters == 3
    assert pockets[0].unknown == 1


def test_unanswered_adoptions_are_not_yet_known_never_lasting(world):
    for checkin in AdoptionCheckIn.objects.filter(adoption__item=world["practice"]):
        checkin.answer = ""
        checkin.save()

    assert pockets_of_innovation(Scope.organisation()) == []


def test_stick_rate_of_the_origin_community(world, staff):
    rate = stick_rate(community=world["origin"], viewer=staff)

    assert (rate.lasted, rate.dropped, rate.unknown) == (4, 1, 2)
    assert rate.rate == pytest.approx(4 / 5)


def test_stick_rate_leaves_out_adopters_the_viewer_cannot_see(world):
    outsider = UserFactory()
    rate = stick_rate(community=world["origin"], viewer=outsider)

    # P's lasting adoption is not counted for someone outside P.
    assert (rate.lasted, rate.dropped, rate.unknown) == (3, 1, 2)
    assert rate.rate == pytest.approx(3 / 4)


def test_stick_rate_counts_a_private_adopter_for_its_active_members_only(world):
    """The SQL's visibility condition is communities.access's rule: P's
    members see its adoption counted, someone asking to join P does not."""
    insider = MembershipFactory(community=world["private"]).user
    asking = MembershipFactory(community=world["private"], pending=True).user

    rate = stick_rate(community=world["origin"], viewer=insider)
    assert (rate.lasted, rate.dropped, rate.unknown) == (4, 1, 2)
    rate = stick_rate(community=world["origin"], viewer=asking)
    assert (rate.lasted, rate.dropped, rate.unknown) == (3, 1, 2)
    assert stick_rates(community_ids=[world["origin"].pk], viewer=AnonymousUser()) == {}


def test_stick_rate_leaves_out_hidden_items_and_adoptions_at_home(world, staff):
    """Per origin community at once; an adoption by the item's own community
    and the adoptions of a hidden item do not count."""
    home = AdoptionFactory(item=world["practice"], community=world["origin"])
    _answers(home, "kept")
    other_origin = world["B"]
    shared = item(other_origin, UserFactory(), days=120, kind="practice")
    _answers(AdoptionFactory(item=shared, community=world["C"]), "dropped")

    rates = stick_rates(
        community_ids=[world["origin"].pk, other_origin.pk, world["E"].pk],
        viewer=staff,
    )
    assert set(rates) == {world["origin"].pk, other_origin.pk}
    origin = rates[world["origin"].pk]
    assert (origin.lasted, origin.dropped, origin.unknown) == (4, 1, 2)
    assert (rates[other_origin.pk].dropped, rates[other_origin.pk].total) == (1, 1)

    world["practice"].hidden_at = days_ago(0)
    world["practice"].save(update_fields=["hidden_at"])
    rate = stick_rate(community=world["origin"], viewer=staff)
    # Only the second practice's adoptions are left: C kept, E unknown.
    assert (rate.lasted, rate.dropped, rate.unknown) == (1, 0, 1)


def test_stick_rate_table_lists_origins_with_their_rate(world, staff):
    rows = stick_rate_rows(Scope.organisation(), staff)

    assert [(r.community.name, r.rate.lasted, r.rate.known) for r in rows] == [
        ("Origin", 4, 5)
    ]


def test_the_community_page_shows_its_stick_rate(world, client):
    member = MembershipFactory(community=world["origin"]).user
    client.force_login(member)

    page = client.get(reverse("communities:detail", args=[world["origin"].slug]))

    text = page.content.decode()
    assert "Stick rate:" in text
    assert "3 of 4 adoptions" in text
    assert "2 not yet known" in text


def test_the_dashboard_shows_pockets_and_stick_rate(world, staff_client):
    page = staff_client.get(reverse("dashboards:index"))

    assert page.status_code == 200
    tables = page.context["tables"]
    assert [row[2].value for row in tables["pockets"].rows] == [3]
    assert [row[4].value for row in tables["stick"].rows] == ["80%"]
    csv = staff_client.get(
        reverse("dashboards:index"), {"format": "csv", "table": "stick"}
    )
    assert "Origin,4,1,2,80%" in csv.content.decode()
