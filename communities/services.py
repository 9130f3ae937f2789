"""Writes to communities and memberships. Every state change goes through here.

Views check permissions first (communities.permissions); services still
enforce the invariants that must hold whoever calls them: an archived
community is read-only, and a community always keeps at least one steward.
Every action is idempotent, so a double click changes nothing.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.models import Community, Membership, Visibility
from members.markup import markdown_to_html
from notifications.services import notify

WELCOME_STEPS = {
    "introduce": "introduced_at",
    "read": "read_helpful_at",
    "connect": "connected_at",
}

Status = Membership.Status
Role = Membership.Role


class MembershipError(ValueError):
    """An action that cannot happen in the current state; the message is for
    the member (views show it as is)."""


class LastStewardError(MembershipError):
    pass


class CommunityArchivedError(MembershipError):
    pass


# --- Cross-app hooks (signatures are a contract) ---------------------------


def welcome_step_complete(*, user, community, step: str) -> bool:
    """Tick one newcomer checklist step ("introduce", "read" or "connect") for
    `user` in `community`. A no-op (False) for non-members or a step already done."""
    field = WELCOME_STEPS[step]
    updated = Membership.objects.filter(
        user_id=user.pk,
        community_id=community.pk,
        status=Membership.Status.ACTIVE,
        **{f"{field}__isnull": True},
    ).update(**{field: timezone.now()})
    return updated > 0


def community_record_activity(*, community_id: int, at=None) -> None:
    """Something happened inside the community: it sorts higher "by activity"."""
    at = at or timezone.now()
    Community.objects.filter(pk=community_id, last_activity_at__lt=at).update(
        last_activity_at=at
    )


# --- Helpers ------------------------------------------------------------------


def unique_slug_for(name: str, *, exclude_pk: int | None = None) -> str:
    """A free community address derived from `name` ("shift-handover-2"...)."""
    base = slugify(name)[:130] or "community"
    taken = set(
        Community.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _settings_url(community) -> str:
    return reverse("communities:settings", kwargs={"slug": community.slug})


def _invitations_url() -> str:
    return reverse("communities:invitations")


def _ensure_open_for_changes(community) -> None:
    if community.is_archived:
        raise CommunityArchivedError(
            _("%(name)s is archived: it is read-only.") % {"name": community.name}
        )


def _lock_community(community) -> Community:
    """Serialise every change to who stewards `community` (the last-steward
    rule counts stewards, so two concurrent demotions must not both pass)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _lock_membership(*, user, community) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(user_id=user.pk, community_id=community.pk)
        .first()
    )


