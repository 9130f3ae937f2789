"""members.services and members.permissions: the one way profiles and roles change."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from members import services
from members.models import LeadershipRole
from members.permissions import can_edit_profile, can_set_leadership_role, is_manager
from notifications.models import Notification
from tests.members.factories import UserFactory


@pytest.mark.django_db
def test_profile_update_renders_bio_to_sanitised_html(member):
    services.profile_update(
        member=member,
        display_name="Mia",
        bio="Hi <script>alert(1)</script> [x](javascript:alert(1)) *there*",
    )
    member.refresh_from_db()
    assert "<script>" not in member.bio_html
    assert "javascript:" not in member.bio_html
    assert "<em>there</em>" in member.bio_html


@pytest.mark.django_db
def test_profile_update_sets_tags_and_leaves_them_when_not_given(member):
    services.profile_update(
        member=member, display_name="Mia", expertise=["lean"], interests=["coaching"]
    )
    services.profile_update(member=member, display_name="Mia M")
    assert list(member.expertise.names()) == ["lean"]
    assert list(member.interests.names()) == ["coaching"]
    services.profile_update(member=member, display_name="Mia M", expertise=[])
    assert list(member.expertise.names()) == []


@pytest.mark.django_db
def test_profile_update_validates_the_model(member):
    with pytest.raises(ValidationError):
        services.profile_update(member=member, display_name="Mia", job_title="x" * 200)


@pytest.mark.django_db
def test_leadership_role_set_is_for_staff_only(member, other_member, staff):
    with pytest.raises(PermissionDenied):
        services.leadership_role_set(actor=member, member=member, role="executive")
    member.refresh_from_db()
    assert member.leadership_role == LeadershipRole.NONE
    services.leadership_role_set(actor=staff, member=other_member, role="executive")
    other_member.refresh_from_db()
    assert other_member.leadership_role == LeadershipRole.EXECUTIVE


@pytest.mark.django_db
def test_setting_the_same_role_again_does_not_notify_twice(staff, other_member):
    services.leadership_role_set(actor=staff, member=other_member, role="networker")
    services.leadership_role_set(actor=staff, member=other_member, role="networker")
    assert Notification.objects.filter(recipient=other_member).count() == 1


@pytest.mark.django_db
def test_leadership_role_set_rejects_unknown_roles(staff, other_member):
    with pytest.raises(ValueError):
        services.leadership_role_set(actor=staff, member=other_member, role="king")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "staff", "manager"),
    [
        (LeadershipRole.LINE_LEADER, False, True),
        (LeadershipRole.EXECUTIVE, False, True),
        (LeadershipRole.NETWORKER, False, False),
        (LeadershipRole.NONE, False, False),
        (LeadershipRole.NONE, True, True),
    ],
)
def test_managers_are_line_leaders_executives_and_staff(role, staff, manager):
    user = UserFactory(leadership_role=role, is_staff=staff)
    assert is_manager(user) is manager
    assert user.is_manager is manager


@pytest.mark.django_db
def test_deactivated_and_anonymous_users_are_never_managers():
    assert is_manager(AnonymousUser()) is False
    gone = UserFactory(leadership_role=LeadershipRole.EXECUTIVE, is_active=False)
    assert is_manager(gone) is False


@pytest.mark.django_db
def test_only_staff_set_roles_and_members_edit_only_themselves(
    member, other_member, staff
):
    assert can_set_leadership_role(staff)
    assert not can_set_leadership_role(member)
    assert not can_set_leadership_role(AnonymousUser())
    assert can_edit_profile(member, member)
    assert not can_edit_profile(member, other_member)
    assert can_edit_profile(staff, other_member)
