"""Knowledge fixtures: an open and a private community where `member` is
active, a steward of both, and `other_member` who belongs to neither."""

import pytest
from django.utils import timezone

from knowledge import services
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory


@pytest.fixture
def community(db, member):
    community = CommunityFactory(name="Shift Leads", slug="shift-leads")
    MembershipFactory(user=member, community=community)
    return community


@pytest.fixture
def private(db, member):
    community = CommunityFactory(name="Key Accounts", slug="key-accounts", private=True)
    MembershipFactory(user=member, community=community)
    return community


@pytest.fixture
def steward(db, community, private):
    user = UserFactory(display_name="Sue Steward")
    MembershipFactory(user=user, community=community, steward=True)
    MembershipFactory(user=user, community=private, steward=True)
    return user


@pytest.fixture
def archived(db, member):
    community = CommunityFactory(
        name="Old Guild", slug="old-guild", archived_at=timezone.now()
    )
    MembershipFactory(user=member, community=community)
    return community


@pytest.fixture
def make_item(db):
    def make(
        *,
        author,
        community,
        kind=ItemKind.STORY,
        title="A story",
        body="Body.",
        tags=(),
    ):
        return services.item_create(
            author=author,
            community=community,
            kind=kind,
            title=title,
            body=body,
            tags=tags,
        )

    return make


@pytest.fixture
def story(make_item, member, community):
    return make_item(
        author=member,
        community=community,
        title="How we fixed the night handover",
        body="We wrote a one-page checklist.",
        tags=["shift-handover", "lean"],
    )


@pytest.fixture
def question(make_item, member, community):
    return make_item(
        author=member,
        community=community,
        kind=ItemKind.QUESTION,
        title="How do you onboard night-shift newcomers?",
        body="Our newcomers feel lost.",
        tags=["onboarding"],
    )


@pytest.fixture
def secret(make_item, member, private):
    return make_item(
        author=member,
        community=private,
        title="Renewal terms for ACME",
        body="The confidential discount is zebracorn percent.",
        tags=["pricing"],
    )


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def roles(member, community, private, steward, staff):
    """The rows of a permission table, by name (None: anonymous). `member`
    is the member of both communities; "member" belongs to the open one
    only; the manager (an executive) too."""
    from members.models import LeadershipRole

    open_member = UserFactory(display_name="Oscar Open")
    MembershipFactory(user=open_member, community=community)
    manager = UserFactory(
        display_name="Maud Manager", leadership_role=LeadershipRole.EXECUTIVE
    )
    MembershipFactory(user=manager, community=community)
    return {
        "anonymous": None,
        "outsider": UserFactory(display_name="Olga Outsider"),
        "member": open_member,
        "private member": member,
        "steward": steward,
        "manager": manager,
        "staff": staff,
    }
