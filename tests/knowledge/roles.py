"""The seven people every new knowledge page is tried with, around an item
in an open community and one in a private community, both by `author`."""

from dataclasses import dataclass

from knowledge import services
from knowledge.models import Item
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

ROLES = (
    "anonymous",
    "outsider",
    "member",
    "private_member",
    "steward",
    "manager",
    "staff",
)

# Who may read something that belongs to the item (its history, its files):
# whoever may read the item. Anonymous visitors are sent to log in.
READERS = {
    "open": {
        "anonymous": 302,
        "outsider": 200,
        "member": 200,
        "private_member": 200,
        "steward": 200,
        "manager": 200,
        "staff": 200,
    },
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 200,
        "steward": 200,
        "manager": 404,
        "staff": 200,
    },
}


@dataclass
class World:
    open: object
    private: object
    author: object
    open_item: Item
    private_item: Item
    people: dict

    def login(self, client, role):
        if role != "anonymous":
            client.force_login(self.people[role])
        return client


def build_world() -> World:
    """`member` is active in the open community only, `private_member` in the
    private one only; `steward` stewards both; `manager` (an executive) and
    `outsider` belong to neither; `staff` is staff."""
    open_community = CommunityFactory(name="Welders", slug="welders")
    private = CommunityFactory(name="Board room", slug="board-room", private=True)
    author = UserFactory(display_name="Ada Author")
    MembershipFactory(user=author, community=open_community)
    MembershipFactory(user=author, community=private)
    people = {
        "outsider": UserFactory(display_name="Oscar Outsider"),
        "member": UserFactory(display_name="Mo Member"),
        "private_member": UserFactory(display_name="Pia Private"),
        "steward": UserFactory(display_name="Stu Steward"),
        "manager": UserFactory(
            display_name="Max Manager", leadership_role=LeadershipRole.EXECUTIVE
        ),
        "staff": UserFactory(display_name="Sam Staff", is_staff=True),
    }
    MembershipFactory(user=people["member"], community=open_community)
    MembershipFactory(user=people["private_member"], community=private)
    MembershipFactory(user=people["steward"], community=open_community, steward=True)
    MembershipFactory(user=people["steward"], community=private, steward=True)

    def item(community, title):
        return services.item_create(
            author=author,
            community=community,
            kind="story",
            title=title,
            body="First line.\nSecond line.",
            tags=["welding"],
        )

    return World(
        open=open_community,
        private=private,
        author=author,
        open_item=item(open_community, "Open story"),
        private_item=item(private, "Private story"),
        people=people,
    )
