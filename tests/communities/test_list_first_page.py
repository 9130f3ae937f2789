"""The community list's first page, read from a query compiled once per
process (selectors.community_list_first_page), holds what the ORM's
community_list gives for it: the same communities in the same order, with
the same standing and figures, for every sort and kind of viewer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities import selectors
from communities.selectors import LIST_CARD_FIELDS, LIST_CARD_STANDING, SORTS
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = 3


def card(community) -> tuple:
    return (
        community.pk,
        *(getattr(community, name) for name in LIST_CARD_FIELDS),
        *(getattr(community, name) for name in LIST_CARD_STANDING),
    )


@pytest.fixture
def organisation():
    """Communities that every sort orders differently, some the member is
    in (one private), one private they are not in, one archived, one with
    a request pending."""
    member, other = UserFactory(), UserFactory()
    now = timezone.now()
    made = []
    for n in range(7):
        community = CommunityFactory(
            name=f"Community {n}",
            private=n in (2, 5),
            last_activity_at=now - timedelta(hours=(n * 5) % 7),
            archived_at=now if n == 6 else None,
        )
        for _ in range(n % 4):
            MembershipFactory(community=community)
        made.append(community)
    MembershipFactory(community=made[4], user=member)
    MembershipFactory(community=made[2], user=member)
    MembershipFactory(community=made[1], user=member, pending=True)
    MembershipFactory(community=made[3], user=other)
    return {"member": member, "other": other, "staff": UserFactory(is_staff=True)}


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("viewer", ["member", "other", "staff"])
def test_the_first_page_is_the_orms(organisation, sort, viewer):
    user = organisation[viewer]

    window = selectors.community_list_first_page(user=user, sort=sort, size=PAGE)
    orm = selectors.community_list(user=user, sort=sort, prefetch_tags=False)

    assert len(window) == orm.count() == 7
    assert [card(c) for c in window[0:PAGE]] == [card(c) for c in orm[:PAGE]]


def test_a_search_a_topic_or_a_later_page_reads_the_queryset(organisation):
    user = organisation["member"]
    for asked in (
        {"q": "Community 1", "tag": "", "page": None},
        {"q": "", "tag": "lean", "page": None},
        {"q": "", "tag": "", "page": "2"},
    ):
        rows = selectors.community_list_rows(user=user, sort="activity", **asked)
        assert hasattr(rows, "query"), asked
    first = selectors.community_list_rows(
        user=user, q="", tag="", sort="activity", page="1"
    )
    assert not hasattr(first, "query")


def test_the_count_agrees_with_the_rows_when_a_community_comes_between(
    organisation, monkeypatch
):
    """A community made after the rows were read but before they were
    counted: the first page still shows, as the whole list."""
    from communities.models import Community

    real = Community.objects.count
    monkeypatch.setattr(Community.objects, "count", lambda: real() + 1)

    window = selectors.community_list_first_page(
        user=organisation["member"], sort="activity", size=20
    )

    assert len(window) == 7
    assert len(window[0:20]) == 7
