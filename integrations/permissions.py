"""Who may configure webhooks and read their delivery logs.

Staff: every hook, organisation-wide ones included. A community's active
stewards: the hooks bound to their community. Everyone else: nothing (404
for a hook of a private community they cannot see, 403 otherwise).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from communities.access import can_view_content, is_steward
from communities.models import Community, Membership
from integrations.models import Webhook


def stewarded_communities(user):
    """Communities whose hooks `user` may manage (all of them for staff)."""
    communities = Community.objects.order_by("name")
    if user.is_staff:
        return communities
    return communities.filter(
        memberships__user_id=user.pk,
        memberships__role=Membership.Role.STEWARD,
        memberships__status=Membership.Status.ACTIVE,
    )


def can_use_webhooks(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or stewarded_communities(user).exists()
    )


def can_create_webhook(user, community: Community | None) -> bool:
    """Organisation-wide hooks are staff's; a community's, its stewards'."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return community is not None and is_steward(user, community)


def can_manage_webhook(user, hook: Webhook) -> bool:
    return can_create_webhook(user, hook.community)


def check_use_webhooks(user) -> None:
    if not can_use_webhooks(user):
        raise PermissionDenied(
            _("Webhooks are set up by staff and by a community's stewards.")
        )


def access_webhook(user, pk: int) -> Webhook:
    """The hook `pk` for someone who may manage it; 404 for a hook of a
    private community they cannot see, 403 for any other."""
    hook = Webhook.objects.select_related("community").filter(pk=pk).first()
    if hook is None:
        raise Http404
    if can_manage_webhook(user, hook):
        return hook
    community = hook.community
    if community is not None and not can_view_content(user, community):
        raise Http404
    raise PermissionDenied(_("Only staff and this community's stewards see it."))