def _new_membership(*, user, community, **fields) -> tuple[Membership, bool]:
    """Create a membership, or lock the one a concurrent request just made
    (then `created` is False and the other request did the rest)."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, community=community, **fields
            )
    except IntegrityError:
        return _lock_membership(user=user, community=community), False
    return membership, True


def _active_stewards(community):
    return Membership.objects.filter(
        community_id=community.pk, status=Status.ACTIVE, role=Role.STEWARD
    ).select_related("user")


def _ensure_not_last_steward(membership, message: str) -> None:
    if not membership.is_steward:
        return
    others = _active_stewards(membership.community).exclude(pk=membership.pk).exists()
    if not others:
        raise LastStewardError(message)


def _notify_stewards(community, *, kind, message, url, actor) -> None:
    for steward in _active_stewards(community):
        notify(recipient=steward.user, kind=kind, message=message, url=url, actor=actor)


def _activate(membership, *, role=None) -> None:
    membership.status = Status.ACTIVE
    membership.joined_at = timezone.now()
    if role:
        membership.role = role
    membership.save(update_fields=["status", "joined_at", "role", "updated_at"])


# --- Communities --------------------------------------------------------------


@transaction.atomic
def community_create(
    *,
    creator,
    name: str,
    purpose: str,
    slug: str = "",
    description: str = "",
    tags=(),
    visibility: str = Visibility.OPEN,
) -> Community:
    """Create a community; its creator becomes its first steward."""
    name = name.strip()
    community = Community(
        name=name,
        slug=slug or unique_slug_for(name),
        purpose=purpose.strip(),
        description=description,
        description_html=markdown_to_html(description),
        visibility=visibility,
        created_by=creator,
    )
    community.full_clean()
    community.save()
    if tags:
        community.tags.set(_clean_tags(tags))
    Membership.objects.create(
        user=creator,
        community=community,
        role=Role.STEWARD,
        status=Status.ACTIVE,
        joined_at=community.created_at,
    )
    return community


@transaction.atomic
def community_update(
    *,
    community: Community,
    actor,
    name: str,
    slug: str,
    purpose: str,
    description: str = "",
    tags=(),
    visibility: str,
) -> Community:
    community = _lock_community(community)
    _ensure_open_for_changes(community)
    community.name = name.strip()
    community.slug = slug or unique_slug_for(name, exclude_pk=community.pk)
    community.purpose = purpose.strip()
    community.description = description
    community.description_html = markdown_to_html(description)
    community.visibility = visibility
    community.full_clean()
    community.save(
        update_fields=[
            "name",
            "slug",
            "purpose",
            "description",
            "description_html",
            "visibility",
        ]  # fmt: skip
    )
    community.tags.set(_clean_tags(tags))
    return community


def _clean_tags(tags) -> list[str]:
    return sorted({t.strip().lower() for t in tags if t and t.strip()})[:20]


@transaction.atomic
def community_archive(*, community: Community, actor) -> Community:
    """Make a community read-only. Archiving twice keeps the first date."""
    community = _lock_community(community)
    if community.archived_at is None:
        community.archived_at = timezone.now()
        community.save(update_fields=["archived_at"])
    return community


@transaction.atomic
def community_reopen(*, community: Community, actor) -> Community:
    community = _lock_community(community)
    if community.archived_at is not None:
        community.archived_at = None
        community.save(update_fields=["archived_at"])
    return community


# --- Joining and leaving ----------------------------------------------------------


JOINABLE_AGAIN = {Status.LEFT, Status.DECLINED}


@transaction.atomic
def community_join(*, user, community: Community) -> Membership:
    """Join an open community at once. Joining again changes nothing; an
    invitation is accepted; members removed by a steward must ask instead."""
    _ensure_open_for_changes(community)
    if community.is_private:
        raise MembershipError(
            _("%(name)s is private: ask to join instead.") % {"name": community.name}
        )
    membership = _lock_membership(user=user, community=community)
    if membership is None:
        membership, created = _new_membership(
            user=user, community=community, status=Status.ACTIVE, role=Role.MEMBER,
            joined_at=timezone.now(),
        )  # fmt: skip
        if created:
            return membership
    if membership.is_active or membership.is_pending:
        return membership
    if membership.is_invited:
        return invitation_accept(user=user, community=community)
    if membership.status == Status.REMOVED:
        raise MembershipError(
            _("A steward removed you from %(name)s; ask to join again.")
            % {"name": community.name}
        )
    _activate(membership, role=Role.MEMBER)
    return membership


@transaction.atomic
def community_request_join(*, user, community: Community) -> Membership:
    """Ask to join a private community (or an open one after removal): the
    stewards are told once; asking twice changes nothing."""
    _ensure_open_for_changes(community)
    membership = _lock_membership(user=user, community=community)
    if membership is not None and (membership.is_active or membership.is_pending):
        return membership
    if membership is not None and membership.is_invited:
        # They were already asked in: asking back is accepting.
        return invitation_accept(user=user, community=community)
    if not community.is_private and (
        membership is None or membership.status in JOINABLE_AGAIN
    ):
        return community_join(user=user, community=community)
    if membership is None:
        membership, created = _new_membership(
            user=user, community=community, status=Status.PENDING, role=Role.MEMBER
        )
        if not created:
            return membership
    else:
        membership.status = Status.PENDING
        membership.role = Role.MEMBER
        membership.save(update_fields=["status", "role", "updated_at"])
    _notify_stewards(
        community,
        kind="communities.request",
        message=_("%(user)s asks to join %(name)s.")
        % {"user": user, "name": community.name},
        url=_settings_url(community),
        actor=user,
    )
    return membership


@transaction.atomic
def community_leave(*, user, community: Community) -> Membership | None:
    """Leave a community (or withdraw a request). The last steward must hand
    over first. Leaving twice changes nothing."""
    _lock_community(community)
    membership = _lock_membership(user=user, community=community)
    if membership is None or membership.status not in (Status.ACTIVE, Status.PENDING):
        return membership
    _ensure_not_last_steward(
        membership,
        _(
            "You are the last steward of %(name)s. Make another member a "
            "steward before you leave, so the community is not left without one."
        )
        % {"name": community.name},
    )
    membership.status = Status.LEFT
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])
    return membership


# --- Stewards deciding on requests --------------------------------------------


@transaction.atomic
def membership_approve(*, actor, membership: Membership) -> Membership:
    community = membership.community
    _ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        return membership
    _activate(membership, role=Role.MEMBER)
    notify(
        recipient=membership.user,
        kind="communities.approved",
        message=_("Welcome! You are now a member of %(name)s.")
        % {"name": community.name},
        url=community.get_absolute_url(),
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_decline(*, actor, membership: Membership) -> Membership:
    community = membership.community
    _ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Status.PENDING:
        return membership
    membership.status = Status.DECLINED
    membership.save(update_fields=["status", "updated_at"])
    notify(
        recipient=membership.user,
        kind="communities.declined",
        message=_("Your request to join %(name)s was declined.")
        % {"name": community.name},
        url=reverse("communities:list"),
        actor=actor,
    )
    return membership


# --- Invitations ------------------------------------------------------------------


@transaction.atomic
def community_invite(*, actor, community: Community, invitee) -> Membership:
    """Invite someone. Inviting a member changes nothing; inviting someone
    who asked to join lets them in."""
    _ensure_open_for_changes(community)
    membership = _lock_membership(user=invitee, community=community)
    if membership is None:
        membership, created = _new_membership(
            user=invitee, community=community, status=Status.INVITED,
            role=Role.MEMBER, invited_by=actor,
        )  # fmt: skip
        if not created:
            return membership
    elif membership.is_active or membership.is_invited:
        return membership
    elif membership.is_pending:
        return membership_approve(actor=actor, membership=membership)
    else:
        membership.status = Status.INVITED
        membership.role = Role.MEMBER
        membership.invited_by = actor
        membership.save(update_fields=["status", "role", "invited_by", "updated_at"])
    notify(
        recipient=invitee,
        kind="communities.invited",
        message=_("%(actor)s invites you to join %(name)s.")
        % {"actor": actor, "name": community.name},
        url=_invitations_url(),
        actor=actor,
    )
    return membership


@transaction.atomic
def invitation_accept(*, user, community: Community) -> Membership:
    _ensure_open_for_changes(community)
    membership = _lock_membership(user=user, community=community)
    if membership is None or not membership.is_invited:
        if membership is not None and membership.is_active:
            return membership
        raise MembershipError(_("There is no invitation to accept."))
    _activate(membership, role=Role.MEMBER)
    if membership.invited_by_id:
        notify(
            recipient=membership.invited_by,
            kind="communities.invitation_accepted",
            message=_("%(user)s accepted your invitation to %(name)s.")
            % {"user": user, "name": community.name},
            url=community.get_absolute_url(),
            actor=user,
        )
    return membership


@transaction.atomic
def invitation_decline(*, user, community: Community) -> Membership | None:
    membership = _lock_membership(user=user, community=community)
    if membership is None or not membership.is_invited:
        return membership
    membership.status = Status.DECLINED
    membership.save(update_fields=["status", "updated_at"])
    if membership.invited_by_id:
        notify(
            recipient=membership.invited_by,
            kind="communities.invitation_declined",
            message=_("%(user)s declined your invitation to %(name)s.")
            % {"user": user, "name": community.name},
            url=_settings_url(community),
            actor=user,
        )
    return membership


# --- Stewards managing members ----------------------------------------------------


@transaction.atomic
def membership_promote(*, actor, membership: Membership) -> Membership:
    """Make an active member a steward. Promoting a steward changes nothing."""
    community = _lock_community(membership.community)
    _ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise MembershipError(_("Only active members can become stewards."))
    if membership.role == Role.STEWARD:
        return membership
    membership.role = Role.STEWARD
    membership.save(update_fields=["role", "updated_at"])
    notify(
        recipient=membership.user,
        kind="communities.promoted",
        message=_("You are now a steward of %(name)s.") % {"name": community.name},
        url=_settings_url(community),
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_demote(*, actor, membership: Membership) -> Membership:
    """Hand a steward back to member. Never the last steward."""
    community = _lock_community(membership.community)
    _ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role != Role.STEWARD:
        return membership
    _ensure_not_last_steward(
        membership,
        _(
            "%(user)s is the last steward of %(name)s. Make someone else a "
            "steward first."
        )
        % {"user": membership.user, "name": community.name},
    )
    membership.role = Role.MEMBER
    membership.save(update_fields=["role", "updated_at"])
    notify(
        recipient=membership.user,
        kind="communities.demoted",
        message=_("You are no longer a steward of %(name)s.")
        % {"name": community.name},
        url=community.get_absolute_url(),
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> Membership:
    """Remove a member (or cancel an invitation). Never the last steward."""
    community = _lock_community(membership.community)
    _ensure_open_for_changes(community)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status not in (Status.ACTIVE, Status.INVITED):
        return membership
    was_active = membership.is_active
    _ensure_not_last_steward(
        membership,
        _(
            "%(user)s is the last steward of %(name)s and cannot be removed. "
            "Make someone else a steward first."
        )
        % {"user": membership.user, "name": community.name},
    )
    membership.status = Status.REMOVED if was_active else Status.DECLINED
    membership.role = Role.MEMBER
    membership.save(update_fields=["status", "role", "updated_at"])
    if was_active:
        notify(
            recipient=membership.user,
            kind="communities.removed",
            message=_("A steward removed you from %(name)s.")
            % {"name": community.name},
            url=reverse("communities:list"),
            actor=actor,
        )
    return membership
