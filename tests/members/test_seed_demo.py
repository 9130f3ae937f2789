"""manage.py seed_demo: the demo organisation, idempotent."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from taggit.models import TaggedItem

from members.demo import PASSWORD, PEOPLE
from members.models import ExpertiseTag, InterestTag, LeadershipRole, User


def _counts():
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "expertise": ExpertiseTag.objects.count(),
        "interests": InterestTag.objects.count(),
        "tagged": TaggedItem.objects.count(),
    }


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_organisation_and_prints_the_login():
    output = _seed()
    assert "admin@practica.local" in output
    assert PASSWORD in output
    assert User.objects.count() >= len(PEOPLE)
    admin = User.objects.get(email="admin@practica.local")
    assert admin.is_staff and admin.is_superuser
    assert admin.check_password(PASSWORD)
    roles = set(User.objects.values_list("leadership_role", flat=True))
    assert {
        LeadershipRole.LINE_LEADER,
        LeadershipRole.EXECUTIVE,
        LeadershipRole.NETWORKER,
        LeadershipRole.NONE,
    } <= roles
    maria = User.objects.get(email="maria.lopez@practica.local")
    assert "lean" in maria.expertise.names()
    assert EmailAddress.objects.get(user=maria).verified
    assert "<strong>shift handover</strong>" in maria.bio_html


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first


@pytest.mark.django_db
def test_seed_demo_once_skips_when_the_demo_exists(monkeypatch):
    """--once loads nothing when the demo admin exists; without it every app's
    seed runs again (and, being idempotent, creates nothing new)."""
    _seed("--once")
    first = _counts()
    calls = []
    monkeypatch.setattr("members.demo.seed", lambda stdout: calls.append("members"))
    output = _seed("--once")
    assert "already loaded" in output
    assert "admin@practica.local" in output
    assert calls == []
    _seed()
    assert calls == ["members"]
    assert _counts() == first


@pytest.mark.django_db
def test_demo_people_can_log_in_by_email(client):
    _seed()
    response = client.post(
        "/accounts/login/",
        {"login": "helen.moyo@practica.local", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
