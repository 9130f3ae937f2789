"""Share to another community and "we adopted this"."""

import pytest
from django.urls import reverse

from knowledge.models import Adoption, Item
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db


def url(name, item):
    return reverse(
        f"knowledge:{name}", kwargs={"slug": item.community.slug, "pk": item.pk}
    )


@pytest.fixture
def support(member):
    community = CommunityFactory(name="Support Leads", slug="support-leads")
    MembershipFactory(user=member, community=community)
    return community


def test_member_shares_into_their_other_community(client, member, story, support):
    client = login(client, member)
    form = client.get(url("item_share", story)).content.decode()
    assert "Support Leads" in form and "Key Accounts" not in form
    response = client.post(
        url("item_share", story), {"community": support.pk, "note": "Read this"}
    )
    copy = Item.objects.get(community=support)
    assert response["Location"] == copy.get_absolute_url()
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Shared by Mia Member from <strong>Shift Leads</strong>" in page
    assert story.get_absolute_url() in page
    origin_page = client.get(story.get_absolute_url()).content.decode()
    assert copy.get_absolute_url() in origin_page


def test_cannot_share_into_a_community_you_are_not_active_in(
    client, member, story, support
):
    elsewhere = CommunityFactory()
    response = login(client, member).post(
        url("item_share", story), {"community": elsewhere.pk, "note": ""}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Item.objects.filter(community=elsewhere).exists()


def test_outsider_cannot_share_private_item(client, other_member, secret):
    assert login(client, other_member).get(url("item_share", secret)).status_code == 404


def test_staff_who_is_not_a_member_cannot_share_private_item(client, staff, secret):
    assert login(client, staff).get(url("item_share", secret)).status_code == 403


def test_private_share_needs_a_note_and_keeps_the_body_private(
    client, member, secret, support, other_member
):
    client = login(client, member)
    response = client.post(
        url("item_share", secret), {"community": support.pk, "note": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    client.post(url("item_share", secret), {"community": support.pk, "note": "Ask me"})
    copy = Item.objects.get(community=support)
    client.force_login(other_member)
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "zebracorn" not in page
    assert "stays in that private community" in page
    assert secret.get_absolute_url() not in page
    assert client.get(secret.get_absolute_url()).status_code == 404


def test_copies_cannot_be_reshared(client, member, story, support):
    client = login(client, member)
    client.post(url("item_share", story), {"community": support.pk, "note": ""})
    copy = Item.objects.get(community=support)
    assert client.get(url("item_share", copy)).status_code == 403


def test_share_form_empty_state_without_targets(client, other_member, story):
    response = login(client, other_member).get(url("item_share", story))
    assert "not an active member of another community" in response.content.decode()


def test_member_of_b_records_adoption(client, story, other_member):
    plant = CommunityFactory(name="Plant Valencia")
    MembershipFactory(user=other_member, community=plant)
    client = login(client, other_member)
    response = client.post(
        url("item_adopt", story), {"community": plant.pk, "note": "Since May"}
    )
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.community == plant and adoption.recorded_by == other_member
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Plant Valencia" in page and "Since May" in page
    again = client.post(url("item_adopt", story), {"community": plant.pk, "note": ""})
    assert again.status_code == 200
    assert Adoption.objects.count() == 1
    assert Notification.objects.filter(kind="knowledge.adopted").count() == 1


def test_questions_cannot_be_adopted(client, member, question, support):
    assert login(client, member).get(url("item_adopt", question)).status_code == 403


def test_private_adopters_are_counted_not_named(client, story, other_member, steward):
    hidden = CommunityFactory(name="Secret Squad", private=True)
    MembershipFactory(user=steward, community=hidden)
    login(client, steward).post(
        url("item_adopt", story), {"community": hidden.pk, "note": "psst"}
    )
    assert Adoption.objects.count() == 1
    client.force_login(other_member)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Secret Squad" not in page and "psst" not in page
    assert "1 private community" in page
