"""Writes about members. Views and the admin call these; nothing else changes
a profile or a leadership role."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import notifier
from members.audit import audit_record
from members.markup import markdown_to_html
from members.model_update import model_update
from members.models import AuditAction, LeadershipRole, User
from members.permissions import can_set_leadership_role
from members.tags import tags_normalise
from members.timezones import valid_language, valid_time_zone

PROFILE_FIELDS = [
    "display_name",
    "job_title",
    "business_unit",
    "location",
    "bio",
    "digest_frequency",
    "notification_emails",
    "time_zone",
    "language",
]


@transaction.atomic
def profile_update(
    *,
    member: User,
    display_name: str,
    job_title: str = "",
    business_unit: str = "",
    location: str = "",
    bio: str = "",
    expertise: list[str] | None = None,
    interests: list[str] | None = None,
    digest_frequency: str | None = None,
    notification_emails: str | None = None,
    time_zone: str | None = None,
    language: str | None = None,
) -> User:
    """Save what a member may change about themselves. The leadership role is
    deliberately not a parameter: only `leadership_role_set` changes it."""
    data = {
        "display_name": display_name,
        "job_title": job_title,
        "business_unit": business_unit,
        "location": location,
        "bio": bio,
        "bio_html": markdown_to_html(bio),
    }
    if digest_frequency is not None:
        data["digest_frequency"] = digest_frequency
    if notification_emails is not None:
        data["notification_emails"] = notification_emails
    if time_zone is not None:
        data["time_zone"] = valid_time_zone(time_zone)
    if language is not None:
        data["language"] = valid_language(language)
    model_update(
        instance=member,
        fields=[*PROFILE_FIELDS, "bio_html"],
        data=data,
        clean_exclude=["password"],
    )
    if expertise is not None:
        member.expertise.set(tags_normalise(expertise))
    if interests is not None:
        member.interests.set(tags_normalise(interests))
    return member


@transaction.atomic
def leadership_role_set(*, actor: User, member: User, role: str) -> User:
    """Give `member` a leadership role (or none). Staff only; the member is told."""
    if not can_set_leadership_role(actor):
        raise PermissionDenied(_("Only staff can set leadership roles."))
    role = LeadershipRole(role)
    if member.leadership_role == role:
        return member
    before = member.leadership_role
    member.leadership_role = role
    member.save(update_fields=["leadership_role"])
    audit_record(
        actor=actor,
        action=AuditAction.ROLE_SET,
        target=member,
        details={"from": before, "to": role.value},
    )
    notifier.notify(
        recipient=member,
        actor=actor,
        kind="members.role_changed",
        message=_("%(actor)s set your leadership role to “%(role)s”.")
        % {"actor": actor, "role": role.label},
        url=member.get_absolute_url(),
    )
    return member


@transaction.atomic
def profile_tags_set(*, member: User, expertise: list[str], interests: list[str]):
    """The first visit's step: what the member knows and wants to learn."""
    member.expertise.set(tags_normalise(expertise))
    member.interests.set(tags_normalise(interests))
    return member


def member_onboarded(*, member: User) -> bool:
    """The member has finished (or skipped) the welcome; from now on the home
    page says "welcome back". Once: returns whether anything changed."""
    if member.onboarded_at is not None:
        return False
    member.onboarded_at = timezone.now()
    member.save(update_fields=["onboarded_at"])
    return True
