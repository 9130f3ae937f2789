"""A stored digest never keeps an item that a steward hid after it was built:
the sweeper rebuilds it, once."""

import pytest
from django.utils import timezone

from digests.build import digest_build
from digests.models import Digest
from digests.redact import digests_redact_hidden
from knowledge import services
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_item_hidden_after_the_build_leaves_the_stored_digest():
    community = CommunityFactory()
    steward = UserFactory()
    MembershipFactory(user=steward, community=community, steward=True)
    kept = ItemFactory(community=community, title="Keep this lesson", created_at=at(1))
    gone = ItemFactory(community=community, title="Posted by mistake", created_at=at(2))
    digest = digest_build(community=community, period="weekly", start=START)
    assert "Posted by mistake" in digest.html

    services.item_hide(item=gone, acting_user=steward)
    assert digests_redact_hidden(now=timezone.now()) == 1
    digest.refresh_from_db()
    assert "Posted by mistake" not in digest.html
    assert kept.title in digest.html
    assert digests_redact_hidden(now=timezone.now()) == 0  # done once


def test_other_communities_digests_are_left_alone():
    community, other = CommunityFactory(), CommunityFactory()
    steward = UserFactory()
    item = ItemFactory(community=community, created_at=at(1))
    ItemFactory(community=other, created_at=at(1))
    digest_build(community=community, period="weekly", start=START)
    untouched = digest_build(community=other, period="weekly", start=START)
    services.item_hide(item=item, acting_user=steward)
    assert digests_redact_hidden() == 1
    assert Digest.objects.get(pk=untouched.pk).built_at == untouched.built_at
