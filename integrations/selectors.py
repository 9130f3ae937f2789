"""Reads for the webhook pages."""

from django.db.models import Count, Q

from integrations.models import Delivery, Webhook
from integrations.permissions import stewarded_communities


def webhooks_for(user):
    """The hooks `user` may manage, with their failed and pending counts."""
    hooks = Webhook.objects.select_related("community").annotate(
        failed_count=Count(
            "deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)
        ),
        pending_count=Count(
            "deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)
        ),
    )
    if user.is_staff:
        return hooks.order_by("name", "id")
    return hooks.filter(
        community__in=stewarded_communities(user).values("pk")
    ).order_by("name", "id")


def deliveries_of(hook: Webhook):
    return Delivery.objects.filter(webhook=hook).order_by("-created_at", "-id")
