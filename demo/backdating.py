"""Give the demo a past.

Services stamp what they write with the current time: that is right for real
use and wrong for a demo whose people joined years ago. So every demo write
goes through a service first, and only then are its timestamps moved back with
a queryset update. Nothing else is touched here: counters, rendered HTML,
search vectors and who was notified stay exactly as the services left them.
"""

from contextlib import contextmanager

from django.utils import timezone

from notifications.models import Notification


@contextmanager
def notifications_at(moment):
    """Date the notifications that the service calls inside the block sent
    at `moment`, the time of the event that caused them (backdating).

    They are the ones stamped since the block began: every demo moment is in
    the past, so notifications dated by earlier blocks never match again."""
    began = timezone.now()
    yield
    Notification.objects.filter(created_at__gte=began).update(
        created_at=min(moment, began)
    )


def backdate(instance, **fields) -> None:
    """Set timestamp fields on one row and on the instance in hand, after the
    service that wrote it (a queryset update: no signals, no auto_now)."""
    type(instance).objects.filter(pk=instance.pk).update(**fields)
    for name, value in fields.items():
        setattr(instance, name, value)
