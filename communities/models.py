from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class CommunityTag(TaggedItemBase):
    content_object = models.ForeignKey("Community", on_delete=models.CASCADE)


class Visibility(models.TextChoices):
    OPEN = "open", _("Open: anyone can join")
    PRIVATE = "private", _("Private: stewards approve requests")


class Community(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=200,
        help_text=_("One line: the practice or domain this community cares about."),
    )
    description = models.TextField(_("description"), blank=True, max_length=20000)
    description_html = models.TextField(blank=True, editable=False)
    tags = TaggableManager(_("topics"), through=CommunityTag, blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.OPEN,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Bumped by services whenever something happens inside; sorts "by activity".
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="community_name_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", kwargs={"slug": self.slug})

    @property
    def is_private(self):
        return self.visibility == Visibility.PRIVATE

    @property
    def is_archived(self):
        return self.archived_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        STEWARD = "steward", _("Steward")
        MEMBER = "member", _("Member")

    class Status(models.TextChoices):
        PENDING = "pending", _("Requested to join")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")
        # The account was deactivated (members.services.deactivate_member);
        # active again when the account is reactivated.
        INACTIVE = "inactive", _("Account deactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When the member last became active; drives "newcomer" (first 90 days).
    joined_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The newcomer welcome checklist ticks itself: higher apps call
    # communities.services.welcome_step_complete when a step happens.
    introduced_at = models.DateTimeField(null=True, blank=True)
    read_helpful_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    # The member does not want this community in their digest e-mails.
    digest_muted = models.BooleanField(default=False)
    # Who invited them (status "invited"); shown on the invitation.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="membership_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["community", "status", "joined_at"],
                name="membership_comm_status",
            ),
            models.Index(fields=["user", "status"], name="membership_user_status"),
            # A community's stewards (its page, every steward check) without
            # walking its thousands of active members.
            models.Index(
                fields=["community"],
                condition=models.Q(status="active", role="steward"),
                name="membership_stewards",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.status})"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_steward(self):
        return self.is_active and self.role == self.Role.STEWARD

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def is_invited(self):
        return self.status == self.Status.INVITED

    @property
    def welcome_done(self):
        return bool(self.introduced_at and self.read_helpful_at and self.connected_at)

    @property
    def is_newcomer(self):
        if not self.is_active or self.joined_at is None:
            return False
        days = settings.PRACTICA_NEWCOMER_DAYS
        return self.joined_at >= timezone.now() - timedelta(days=days)


class ProvisionedGroup(models.Model):
    """A group in the organisation's identity provider, provisioned over SCIM
    (communities.scim). A group whose externalId is a community's slug, or
    whose name is a community's name, maps to that community: its people are
    made the community's members, and people taken out of the group leave."""

    display_name = models.CharField(max_length=200)
    scim_external_id = models.CharField(
        max_length=254, blank=True, default="", db_index=True
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provisioned_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="provisioned_groups"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name


class MemberCount(models.Model):
    """How many active members a community has with each leadership role: a
    counter kept true by the membership services (communities.services.counts),
    so the community page, the home panel and the list read a few rows instead
    of counting every membership of a large community."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="member_counts"
    )
    # A member's leadership role (members.LeadershipRole, on the account).
    leadership_role = models.CharField(max_length=20)
    active = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "leadership_role"], name="member_count_once"
            ),
        ]

    def __str__(self):
        return f"{self.community_id}/{self.leadership_role}: {self.active}"
