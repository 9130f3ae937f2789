"""The demo people's inboxes: everything the services notified them about
while the demo was seeded is there, dated when it happened. A real member
would have read the older ones, so all but each person's latest few are
marked read (through notifications.services.mark_read), leaving the nav badge
a handful of unread notifications. Idempotent: a second run finds them read."""

from members.models import User
from notifications.models import Notification
from notifications.services import mark_read

UNREAD = 5


def seed(stdout):
    unread = 0
    for person in User.objects.filter(email__endswith="@practica.local"):
        older = Notification.objects.filter(recipient=person).order_by(
            "-created_at", "-pk"
        )[UNREAD:]
        mark_read(user=person, ids=list(older.values_list("pk", flat=True)))
        unread += Notification.objects.filter(
            recipient=person, read_at__isnull=True
        ).count()
    stdout.write(f"Notifications: {unread} unread for the demo people.")
