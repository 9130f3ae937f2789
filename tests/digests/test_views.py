"""Archive and detail pages: who may see them, pagination, query counts."""

import pytest
from django.urls import reverse

from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import DigestFactory

pytestmark = pytest.mark.django_db


def archive_url(community, **query):
    url = reverse("digests:archive", kwargs={"slug": community.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def detail_url(digest):
    return reverse(
        "digests:detail", kwargs={"slug": digest.community.slug, "pk": digest.pk}
    )


def test_anonymous_visitors_are_sent_to_log_in(client):
    digest = DigestFactory()
    for url in (archive_url(digest.community), detail_url(digest)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_any_member_reads_an_open_communitys_digests(member_client):
    digest = DigestFactory(community__name="Open Guild")
    response = member_client.get(archive_url(digest.community))
    assert response.status_code == 200
    assert detail_url(digest) in response.content.decode()
    response = member_client.get(detail_url(digest))
    assert response.status_code == 200
    assert "Open Guild" in response.content.decode()


def test_private_digests_are_hidden_from_non_members(member_client, member):
    secret = CommunityFactory(private=True)
    digest = DigestFactory(community=secret)
    MembershipFactory(user=member, community=secret, pending=True)
    assert member_client.get(archive_url(secret)).status_code == 404
    assert member_client.get(detail_url(digest)).status_code == 404


def test_private_digests_are_shown_to_members_and_staff(
    member_client, member, staff_client
):
    secret = CommunityFactory(private=True)
    digest = DigestFactory(community=secret)
    MembershipFactory(user=member, community=secret)
    assert member_client.get(archive_url(secret)).status_code == 200
    assert member_client.get(detail_url(digest)).status_code == 200
    assert staff_client.get(detail_url(digest)).status_code == 200


def test_a_digest_only_opens_under_its_own_community(member_client):
    digest = DigestFactory()
    other = CommunityFactory()
    url = reverse("digests:detail", kwargs={"slug": other.slug, "pk": digest.pk})
    assert member_client.get(url).status_code == 404
    assert member_client.get(archive_url(other, x=1) + "&page=1").status_code == 200


def test_empty_archive_says_so(member_client):
    community = CommunityFactory()
    DigestFactory(community=community, items=0)  # a quiet week is not listed
    response = member_client.get(archive_url(community))
    assert "No digests yet" in response.content.decode()


def test_archive_filters_by_period_and_paginates(member_client, settings):
    settings.PAGE_SIZE = 3
    community = CommunityFactory()
    DigestFactory.create_batch(4, community=community)
    DigestFactory(community=community, period="daily")
    page = member_client.get(archive_url(community, period="weekly")).context["page"]
    assert page.paginator.count == 4 and len(page.object_list) == 3
    page = member_client.get(archive_url(community, period="weekly", page=2))
    assert len(page.context["page"].object_list) == 1
    # Bad input never breaks the page: unknown period = all, bad page = first.
    response = member_client.get(archive_url(community, period="yearly", page="x"))
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert response.context["page"].paginator.count == 5


@pytest.mark.parametrize("size", [1, 25])
def test_archive_query_count_does_not_grow(
    member_client, size, django_assert_max_num_queries
):
    community = CommunityFactory()
    DigestFactory.create_batch(size, community=community)
    with django_assert_max_num_queries(7):
        response = member_client.get(archive_url(community))
    assert response.status_code == 200
