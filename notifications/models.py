from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One in-app notice to one member. Apps say what happened in `kind`
    (e.g. "membership.approved", "knowledge.reply") and link to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=60)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"], name="notif_recipient_recent"
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_recipient_unread",
            ),
            # What a digest folds in: unread and not e-mailed yet. Unread
            # ones already e-mailed pile up for members who never open the
            # app; this index leaves them out, so a digest batch's read does
            # not grow with the history.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, emailed_at__isnull=True),
                name="notif_recipient_to_email",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.message}"
