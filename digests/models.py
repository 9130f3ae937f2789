from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community


class DigestPeriod(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Digest(models.Model):
    """What one community came to know in one period. Built by
    digests.build from that period's activity only; rebuilding the
    same (community, period, start) updates the same row."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="digests"
    )
    period = models.CharField(max_length=10, choices=DigestPeriod.choices)
    start = models.DateTimeField()
    end = models.DateTimeField()
    content = models.JSONField(default=dict)
    # Rendered from `content` by our own autoescaped template, links relative.
    html = models.TextField(blank=True)
    # False for a quiet period: kept for idempotence, left out of e-mails.
    has_news = models.BooleanField(default=False)
    # Signature of what it was built from (digests.inputs): a build finding
    # the same inputs keeps this row as it is.
    inputs = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period", "start"], name="digest_once"
            )
        ]
        indexes = [
            # Sending looks up every community's digest for one period.
            models.Index(fields=["period", "start"], name="digest_period_start"),
        ]

    def __str__(self):
        return f"{self.community} {self.period} digest from {self.start:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse(
            "digests:detail", kwargs={"slug": self.community.slug, "pk": self.pk}
        )


class DigestDelivery(models.Model):
    """One member's digest e-mail for one period. Created (pending) in its own
    transaction before anything is sent and claimed by a conditional update,
    so a rerun or a worker that dies mid-run never sends the e-mail twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Nothing to tell them this period: recorded so a rerun skips them.
        EMPTY = "empty", _("Nothing to send")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
    )
    period = models.CharField(max_length=10, choices=DigestPeriod.choices)
    period_start = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    digest_ids = models.JSONField(default=list, blank=True)
    notification_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "period", "period_start"], name="digest_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["claim_token"], name="digest_delivery_claim"),
            # A run's fan-out reads who is done for its period only.
            models.Index(
                fields=["period", "period_start", "status"],
                name="digest_delivery_period",
            ),
        ]

    def __str__(self):
        return f"{self.period} digest for {self.member} ({self.status})"
