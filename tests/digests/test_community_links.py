"""Digests reachable from where people are: the admin for operators, a
"Latest digest" link on the community page, and links inside digests that
lead to real pages. (The demo's digests: tests/demo/test_digests.py.)"""

import pytest
from django.urls import reverse

from digests.build import digest_build
from digests.models import DigestDelivery
from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, DigestFactory, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def latest_url(community):
    return reverse("digests:latest", kwargs={"slug": community.slug})


# --- Admin -------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_searches_and_filters_digests(admin_client):
    DigestFactory(community__name="Platform Guild")
    DigestFactory(community__name="Other Guild", items=0)
    url = reverse("admin:digests_digest_changelist")
    html = admin_client.get(url, {"q": "platform"}).content.decode()
    assert "Platform Guild" in html and "Other Guild" not in html
    response = admin_client.get(url, {"has_news__exact": "0"})
    assert response.status_code == 200
    assert "Other Guild" in response.content.decode()


def test_admin_lists_deliveries_by_status_and_member(admin_client):
    member = UserFactory(email="failing@example.com")
    DigestDelivery.objects.create(
        member=member,
        period="weekly",
        period_start=START,
        status=DigestDelivery.Status.FAILED,
        last_error="SMTP 451",
    )
    DigestDelivery.objects.create(
        member=UserFactory(email="fine@example.com"),
        period="weekly",
        period_start=START,
        status=DigestDelivery.Status.SENT,
    )
    url = reverse("admin:digests_digestdelivery_changelist")
    html = admin_client.get(url, {"status__exact": "failed"}).content.decode()
    assert "failing@example.com" in html or member.display_name in html
    assert "fine@example.com" not in html
    html = admin_client.get(url, {"q": "fine@"}).content.decode()
    assert "failing@example.com" not in html


def test_admin_is_closed_to_members(member_client):
    response = member_client.get(reverse("admin:digests_digest_changelist"))
    assert response.status_code == 302


# --- Community page and /digests/latest/ -------------------------------------


def test_community_page_links_to_latest_digest_and_archive(member_client, member):
    community = CommunityFactory()
    MembershipFactory(user=member, community=community)
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert latest_url(community) in html
    assert reverse("digests:archive", kwargs={"slug": community.slug}) in html
    # Registered by the digests app, which sits above knowledge, yet placed
    # above the (long) knowledge feed.
    assert html.index('class="digest-pointer"') < html.index('class="knowledge-feed"')


def test_latest_goes_to_the_newest_digest_with_news(member_client):
    community = CommunityFactory()
    older = DigestFactory(community=community, start=at(-14))
    newest = DigestFactory(community=community, start=at(-7))
    DigestFactory(community=community, start=at(0), items=0)  # a quiet week
    response = member_client.get(latest_url(community))
    assert response.status_code == 302
    assert response["Location"] == newest.get_absolute_url()
    assert older.get_absolute_url() != response["Location"]


def test_latest_without_digests_goes_to_the_archive_empty_state(member_client):
    community = CommunityFactory()
    response = member_client.get(latest_url(community), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "digests:archive", kwargs={"slug": community.slug}
    )
    assert "No digests yet" in response.content.decode()


def test_latest_of_private_community_is_404_for_outsiders_not_members(
    client, member, other_member
):
    secret = CommunityFactory(private=True)
    MembershipFactory(user=member, community=secret)
    DigestFactory(community=secret)
    client.force_login(other_member)
    assert client.get(latest_url(secret)).status_code == 404
    html = client.get(secret.get_absolute_url()).content.decode()
    assert latest_url(secret) not in html
    client.force_login(member)
    assert client.get(latest_url(secret)).status_code == 302


def test_latest_sends_anonymous_visitors_to_log_in(client):
    response = client.get(latest_url(CommunityFactory()))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Links inside a digest ---------------------------------------------------


def test_digest_links_resolve_to_items_communities_and_profiles(client):
    community = CommunityFactory()
    author = UserFactory()
    expert = UserFactory(expertise=["pricing"])
    newcomer = UserFactory()
    for user in (author, expert):
        MembershipFactory(user=user, community=community, joined_at=at(-60))
    MembershipFactory(user=newcomer, community=community, joined_at=at(2))
    story = ItemFactory(community=community, author=author, created_at=at(1))
    ItemFactory(
        community=community,
        author=author,
        kind=ItemKind.QUESTION,
        created_at=at(2),
        tags=["pricing"],
    )
    digest = digest_build(community=community, period="weekly", start=START)
    content = digest.content
    urls = [
        content["community"]["url"],
        content["new_items"][0]["url"],
        content["open_questions"][0]["url"],
        content["open_questions"][0]["who_could_answer"][0]["url"],
        content["new_members"][0]["url"],
    ]
    assert content["new_items"][0]["url"] == story.get_absolute_url()
    assert all(urls), urls
    client.force_login(author)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert f'href="{urls[3]}"' in digest.html
