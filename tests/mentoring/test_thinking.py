"""A two-way thinking partnership: pairs in the thinking-partner format keep
an assumptions log and "what I will do differently" commitments instead of
goals; only the two partners, the broker and staff see the workspace; with
the executive's consent their profile shows how many commitments they
followed up."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import LeadershipRole
from mentoring import services
from mentoring.models import Assumption, Commitment, Format, Goal
from mentoring.services import thinking
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import MentorOfferFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "private_member",
    "steward",
    "manager",
    "broker",
    "staff",
    "executive",
    "partner",
]
PAIR_PAGE_QUERIES = 12


class World:
    """Eva (an executive) asked for a thinking partner in the private
    community Board room; Nils (a networker) is her partner, brokered by Lars
    (a line leader). `member` is in the open community, `private_member` and
    `steward` in Board room, `manager` is another executive."""

    def __init__(self):
        self.open = CommunityFactory(name="Welders")
        self.private = CommunityFactory(name="Board room", private=True)
        self.executive = UserFactory(
            display_name="Eva Exec", leadership_role=LeadershipRole.EXECUTIVE
        )
        self.partner = UserFactory(
            display_name="Nils Networker", leadership_role=LeadershipRole.NETWORKER
        )
        MentorOfferFactory(user=self.partner, capacity=3, offers_thinking_partner=True)
        self.broker = UserFactory(leadership_role=LeadershipRole.LINE_LEADER)
        self.users = {
            "outsider": UserFactory(),
            "member": UserFactory(),
            "private_member": UserFactory(),
            "steward": UserFactory(),
            "manager": UserFactory(leadership_role=LeadershipRole.EXECUTIVE),
            "broker": self.broker,
            "staff": UserFactory(is_staff=True),
            "executive": self.executive,
            "partner": self.partner,
        }
        MembershipFactory(user=self.users["member"], community=self.open)
        MembershipFactory(user=self.users["private_member"], community=self.private)
        MembershipFactory(
            user=self.users["steward"], community=self.private, steward=True
        )
        MembershipFactory(user=self.executive, community=self.private)
        req = services.request_create(
            acting_user=self.executive,
            topics=["strategy"],
            goals="Think out loud about the reorganisation.",
            format=Format.THINKING_PARTNER,
            community=self.private,
        )
        pair = services.match_propose(
            req=req, mentor=self.partner, acting_user=self.broker
        )
        services.pair_accept(pair=pair, acting_user=self.partner)
        self.pair = services.pair_accept(pair=pair, acting_user=self.executive)

    def login(self, client, who):
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


@pytest.fixture
def world():
    return World()


def _check(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


SEE = {
    "anonymous": "login",
    "outsider": 404,
    "member": 404,
    "private_member": 404,
    "steward": 404,
    "manager": 404,
    "broker": 200,
    "staff": 200,
    "executive": 200,
    "partner": 200,
}


@pytest.mark.parametrize("who", ROLES)
def test_workspace_permission_table(client, world, who):
    thinking.assumption_add(
        pair=world.pair,
        acting_user=world.executive,
        assumption="My managers want more control.",
    )
    response = world.login(client, who).get(world.pair.get_absolute_url())
    _check(response, SEE[who])
    if response.status_code == 200:
        body = response.content.decode()
        assert "Our thinking workspace" in body
        assert "My managers want more control." in body


# Writing in the workspace: only the two partners.
WRITE = SEE | {"broker": 403, "staff": 403, "executive": 302, "partner": 302}


@pytest.mark.parametrize("who", ROLES)
def test_only_the_partners_write(client, world, who):
    client = world.login(client, who)
    pk = world.pair.pk

    a = client.post(
        reverse("mentoring:assumption_add", args=[pk]),
        {"assumption": f"Assumption by {who}", "tested_by": "", "changed": ""},
    )
    c = client.post(
        reverse("mentoring:commitment_add", args=[pk]),
        {"session_on": timezone.localdate().isoformat(), "text": f"Do by {who}"},
    )

    _check(a, WRITE[who])
    _check(c, WRITE[who])
    wrote = WRITE[who] == 302
    assert (
        Assumption.objects.filter(assumption=f"Assumption by {who}").exists() is wrote
    )
    assert Commitment.objects.filter(text=f"Do by {who}").exists() is wrote


def test_the_workspace_replaces_goals(client, world):
    client.force_login(world.executive)
    page = client.get(world.pair.get_absolute_url()).content.decode()
    assert "Assumptions log" in page
    assert 'id="goals-title"' not in page

    response = client.post(
        reverse("mentoring:goal_add", args=[world.pair.pk]), {"text": "A goal"}
    )
    assert response.status_code == 302
    assert not Goal.objects.exists()


def test_each_partner_updates_and_reviews_only_their_own(client, world):
    mine = thinking.assumption_add(
        pair=world.pair, acting_user=world.executive, assumption="People resist."
    )
    promise = thinking.commitment_add(
        pair=world.pair,
        acting_user=world.executive,
        session_on=timezone.localdate(),
        text="Ask before I tell.",
    )
    client.force_login(world.partner)
    pk = world.pair.pk

    assert (
        client.post(
            reverse("mentoring:assumption_update", args=[pk, mine.pk]),
            {"tested_by": "x", "changed": "y"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("mentoring:commitment_review", args=[pk, promise.pk]),
            {"followed_up": "1"},
        ).status_code
        == 403
    )
    client.force_login(world.executive)
    client.post(
        reverse("mentoring:assumption_update", args=[pk, mine.pk]),
        {"tested_by": "Two skip-levels.", "changed": "They want clarity."},
    )
    client.post(
        reverse("mentoring:commitment_review", args=[pk, promise.pk]),
        {"followed_up": "1"},
    )
    mine.refresh_from_db()
    promise.refresh_from_db()
    assert (mine.tested_by, mine.changed) == ("Two skip-levels.", "They want clarity.")
    assert promise.status == Commitment.Status.FOLLOWED_UP


def test_a_session_in_the_future_is_refused_keeping_the_text(client, world):
    client.force_login(world.executive)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("mentoring:commitment_add", args=[world.pair.pk]),
        {"session_on": tomorrow.isoformat(), "text": "Listen first."},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "A session cannot be in the future." in body
    assert "Listen first." in body


def _commitments(world, followed, not_followed, open_=0):
    for n, status in enumerate(
        ["followed_up"] * followed + ["not_followed_up"] * not_followed + [""] * open_
    ):
        commitment = thinking.commitment_add(
            pair=world.pair,
            acting_user=world.executive,
            session_on=timezone.localdate(),
            text=f"Commitment {n}",
        )
        if status:
            thinking.commitment_review(
                commitment=commitment,
                acting_user=world.executive,
                followed_up=status == "followed_up",
            )


def test_the_profile_shows_follow_ups_only_with_the_executives_consent(client, world):
    _commitments(world, followed=2, not_followed=1, open_=1)
    client.force_login(world.users["outsider"])
    profile = reverse("members:profile", args=[world.executive.username])

    assert "Thinking partnerships" not in client.get(profile).content.decode()

    # The partner (no executive) cannot consent for her; she can.
    client.force_login(world.partner)
    share = reverse("mentoring:followups_share", args=[world.pair.pk])
    assert client.post(share, {"share": "1"}).status_code == 403
    client.force_login(world.executive)
    assert client.post(share, {"share": "1"}).status_code == 302

    client.force_login(world.users["outsider"])
    body = client.get(profile).content.decode()
    assert "followed up <strong>2</strong> of 4 commitments" in body
    assert "(3 reviewed so far)" in body
    assert "Commitment 0" not in body  # the count only, never the text

    client.force_login(world.executive)
    client.post(share, {"share": "0"})
    client.force_login(world.users["outsider"])
    assert "Thinking partnerships" not in client.get(profile).content.decode()


def test_a_mentoring_pair_keeps_goals_and_has_no_workspace(client, world):
    req = services.request_create(
        acting_user=world.users["member"],
        topics=["lean"],
        goals="Learn.",
        format=Format.MENTORING,
    )
    pair = services.match_propose(
        req=req, mentor=world.partner, acting_user=world.broker
    )
    services.pair_accept(pair=pair, acting_user=world.partner)
    pair = services.pair_accept(pair=pair, acting_user=world.users["member"])
    client.force_login(world.partner)

    response = client.post(
        reverse("mentoring:assumption_add", args=[pair.pk]),
        {"assumption": "Nope"},
    )

    assert response.status_code == 302
    assert not Assumption.objects.filter(pair=pair).exists()
    assert 'id="goals-title"' in client.get(pair.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [2, 30])
def test_pair_page_queries_do_not_grow(client, world, size, django_assert_num_queries):
    for n in range(size):
        for person in (world.executive, world.partner):
            thinking.assumption_add(
                pair=world.pair, acting_user=person, assumption=f"A{n} {person.pk}"
            )
            thinking.commitment_add(
                pair=world.pair,
                acting_user=person,
                session_on=timezone.localdate(),
                text=f"C{n} {person.pk}",
            )
    client.force_login(world.executive)

    with django_assert_num_queries(PAIR_PAGE_QUERIES):
        response = client.get(world.pair.get_absolute_url())
    assert response.status_code == 200
