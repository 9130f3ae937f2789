"""/admin/: members' models registered with search and filters, staff only."""

import pytest
from django.urls import reverse

from members.models import OutboxJob
from notifications.models import Notification
from tests.admin_forms import change_form_data
from tests.members.factories import UserFactory


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("members_user", {"q": "maria", "leadership_role__exact": "executive"}),
        (
            "notifications_notification",
            {"q": "hello", "kind": "members.role_changed"},
        ),
        ("members_outboxjob", {"task_name": "members.outbox_flush"}),
    ],
)
def test_admin_changelists_search_and_filter(superuser_client, model, params):
    member = UserFactory(display_name="Maria Admin-Test", leadership_role="executive")
    Notification.objects.create(
        recipient=member, kind="members.role_changed", message="hello"
    )
    OutboxJob.objects.create(task_name="members.outbox_flush")
    url = reverse(f"admin:{model}_changelist")
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.get(url, params).status_code == 200


@pytest.mark.django_db
def test_members_cannot_open_the_admin(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_editing_a_bio_in_the_admin_renders_it(superuser_client):
    member = UserFactory(display_name="Bio Person")
    url = reverse("admin:members_user_change", args=[member.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"groups", "expertise", "interests"}
    }
    data.update(
        bio="**bold** move",
        expertise="lean",
        interests="",
        last_login_0="",
        last_login_1="",
        date_joined_0="2025-01-01",
        date_joined_1="10:00:00",
    )
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.bio_html == "<p><strong>bold</strong> move</p>"


@pytest.mark.django_db
def test_staff_add_a_member_in_the_admin(superuser_client):
    response = superuser_client.post(
        reverse("admin:members_user_add"),
        {
            "email": "new.person@example.com",
            "username": "new-person",
            "display_name": "New Person",
            "usable_password": "true",
            "password1": "a-long-practice-password-42",
            "password2": "a-long-practice-password-42",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    from members.models import User

    assert User.objects.get(username="new-person").display_name == "New Person"


@pytest.mark.django_db
def test_changing_a_leadership_role_in_the_admin_goes_through_the_service(client):
    """The role changes through members.services.leadership_role_set, which
    tells the member who changed it; the rest of the form saves as usual."""
    staff = UserFactory(is_staff=True, is_superuser=True, display_name="Sid Staff")
    client.force_login(staff)
    member = UserFactory(display_name="Rita Role", leadership_role="none")
    url = reverse("admin:members_user_change", args=[member.pk])
    data = change_form_data(
        client.get(url), leadership_role="executive", job_title="COO"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert (member.leadership_role, member.job_title) == ("executive", "COO")
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == "members.role_changed" and notice.actor == staff
    assert "Executive leader" in notice.message
    # Saving again without a change tells nobody anything.
    client.post(url, change_form_data(client.get(url)))
    assert Notification.objects.filter(recipient=member).count() == 1
