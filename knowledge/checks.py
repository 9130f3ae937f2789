"""Checked entry points for knowledge writes: `check_<verb>(*, acting_user,
...)` fetches the item (and reply) by id under its community with the
permission check of knowledge.permissions (404 for what the acting user may
not see, 403 for what they may not do), then calls the unchecked service.
Views, tasks and any future API call these; the unchecked services are for
code that has already decided (other services, seeding, tests).

They live beside services.py rather than in it to keep that module small
while others change it; when it becomes a package of verb modules, each check
moves next to its service.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from communities.access import access_community
from knowledge import permissions as perms
from knowledge import services
from knowledge.models import Adoption, Item, Reply
from members.permissions import check_signed_in


def _access_item(acting_user, community_slug: str, item_id: int, allowed, why=""):
    check_signed_in(acting_user)
    item, membership = perms.access_item(acting_user, community_slug, item_id)
    if not allowed(acting_user, item, membership):
        raise PermissionDenied(why)
    return item


def _access_reply(acting_user, community_slug, item_id, reply_id, allowed):
    check_signed_in(acting_user)
    item, membership = perms.access_item(acting_user, community_slug, item_id)
    reply = perms.access_reply(item, reply_id)
    if not allowed(acting_user, reply, item, membership):
        raise PermissionDenied
    return reply


# --- Items ----------------------------------------------------------------------


@transaction.atomic
def check_item_create(*, acting_user, community_slug: str, **fields) -> Item:
    """Publish in the community at `community_slug`: its active members only,
    and not while it is archived."""
    check_signed_in(acting_user)
    community, membership = access_community(acting_user, community_slug)
    if not perms.can_post(acting_user, community, membership):
        raise PermissionDenied(_("Only active members post, and not when archived."))
    return services.item_create(author=acting_user, community=community, **fields)


@transaction.atomic
def check_item_update(*, acting_user, community_slug: str, item_id: int, **fields):
    item = _access_item(acting_user, community_slug, item_id, perms.can_edit_item)
    return services.item_update(item=item, acting_user=acting_user, **fields)


@transaction.atomic
def check_item_hide(*, acting_user, community_slug: str, item_id: int) -> Item:
    item = _access_item(acting_user, community_slug, item_id, perms.can_hide_item)
    services.item_hide(item=item, acting_user=acting_user)
    return item


@transaction.atomic
def check_item_restore(*, acting_user, community_slug: str, item_id: int) -> Item:
    item = _access_item(acting_user, community_slug, item_id, perms.can_restore_item)
    services.item_restore(item=item, acting_user=acting_user)
    return item


@transaction.atomic
def check_helpful_set(
    *, acting_user, community_slug: str, item_id: int, helpful: bool
) -> bool:
    item = _access_item(acting_user, community_slug, item_id, perms.can_mark_helpful)
    return services.helpful_set(item=item, acting_user=acting_user, helpful=helpful)


# --- Replies --------------------------------------------------------------------


@transaction.atomic
def check_reply_create(
    *,
    acting_user,
    community_slug: str,
    item_id: int,
    body: str,
    submission_token=None,
) -> Reply:
    item = _access_item(
        acting_user,
        community_slug,
        item_id,
        perms.can_reply,
        _("Only active members reply."),
    )
    return services.reply_create(
        item=item, author=acting_user, body=body, submission_token=submission_token
    )


@transaction.atomic
def check_reply_update(
    *, acting_user, community_slug: str, item_id: int, reply_id: int, body: str
) -> Reply:
    reply = _access_reply(
        acting_user, community_slug, item_id, reply_id, perms.can_edit_reply
    )
    return services.reply_update(reply=reply, acting_user=acting_user, body=body)


@transaction.atomic
def check_reply_hide(
    *, acting_user, community_slug: str, item_id: int, reply_id: int
) -> Reply:
    reply = _access_reply(
        acting_user, community_slug, item_id, reply_id, perms.can_hide_reply
    )
    services.reply_hide(reply=reply, acting_user=acting_user)
    return reply


@transaction.atomic
def check_reply_restore(
    *, acting_user, community_slug: str, item_id: int, reply_id: int
) -> Reply:
    reply = _access_reply(
        acting_user, community_slug, item_id, reply_id, perms.can_restore_reply
    )
    services.reply_restore(reply=reply, acting_user=acting_user)
    return reply


@transaction.atomic
def check_answer_accept(
    *, acting_user, community_slug: str, item_id: int, reply_id: int, accept: bool
) -> Item:
    """The asker or a steward makes `reply_id` the answer (accept=True) or
    withdraws it (accept=False; only when it is the accepted one)."""
    item = _access_item(
        acting_user,
        community_slug,
        item_id,
        perms.can_accept,
        _("Only the asker or a steward accepts an answer."),
    )
    reply = perms.access_reply(item, reply_id)
    if not accept:
        if item.accepted_reply_id == reply.pk:
            services.answer_unaccept(item=item, acting_user=acting_user)
        return item
    services.answer_accept(item=item, reply=reply, acting_user=acting_user)
    return item


# --- Spread ---------------------------------------------------------------------


@transaction.atomic
def check_item_share(
    *, acting_user, community_slug: str, item_id: int, community, note: str = ""
) -> Item:
    """Share into `community` (where the service checks active membership)."""
    item = _access_item(acting_user, community_slug, item_id, perms.can_share)
    return services.item_share(
        item=item, community=community, acting_user=acting_user, note=note
    )


@transaction.atomic
def check_adoption_record(
    *, acting_user, community_slug: str, item_id: int, community, note: str = ""
) -> Adoption:
    item = _access_item(acting_user, community_slug, item_id, perms.can_adopt)
    return services.adoption_record(
        item=item, community=community, acting_user=acting_user, note=note
    )
