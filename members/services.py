"""Writes about members. Views and the admin call these; nothing else changes
a profile or a leadership role."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import deactivation, notifier
from members.audit import audit_record
from members.avatars import avatar_files_delete, avatar_files_save
from members.markup import markdown_to_html
from members.model_update import model_update
from members.models import AuditAction, LeadershipRole, ScimToken, User, name_from_email
from members.permissions import can_set_leadership_role
from members.selectors import EXPERTISE_VERSION, PROFILE_VERSION
from members.tags import tags_normalise
from members.timezones import valid_language, valid_time_zone
from members.versioned_cache import bump

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
    if model_update(
        instance=member,
        fields=[*PROFILE_FIELDS, "bio_html"],
        data=data,
        clean_exclude=["password"],
    ):
        bump(PROFILE_VERSION)
    if expertise is not None:
        member.expertise.set(tags_normalise(expertise))
        bump(EXPERTISE_VERSION)
    if interests is not None:
        member.interests.set(tags_normalise(interests))
    return member


@transaction.atomic
def language_set(*, member: User, language: str) -> bool:
    """Store the language a member chose with the language switch (one
    Practica is translated into); returns whether it changed."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Practica is not translated into that.")})
    return model_update(
        instance=member,
        fields=["language"],
        data={"language": language},
        clean_exclude=["password"],
    )


@transaction.atomic
def avatar_set(*, member: User, images: dict[int, bytes]) -> User:
    """Give `member` the photo whose sizes are `images` (from
    members.avatars.avatar_images). The new files are written first; the
    old ones go once the new version is committed, so no page ever points
    at a missing file (a rollback leaves two unreachable files, no more)."""
    previous = member.avatar_version
    version = avatar_files_save(member_id=member.pk, images=images)
    member.avatar_version = version
    member.save(update_fields=["avatar_version"])
    bump(PROFILE_VERSION)
    transaction.on_commit(
        lambda: avatar_files_delete(member_id=member.pk, version=previous)
    )
    return member


@transaction.atomic
def avatar_remove(*, member: User) -> bool:
    """Back to initials; False when there was no photo."""
    previous = member.avatar_version
    if not previous:
        return False
    member.avatar_version = ""
    member.save(update_fields=["avatar_version"])
    bump(PROFILE_VERSION)
    transaction.on_commit(
        lambda: avatar_files_delete(member_id=member.pk, version=previous)
    )
    return True


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
    deactivation.run("leadership_role", member=member, before=before)
    bump(PROFILE_VERSION)
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
        message=gettext_lazy("%(actor)s set your leadership role to “%(role)s”."),
        params={"actor": actor, "role": role.label},
        url=member.get_absolute_url(),
    )
    return member


@transaction.atomic
def profile_tags_set(*, member: User, expertise: list[str], interests: list[str]):
    """The first visit's step: what the member knows and wants to learn."""
    member.expertise.set(tags_normalise(expertise))
    member.interests.set(tags_normalise(interests))
    bump(EXPERTISE_VERSION)
    return member


def member_onboarded(*, member: User) -> bool:
    """The member has finished (or skipped) the welcome; from now on the home
    page says "welcome back". Once: returns whether anything changed."""
    if member.onboarded_at is not None:
        return False
    member.onboarded_at = timezone.now()
    member.save(update_fields=["onboarded_at"])
    return True


# --- Provisioning by the organisation's identity provider (members.scim) ------

PROVISIONED_FIELDS = [
    "email",
    "display_name",
    "first_name",
    "last_name",
    "job_title",
    "business_unit",
    "scim_external_id",
    "scim_user_name",
]


def _provisioned_email(email: str, *, member: User | None = None) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an e-mail address.") % {"email": email}}
        ) from None
    taken = User.objects.filter(email__iexact=email)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    if taken.exists():
        raise ValidationError(
            {
                "email": ValidationError(
                    _("A member with this e-mail address already exists."),
                    code="unique",
                )
            }
        )
    return email


def _provisioned_user_name(user_name: str, *, member: User | None = None) -> str:
    """SCIM's userName, unique whatever its case; kept only when it is not
    simply the member's e-mail address."""
    user_name = (user_name or "").strip()[:254]
    if not user_name:
        return ""
    taken = User.objects.filter(scim_user_name__iexact=user_name)
    if member is not None:
        taken = taken.exclude(pk=member.pk)
    if taken.exists():
        raise ValidationError(
            {
                "scim_user_name": ValidationError(
                    _("Another member has this user name."), code="unique"
                )
            }
        )
    return user_name


