"""/admin/ for communities: the membership inline changes roles and removes
members through communities.services, so the last steward stays."""

import pytest
from django.urls import reverse

from communities.models import Membership
from notifications.models import Notification
from tests.admin_forms import change_form_data
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def community():
    community = CommunityFactory(name="Lean Circle")
    MembershipFactory(community=community, steward=True, user__display_name="Stef")
    MembershipFactory(community=community, user__display_name="Max")
    return community


def _rows(community):
    """{display name: membership}, fresh from the database."""
    memberships = Membership.objects.filter(community=community).order_by("pk")
    return {m.user.display_name: m for m in memberships}


def _post(client, community, changes: dict):
    url = reverse("admin:communities_community_change", args=[community.pk])
    page = client.get(url)
    forms = page.context["inline_admin_formsets"][0].formset.forms
    index = {form.instance.user.display_name: i for i, form in enumerate(forms)}
    data = change_form_data(page)
    for (name, field), value in changes.items():
        data[f"memberships-{index[name]}-{field}"] = value
    return client.post(url, data)


def test_the_last_steward_cannot_be_demoted_in_the_inline(admin_client, community):
    response = _post(admin_client, community, {("Stef", "role"): "member"})
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    assert "last steward" in str(errors)
    assert _rows(community)["Stef"].role == "steward"


def test_the_last_steward_cannot_be_removed_in_the_inline(admin_client, community):
    response = _post(admin_client, community, {("Stef", "DELETE"): "on"})
    assert response.status_code == 200
    assert "last steward" in response.content.decode()
    stef = _rows(community)["Stef"]
    assert (stef.status, stef.role) == ("active", "steward")


def test_handing_over_in_one_save_promotes_then_demotes(admin_client, community):
    response = _post(
        admin_client,
        community,
        {("Stef", "role"): "member", ("Max", "role"): "steward"},
    )
    assert response.status_code == 302
    rows = _rows(community)
    assert (rows["Stef"].role, rows["Max"].role) == ("member", "steward")
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"communities.promoted", "communities.demoted"} <= kinds


def test_deleting_a_member_row_removes_them_through_the_service(
    admin_client, community
):
    response = _post(admin_client, community, {("Max", "DELETE"): "on"})
    assert response.status_code == 302
    max_ = _rows(community)["Max"]
    assert max_.status == "removed"
    assert Notification.objects.get(recipient=max_.user).kind == "communities.removed"


def test_memberships_are_read_only_outside_the_inline(admin_client, community):
    membership = _rows(community)["Max"]
    url = reverse("admin:communities_membership_change", args=[membership.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"role": "steward"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == "member"


def test_an_admin_edit_goes_through_community_update(admin_client, community):
    """The description is rendered and the tags normalised, as on the site."""
    url = reverse("admin:communities_community_change", args=[community.pk])
    data = change_form_data(
        admin_client.get(url),
        description="We walk the **gemba** weekly.",
        tags="Shift Handover, 5S",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    community.refresh_from_db()
    assert "<strong>gemba</strong>" in community.description_html
    assert sorted(community.tags.names()) == ["5s", "shift-handover"]


def test_communities_are_created_on_the_site_not_in_the_admin(admin_client):
    response = admin_client.get(reverse("admin:communities_community_add"))
    assert response.status_code == 403


def test_an_archived_community_is_read_only_in_the_admin(admin_client, community):
    community.archived_at = community.created_at
    community.save(update_fields=["archived_at"])
    url = reverse("admin:communities_community_change", args=[community.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "name" not in form.fields and "description" not in form.fields
