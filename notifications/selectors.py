"""Reads about notifications: the list page, the unread badge, and what a
digest e-mail folds in."""

from collections import defaultdict

from members.models import NotificationEmails
from notifications.models import Notification


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_to_fold(*, members, before) -> dict[int, list[Notification]]:
    """Unread notifications created before `before` and not e-mailed yet,
    newest first, per recipient id, for the members among `members` who asked
    to have them folded into their digest e-mail."""
    folding = [
        m.pk for m in members if m.notification_emails == NotificationEmails.DIGEST
    ]
    folded = defaultdict(list)
    if not folding:
        return folded
    for note in Notification.objects.filter(
        recipient_id__in=folding,
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__lt=before,
    ).order_by("recipient_id", "-created_at", "-id"):
        folded[note.recipient_id].append(note)
    return folded
