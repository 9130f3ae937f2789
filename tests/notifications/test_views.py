"""The notifications page: a member's own notices, marking them read, and
nobody else's."""

import pytest
from django.urls import reverse

from notifications.models import Notification

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_cannot_mark_someone_elses_notification(client, member, other_member):
    note = Notification.objects.create(recipient=other_member, kind="x", message="m")
    response = _login(client, member).post(
        reverse("notifications:read"), {"id": note.pk}
    )
    assert response.status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notifications_empty_state_and_pagination(
    client, member, django_assert_max_num_queries
):
    client = _login(client, member)
    url = reverse("notifications:list")
    assert "No notifications yet" in client.get(url).content.decode()
    Notification.objects.bulk_create(
        Notification(recipient=member, kind="k", message=f"m{i}") for i in range(3)
    )
    with django_assert_max_num_queries(5):
        client.get(url)
    Notification.objects.bulk_create(
        Notification(recipient=member, kind="k", message=f"m{i}") for i in range(22)
    )
    with django_assert_max_num_queries(5):
        response = client.get(url, {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_notifications_need_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302
