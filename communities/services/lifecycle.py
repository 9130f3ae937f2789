"""A community's life: create, edit, archive, reopen."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from communities.models import Community, Membership, Visibility
from communities.permissions import access_managed_community, can_create_community
from communities.selectors import COMMUNITY_NAMES_VERSION
from communities.services.counts import member_counted_in
from communities.services.invariants import ensure_open_for_changes, lock_community
from members.audit import audit_record
from members.markup import markdown_to_html
from members.model_update import model_update
from members.models import AuditAction
from members.permissions import check_signed_in
from members.tags import tags_normalise
from members.versioned_cache import bump

Status = Membership.Status
Role = Membership.Role

COMMUNITY_FIELDS = [
    "name",
    "slug",
    "purpose",
    "description",
    "description_html",
    "visibility",
]


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


@transaction.atomic
def community_create(
    *,
    acting_user,
    name: str,
    purpose: str,
    slug: str = "",
    description: str = "",
    tags=(),
    visibility: str = Visibility.OPEN,
) -> Community:
    """Create a community; the acting user becomes its first steward."""
    name = name.strip()
    community = Community(
        name=name,
        slug=slug or unique_slug_for(name),
        purpose=purpose.strip(),
        description=description,
        description_html=markdown_to_html(description),
        visibility=visibility,
        created_by=acting_user,
    )
    community.full_clean()
    community.save()
    if tags:
        community.tags.set(tags_normalise(tags))
    membership = Membership.objects.create(
        user=acting_user,
        community=community,
        role=Role.STEWARD,
        status=Status.ACTIVE,
        joined_at=community.created_at,
    )
    member_counted_in(membership=membership)
    bump(COMMUNITY_NAMES_VERSION)
    return community


@transaction.atomic
def community_update(
    *,
    community: Community,
    acting_user,
    name: str,
    slug: str,
    purpose: str,
    description: str = "",
    tags=(),
    visibility: str,
) -> Community:
    community = lock_community(community)
    ensure_open_for_changes(community)
    model_update(
        instance=community,
        fields=COMMUNITY_FIELDS,
        data={
            "name": name.strip(),
            "slug": slug or unique_slug_for(name, exclude_pk=community.pk),
            "purpose": purpose.strip(),
            "description": description,
            "description_html": markdown_to_html(description),
            "visibility": visibility,
        },
    )
    community.tags.set(tags_normalise(tags))
    bump(COMMUNITY_NAMES_VERSION)
    return community


@transaction.atomic
def community_archive(*, community: Community, acting_user) -> Community:
    """Make a community read-only. Archiving twice keeps the first date."""
    community = lock_community(community)
    if community.archived_at is None:
        community.archived_at = timezone.now()
        community.save(update_fields=["archived_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.COMMUNITY_ARCHIVED,
            target=community,
            community_id=community.pk,
        )
        bump(COMMUNITY_NAMES_VERSION)  # lists of live communities change
    return community


@transaction.atomic
def community_reopen(*, community: Community, acting_user) -> Community:
    community = lock_community(community)
    if community.archived_at is not None:
        community.archived_at = None
        community.save(update_fields=["archived_at"])
        audit_record(
            actor=acting_user,
            action=AuditAction.COMMUNITY_REOPENED,
            target=community,
            community_id=community.pk,
        )
        bump(COMMUNITY_NAMES_VERSION)  # lists of live communities change
    return community


# --- Checked entry points: every interface (page, API, task) calls these ------


def check_community_create(*, acting_user, **fields) -> Community:
    """Create a community as `acting_user` (anyone signed in may)."""
    if not can_create_community(acting_user):
        raise PermissionDenied
    return community_create(acting_user=acting_user, **fields)


@transaction.atomic
def check_community_update(*, acting_user, community_slug: str, **fields) -> Community:
    """Edit the community at `community_slug`: its stewards and staff only."""
    check_signed_in(acting_user)
    community, _membership = access_managed_community(acting_user, community_slug)
    return community_update(community=community, acting_user=acting_user, **fields)


@transaction.atomic
def check_community_archive(*, acting_user, community_slug: str) -> Community:
    check_signed_in(acting_user)
    community, _membership = access_managed_community(acting_user, community_slug)
    return community_archive(community=community, acting_user=acting_user)


@transaction.atomic
def check_community_reopen(*, acting_user, community_slug: str) -> Community:
    check_signed_in(acting_user)
    community, _membership = access_managed_community(acting_user, community_slug)
    return community_reopen(community=community, acting_user=acting_user)