def _verified_address_set(*, member: User) -> None:
    """The identity provider vouches for the address: it is the member's
    primary, verified one, so single sign-on links to this member."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=member).exclude(email=member.email).update(
        primary=False
    )
    EmailAddress.objects.update_or_create(
        user=member,
        email=member.email,
        defaults={"verified": True, "primary": True},
    )


def _scim_audit(member: User, change: str) -> None:
    """The identity provider acted (no person is the actor)."""
    audit_record(
        actor=None,
        action=AuditAction.SCIM_CHANGED,
        target=member,
        details={"change": change},
    )


@transaction.atomic
def member_provision(
    *,
    email: str,
    display_name: str = "",
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    business_unit: str = "",
    external_id: str = "",
    user_name: str = "",
    active: bool = True,
) -> User:
    """The identity provider creates a person: they are a member at once,
    with no password (they sign in through the IdP) and a verified e-mail,
    and meet the welcome on their first visit."""
    from allauth.account.adapter import get_adapter

    email = _provisioned_email(email)
    member = User(
        email=email,
        display_name=(
            display_name.strip()
            or f"{first_name} {last_name}".strip()
            or name_from_email(email)
        )[:120],
        first_name=first_name[:150],
        last_name=last_name[:150],
        job_title=job_title[:120],
        business_unit=business_unit[:120],
        scim_external_id=external_id[:254],
        scim_user_name=_provisioned_user_name(user_name),
    )
    get_adapter().populate_username(None, member)
    member.set_unusable_password()
    member.full_clean(exclude=["password"])
    member.save()
    _verified_address_set(member=member)
    _scim_audit(member, "created")
    if not active:
        deactivate_member(member=member)
    return member


@transaction.atomic
def member_provision_update(*, member: User, **data) -> bool:
    """The identity provider changes what it owns about a member (e-mail,
    names, job title, business unit, its own id); None leaves a field as it
    is. Returns whether anything changed."""
    unknown = set(data) - set(PROVISIONED_FIELDS)
    if unknown:
        raise TypeError(f"Not provisioned: {', '.join(sorted(unknown))}")
    data = {name: value for name, value in data.items() if value is not None}
    if "email" in data:
        data["email"] = _provisioned_email(data["email"], member=member)
    if "scim_user_name" in data:
        data["scim_user_name"] = _provisioned_user_name(
            data["scim_user_name"], member=member
        )
    changed = model_update(
        instance=member,
        fields=list(data),
        data=data,
        clean_exclude=["password"],
    )
    if changed:
        bump(PROFILE_VERSION)
    if "email" in data:
        _verified_address_set(member=member)
    return changed


@transaction.atomic
def deactivate_member(*, member: User) -> bool:
    """The person left the organisation (their identity provider says so):
    they can no longer sign in, every session of theirs ends, and the apps
    above members withdraw what they had open (members.deactivation: their
    mentor offer and open mentoring requests, their community memberships
    marked inactive). What they wrote stays, credited to them. Deactivating
    twice changes nothing; returns whether anything changed."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if not member.is_active:
        return False
    member.is_active = False
    # A new unusable password changes the hash every session is checked
    # against (django.contrib.auth's session verification): all end now.
    member.set_unusable_password()
    member.save(update_fields=["is_active", "password"])
    bump(EXPERTISE_VERSION)
    deactivation.run("deactivate", member=member)
    _scim_audit(member, "deactivated")
    return True


@transaction.atomic
def reactivate_member(*, member: User) -> bool:
    """The identity provider brings the person back: they may sign in again
    (through the IdP) and their inactive memberships are active again."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_active and not member.scim_deleted:
        return False
    was_inactive = not member.is_active
    member.is_active = True
    member.scim_deleted = False
    member.save(update_fields=["is_active", "scim_deleted"])
    bump(EXPERTISE_VERSION)
    if was_inactive:
        deactivation.run("reactivate", member=member)
    _scim_audit(member, "reactivated")
    return True


@transaction.atomic
def member_deprovision(*, member: User) -> bool:
    """The identity provider deletes the person (SCIM DELETE): deactivated as
    above and no longer known to SCIM; the member and their work stay."""
    changed = deactivate_member(member=member)
    if not member.scim_deleted:
        User.objects.filter(pk=member.pk).update(scim_deleted=True)
        member.scim_deleted = True
        _scim_audit(member, "deleted")
        changed = True
    return changed


# --- SCIM bearer tokens -------------------------------------------------------


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def scim_token_create(*, name: str) -> tuple[ScimToken, str]:
    """A new token for the identity provider. Returns it with the token
    itself, which is shown once and never stored (only its SHA-256)."""
    raw = secrets.token_urlsafe(32)
    token = ScimToken(name=name.strip()[:120], token_hash=_token_hash(raw))
    token.full_clean()
    token.save()
    return token, raw


def scim_token_authenticate(*, raw: str) -> ScimToken | None:
    """The token a SCIM request carries, if it is one not revoked; records
    when it was last used (one UPDATE, no read)."""
    if len(raw) > 200:
        return None
    now = timezone.now()
    tokens = ScimToken.objects.filter(token_hash=_token_hash(raw), revoked_at=None)
    if not tokens.update(last_used_at=now):
        return None
    return tokens.get()


@transaction.atomic
def scim_token_revoke(*, token: ScimToken) -> bool:
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return True
