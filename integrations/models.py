"""Outgoing webhooks, their deliveries, and the Slack users linked to members.

A hook is organisation-wide (community empty: it hears only of content in
open communities) or bound to one community (it hears only of that
community, private or not). Each event a hook hears becomes one delivery,
unique per hook and event id, so an event delivered twice is impossible by
construction; the delivery is POSTed and retried with backoff until it
succeeds or gives up.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ITEM_CREATED = "item.created", _("An item is published")
    ANSWER_ACCEPTED = "answer.accepted", _("An answer is accepted")
    ADOPTION_RECORDED = "adoption.recorded", _("A community records an adoption")
    PAIR_CREATED = "mentoring.pair_created", _("A mentoring pair is proposed")
    PAIR_CLOSED = "mentoring.pair_closed", _("A mentoring pair ends")


class Webhook(models.Model):
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    # Needed in clear to sign each delivery; shown once, when the hook is made.
    secret = models.CharField(max_length=80, editable=False)
    events = ArrayField(
        models.CharField(max_length=40, choices=Event.choices),
        verbose_name=_("events"),
    )
    # Empty: organisation-wide, open communities only.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["community", "name"], name="webhook_scope")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("integrations:webhook", kwargs={"pk": self.pk})

    @property
    def is_organisation_wide(self) -> bool:
        return self.community_id is None


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    # The communities whose content the payload carries, checked again
    # before every attempt (a community may turn private in between).
    community_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When a retry was last handed to the outbox (the sweep does not hand
    # over the same attempt twice while it waits in the queue).
    queued_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_id"], name="delivery_once_per_hook"
            )
        ]
        indexes = [
            models.Index(fields=["webhook", "-created_at"], name="delivery_log"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_due",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.event_id} to {self.webhook_id} ({self.status})"


class SlackIdentity(models.Model):
    """A Slack user (in one workspace) acting as a member."""

    team_id = models.CharField(max_length=32)
    slack_user_id = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team_id", "slack_user_id"], name="slack_identity_once"
            )
        ]
        verbose_name_plural = _("Slack identities")

    def __str__(self):
        return f"{self.team_id}/{self.slack_user_id} -> {self.user_id}"
