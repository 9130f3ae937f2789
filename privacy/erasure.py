"""Erase an account: the person goes, what they taught the community stays.

Their profile is blanked and their login ended; what was about them alone
(follows, drafts, notifications, mentor offer, open requests, exports,
sign-in identities, their photo) is deleted. Their items, replies and edits
stay readable, credited to "Former member", because the community's
knowledge is not theirs alone. Copies of their name in text Practica wrote
about them (others' notifications, built digests, dashboard snapshots,
webhook deliveries, the audit log) are rewritten, and only those: erasing
"Ann Lee" leaves "Ann Leeds" as he is.
What other people wrote about them (an @mention in someone's reply) is those
people's content and is left as it is; the mention no longer links to a
profile."""

import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    BooleanField,
    F,
    Func,
    JSONField,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.services.accounts import memberships_erase
from dashboards.models import Snapshot
from digests.build import render_digest_html
from digests.models import Digest
from integrations.models import Delivery
from journeys.models import Aspiration, Plan
from knowledge.models import Draft, Follow, Mention
from members.audit import audit_record
from members.avatars import avatar_files_delete
from members.models import AuditAction, AuditEntry, LeadershipRole, User
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


def _whole(text: str) -> re.Pattern:
    """`text` as a whole name: "Ann Lee" is not found inside "Ann Leeds"."""
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")


def _people_rewrite(node, *, match, fields: dict) -> bool:
    """Rewrite, in place, every person entry (a dict) of a stored JSON
    document for which `match(entry)` holds; True when one was found."""
    found = False
    if isinstance(node, dict):
        if match(node):
            node.update({k: v for k, v in fields.items() if k in node})
            found = True
        for value in node.values():
            found = _people_rewrite(value, match=match, fields=fields) or found
    elif isinstance(node, list):
        for value in node:
            found = _people_rewrite(value, match=match, fields=fields) or found
    return found


def _holds(column: str, path: str, **variables) -> Func:
    """The JSON `column` has an item matching the SQL/JSON `path`."""
    return Func(
        F(column),
        Func(Value(path), template="%(expressions)s::jsonpath"),
        Value(variables, output_field=JSONField()),
        function="jsonb_path_exists",
        output_field=BooleanField(),
    )


@dataclass(frozen=True)
class Former:
    """Who the erased member was, and what stands in for them now."""

    pk: int
    handle: str
    name: str
    email: str
    profile_url: str
    pair_urls: list[str]
    journey_urls: list[str]
    new_handle: str
    new_url: str
    new_email: str


def _notifications_rewrite(former: Former) -> None:
    """Others' notifications about them: those they caused, those about a
    mentoring pair of theirs, their newcomer plan, or linking their profile.
    Only their whole name is replaced; other names stay as they are."""
    about = (
        Q(actor_id=former.pk)
        | Q(url__in=former.pair_urls)
        | Q(url__startswith=former.profile_url)
        | Q(kind="journeys.step_overdue", url__in=former.journey_urls)
    )
    texts = [
        (_whole(former.name), FORMER_MEMBER),
        (_whole(former.email), former.new_email),
    ]
    changed = []
    for notification in Notification.objects.filter(about).only("message", "url"):
        message = notification.message
        for pattern, after in texts:
            message = pattern.sub(after, message)
        url = notification.url
        if url.startswith(former.profile_url):
            url = former.new_url + url[len(former.profile_url) :]
        if (message, url) != (notification.message, notification.url):
            notification.message, notification.url = message, url
            changed.append(notification)
    Notification.objects.bulk_update(changed, ["message", "url"], batch_size=500)


def _digests_rewrite(former: Former) -> None:
    """Built digests naming them (an author, a newcomer, who knows what, who
    could answer): their person entries change, then the HTML is rendered
    again from the content, as digest_build does."""
    person = {
        "name": FORMER_MEMBER,
        "username": former.new_handle,
        "url": former.new_url,
    }
    # A person entry: {"id", "name", "username", "url", ...}; items have ids
    # but no username.
    person_path = "$.** ? (@.id == $id && exists(@.username))"
    naming = _holds("content", person_path, id=former.pk)
    for digest in Digest.objects.alias(naming=naming).filter(naming=True):
        if _people_rewrite(
            digest.content,
            match=lambda e: e.get("id") == former.pk and "username" in e,
            fields=person,
        ):
            with translation.override(settings.LANGUAGE_CODE):
                digest.html = render_digest_html(digest.content)
            digest.save(update_fields=["content", "html"])


def _snapshots_rewrite(former: Former) -> None:
    """Dashboard snapshot cells linking their profile: [name, profile url]."""
    link = f'"{former.profile_url}"'
    as_text = Cast("data", output_field=TextField())
    for snapshot in Snapshot.objects.alias(text=as_text).filter(text__contains=link):
        for rows in snapshot.data.values():
            for row in rows:
                for i, (_value, url) in enumerate(row):
                    if url == former.profile_url:
                        row[i] = [FORMER_MEMBER, former.new_url]
        snapshot.save(update_fields=["data"])


def _webhook_payloads_rewrite(former: Former) -> None:
    """Webhook deliveries kept for the log (and any still to be retried)."""
    naming = _holds("payload", "$.** ? (@.username == $u)", u=former.handle)
    for delivery in Delivery.objects.alias(naming=naming).filter(naming=True):
        _people_rewrite(
            delivery.payload,
            match=lambda e: e.get("username") == former.handle,
            fields={"username": former.new_handle, "display_name": FORMER_MEMBER},
        )
        delivery.save(update_fields=["payload"])


def _rewrite_copies(former: Former) -> None:
    """Their name, address and profile link in what Practica wrote about
    them. Only copies about this member are touched, and a name only as a
    whole name: erasing "Ann Lee" leaves "Ann Leeds" as it is."""
    _notifications_rewrite(former)
    _digests_rewrite(former)
    _snapshots_rewrite(former)
    _webhook_payloads_rewrite(former)
    # The audit log names an erased member by number only.
    AuditEntry.objects.filter(target_type="members.user", target_id=former.pk).update(
        target_label=f"member #{former.pk}"
    )


@transaction.atomic
def member_erase(*, member: User) -> User:
    """Anonymise `member` in place (the row stays, so authorship links hold)."""
    member = User.objects.select_for_update().get(pk=member.pk)
    now = timezone.now()
    # Read before their pairs, plans and handle change: what names them.
    pairs = Pair.objects.filter(Q(mentor=member) | Q(mentee=member))
    plans = Plan.objects.filter(user=member)
    journeys = plans.values_list("community__slug", flat=True)
    former = Former(
        pk=member.pk,
        handle=member.username,
        name=member.display_name,
        email=member.email,
        profile_url=member.get_absolute_url(),
        pair_urls=[pair.get_absolute_url() for pair in pairs.only("pk")],
        journey_urls=[
            reverse("journeys:newcomers", kwargs={"slug": slug}) for slug in journeys
        ],
        new_handle=f"former-member-{member.pk}",
        new_url=reverse("members:profile", args=[f"former-member-{member.pk}"]),
        new_email=f"erased-{member.pk}@invalid.invalid",
    )

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
    memberships_erase(member=member)
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
    member.username, member.email = former.new_handle, former.new_email
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

    _rewrite_copies(former)
    return member
