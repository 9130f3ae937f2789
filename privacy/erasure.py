"""Erase an account: the person goes, what they taught the community stays.

Their profile is blanked and their login ended; what was about them alone
(follows, drafts, notifications, mentor offer, open requests, exports,
sign-in identities, their photo) is deleted. Their items, replies and edits
stay readable, credited to "Former member", because the community's
knowledge is not theirs alone. Copies of their name in text Practica wrote
(others' notifications, built digests, dashboard snapshots) are rewritten.
What other people wrote about them (an @mention in someone's reply) is those
people's content and is left as it is; the mention no longer links to a
profile."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from journeys.models import Aspiration, Plan
from knowledge.models import Draft, Follow, Mention
from members.audit import audit_record
from members.avatars import avatar_files_delete
from members.models import AuditAction, LeadershipRole, User
from members.selectors import EXPERTISE_VERSION
from members.versioned_cache import bump
from mentoring.models import (
    Assumption,
    CheckIn,
    Commitment,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)
from notifications.models import Notification
from privacy.exports import exports_delete
from privacy.permissions import can_erase

FORMER_MEMBER = "Former member"


def check_member_erase(*, acting_user: User, member: User) -> User:
    if not can_erase(acting_user, member):
        raise PermissionDenied(_("You may not erase this account."))
    erased = member_erase(member=member)
    audit_record(
        actor=acting_user,
        action=AuditAction.MEMBER_ERASED,
        target=erased,
        target_label=f"member #{erased.pk}",
    )
    return erased


def _rewrite_copies(*, old: list[str], new: list[str], member: User) -> None:
    """Names and profile links of the person in text Practica generated."""
    for before, after in zip(old, new, strict=True):
        Notification.objects.filter(message__contains=before).update(
            message=Replace("message", Value(before), Value(after))
        )
        Notification.objects.filter(url__contains=before).update(
            url=Replace("url", Value(before), Value(after))
        )
        # Stored JSON and rendered HTML of digests and dashboard snapshots.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE digests_digest SET html = replace(html, %s, %s), "
                "content = replace(content::text, %s, %s)::jsonb "
                "WHERE html LIKE %s OR content::text LIKE %s",
                [before, after, before, after, f"%{before}%", f"%{before}%"],
            )
            cursor.execute(
                "UPDATE dashboards_snapshot "
                "SET data = replace(data::text, %s, %s)::jsonb "
                "WHERE data::text LIKE %s",
                [before, after, f"%{before}%"],
            )


@transaction.atomic
def member_erase(*, member: User) -> User:
    """Anonymise `member` in place (the row stays, so authorship links hold)."""
    member = User.objects.select_for_update().get(pk=member.pk)
    now = timezone.now()
    old_handle, old_name, old_email = member.username, member.display_name, member.email

    Pair.objects.filter(
        Q(mentor=member) | Q(mentee=member),
        status__in=[Pair.Status.PROPOSED, Pair.Status.ACTIVE],
    ).update(status=Pair.Status.CLOSED, ended_at=now, closed_reason=FORMER_MEMBER)
    MentoringRequest.objects.filter(
        mentee=member,
        status__in=[MentoringRequest.Status.OPEN, MentoringRequest.Status.PROPOSED],
    ).update(status=MentoringRequest.Status.WITHDRAWN, updated_at=now)
    MentorOffer.objects.filter(user=member).delete()
    # Private notes in mentoring records are theirs; the records stay for
    # the other person's history.
    CheckIn.objects.filter(author=member).update(notes="", next_step="")
    Goal.objects.filter(created_by=member).update(created_by=None)
    Assumption.objects.filter(author=member).delete()
    Commitment.objects.filter(author=member).delete()
    Feedback.objects.filter(author=member, published_item__isnull=True).update(
        learned=""
    )
    Membership.objects.filter(user=member).exclude(
        status__in=[Membership.Status.LEFT, Membership.Status.REMOVED]
    ).update(status=Membership.Status.LEFT, role=Membership.Role.MEMBER, updated_at=now)
    Follow.objects.filter(Q(user=member) | Q(person=member)).delete()
    Draft.objects.filter(author=member).delete()
    # Their own path (the aspiration, the 90-day plans and stages) goes.
    Aspiration.objects.filter(user=member).delete()
    Plan.objects.filter(user=member).delete()
    Mention.objects.filter(user=member).delete()
    Notification.objects.filter(recipient=member).delete()
    exports_delete(member=member)
    for label in (
        "account.EmailAddress",
        "socialaccount.SocialAccount",
        "mfa.Authenticator",
        # Chat and API access: the linked Slack user, personal tokens, OAuth2
        # applications and their tokens.
        "integrations.SlackIdentity",
        "api.PersonalAccessToken",
        "oauth2_provider.AccessToken",
        "oauth2_provider.RefreshToken",
        "oauth2_provider.IDToken",
        "oauth2_provider.Grant",
        "oauth2_provider.Application",
    ):
        try:
            model = apps.get_model(label)
        except LookupError:  # that allauth app is not installed here
            continue
        model.objects.filter(user=member).delete()
    if apps.is_installed("digests"):
        apps.get_model("digests", "DigestDelivery").objects.filter(
            member=member
        ).delete()

    member.display_name = FORMER_MEMBER
    member.username = f"former-member-{member.pk}"
    member.email = f"erased-{member.pk}@invalid.invalid"
    for field in ("first_name", "last_name", "job_title", "business_unit", "location"):
        setattr(member, field, "")
    member.bio = member.bio_html = member.time_zone = member.language = ""
    # The identity provider's ids for them: SCIM no longer knows this person.
    member.scim_external_id = member.scim_user_name = ""
    member.scim_deleted = True
    member.leadership_role = LeadershipRole.NONE
    member.is_active = member.is_staff = member.is_superuser = False
    member.last_login = None
    # A new password hash changes the session auth hash: every session of
    # theirs, on every web server, is signed out at its next request.
    member.set_unusable_password()
    # Their photo: the files go once the erasure is committed.
    avatar_version, member.avatar_version = member.avatar_version, ""
    member.save()
    transaction.on_commit(
        lambda: avatar_files_delete(member_id=member.pk, version=avatar_version)
    )
    member.expertise.clear()
    member.interests.clear()
    bump(EXPERTISE_VERSION)

    _rewrite_copies(
        old=[f"/members/{old_handle}/", old_name, old_email],
        new=[f"/members/{member.username}/", FORMER_MEMBER, member.email],
        member=member,
    )
    return member
