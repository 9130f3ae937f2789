"""members.versioned_cache, and the directory's cached expertise filter."""

import pytest
from django.urls import reverse

from members import versioned_cache
from members.services import deactivate_member, profile_tags_set
from tests.members.factories import UserFactory


def test_a_bump_makes_the_next_read_recompute():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert versioned_cache.cached("k", ["v"], compute) == 1
    assert versioned_cache.cached("k", ["v"], compute) == 1
    versioned_cache.bump("v")
    assert versioned_cache.cached("k", ["v"], compute) == 2
    versioned_cache.bump("other")
    assert versioned_cache.cached("k", ["v"], compute) == 2


def test_a_lost_version_is_never_an_old_one():
    """Redis evicted the version: the key comes back new, not reused."""
    from django.core.cache import cache

    assert versioned_cache.cached("k", ["v"], lambda: "old") == "old"
    cache.delete("version:v")
    assert versioned_cache.cached("k", ["v"], lambda: "new") == "new"


def _expertise_options(client):
    response = client.get(reverse("members:directory"))
    choices = response.context["form"].fields["tag"].widget.choices
    return {slug for slug, _name in choices if slug}


@pytest.mark.django_db
def test_the_directory_filter_follows_expertise_changes_at_once(member_client):
    person = UserFactory(expertise=["lean"])
    assert _expertise_options(member_client) == {"lean"}
    assert _expertise_options(member_client) == {"lean"}  # from the cache
    profile_tags_set(member=person, expertise=["kaizen"], interests=[])
    assert _expertise_options(member_client) == {"kaizen"}
    deactivate_member(member=person)
    assert _expertise_options(member_client) == set()
