from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Collate, Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class LeadershipRole(models.TextChoices):
    """Senge's three kinds of leader in a community of leaders."""

    LINE_LEADER = "line_leader", _("Local line leader")
    EXECUTIVE = "executive", _("Executive leader")
    NETWORKER = "networker", _("Internal networker")
    NONE = "none", _("No leadership role")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("Off")


class NotificationEmails(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("Folded into my digest")
    OFF = "off", _("Never")


class ExpertiseTag(TaggedItemBase):
    content_object = models.ForeignKey("User", on_delete=models.CASCADE)


class InterestTag(TaggedItemBase):
    content_object = models.ForeignKey("User", on_delete=models.CASCADE)


def name_from_email(email: str) -> str:
    """ "maria.lopez@x" -> "Maria Lopez": a readable name when none was given
    (an account made in the admin), never the internal handle."""
    local = email.split("@")[0]
    words = [w for w in local.replace("_", ".").replace("-", ".").split(".") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or local


def _handle_from_email(email: str) -> str:
    """ "maria.lopez@x" -> "maria-lopez": usernames appear in URLs."""
    return slugify(email.split("@")[0].replace(".", "-"))[:60] or "member"


class MemberManager(UserManager):
    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("username", _handle_from_email(email))
        return super().create_user(email=email, password=password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("username", _handle_from_email(email))
        return super().create_superuser(email=email, password=password, **extra_fields)


class User(AbstractUser):
    """A member of the organisation. E-mail is the login; `username` is the
    URL-safe handle used in profile addresses."""

    username = models.SlugField(_("username"), max_length=60, unique=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    business_unit = models.CharField(_("business unit"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), blank=True, max_length=4000)
    bio_html = models.TextField(blank=True, editable=False)
    leadership_role = models.CharField(
        _("leadership role"),
        max_length=20,
        choices=LeadershipRole.choices,
        default=LeadershipRole.NONE,
        db_index=True,
    )
    digest_frequency = models.CharField(
        _("digest e-mails"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    notification_emails = models.CharField(
        _("notification e-mails"),
        max_length=12,
        choices=NotificationEmails.choices,
        default=NotificationEmails.DIGEST,
    )
    # A zoneinfo name ("Europe/Berlin"); empty: the organisation's default.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # A language code ("de"); pages use it once Practica is translated into it.
    language = models.CharField(_("language"), max_length=7, blank=True)
    # Set when the member finishes (or skips) the first-visit welcome: until
    # then the home page greets them as new, not "welcome back".
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # SCIM provisioning (members.scim): the identity provider's own id for
    # this person, and whether it deleted them (SCIM then answers 404; the
    # member stays, deactivated, and what they wrote stays credited).
    scim_external_id = models.CharField(
        max_length=254, blank=True, default="", db_index=True
    )
    # SCIM's userName when it is not the e-mail address (empty: the e-mail).
    scim_user_name = models.CharField(max_length=254, blank=True, default="")
    scim_deleted = models.BooleanField(default=False)
    # The uploaded picture's version (members.avatars): part of its file
    # names and its URL, so a new picture is a new URL that browsers may
    # cache for a year. Empty: no picture, the generated initials.
    avatar_version = models.CharField(max_length=16, blank=True, default="")

    expertise = TaggableManager(
        verbose_name=_("expertise"),
        through=ExpertiseTag,
        related_name="experts",
        blank=True,
        help_text=_("What you know well enough to help others with."),
    )
    interests = TaggableManager(
        verbose_name=_("learning interests"),
        through=InterestTag,
        related_name="learners",
        blank=True,
        help_text=_("What you want to learn."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = MemberManager()

    class Meta:
        ordering = ["display_name"]
        indexes = [
            models.Index(Lower("display_name"), name="member_name_lower"),
            # The @mention typeahead: names and handles by their start, in
            # byte order ("C"), so a prefix is one range walked in order and
            # the first few rows answer (knowledge.selectors.mentions).
            models.Index(
                Collate(Lower("display_name"), "C"), name="member_name_prefix"
            ),
            models.Index(Collate(Lower("username"), "C"), name="member_handle_prefix"),
            # "Name contains" (the directory's ?q=, the search page's people,
            # the header typeahead): Django's icontains / istartswith is
            # UPPER(col) LIKE UPPER(..), which a trigram index on the same
            # expression answers for three or more letters, and a pattern
            # range for a name or handle starting with them. Without them
            # every keystroke read all 20,000 members.
            GinIndex(
                OpClass(Upper("display_name"), name="gin_trgm_ops"),
                name="member_name_trgm",
            ),
            models.Index(
                OpClass(Upper("display_name"), name="text_pattern_ops"),
                name="member_name_upper_prefix",
            ),
            models.Index(
                OpClass(Upper("username"), name="text_pattern_ops"),
                name="member_handle_upper_prefix",
            ),
            GinIndex(
                OpClass(Upper("username"), name="gin_trgm_ops"),
                name="member_handle_trgm",
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        if not self.display_name:
            self.display_name = (self.get_full_name() or name_from_email(self.email))[
                :120
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("members:profile", kwargs={"username": self.username})

    @property
    def detail(self) -> str:
        """What tells two people of the same name apart: their work and
        place, else their e-mail's local part."""
        work = ", ".join(p for p in (self.job_title, self.business_unit) if p)
        found = " · ".join(p for p in (work, self.location) if p)
        return found or self.email.split("@")[0]

    @property
    def is_manager(self):
        """Line leaders, executives and staff broker mentor matches."""
        from members.permissions import is_manager

        return is_manager(self)


class OutboxJob(models.Model):
    """A job that must happen, written in the same transaction as the change
    that causes it. After the commit it is handed to Celery; the task marks it
    done when it finishes. `members.outbox_flush` (beat, every minute) hands
    it over again while it is not done at `redo_at`: when the broker was down,
    the process died before publishing, Redis restarted empty or a worker was
    killed mid-task. Tasks are idempotent, so a second run changes nothing."""

    task_name = models.CharField(max_length=120)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    # When the sweeper hands it to Celery again if it is still not done.
    redo_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["redo_at"],
                condition=models.Q(done_at__isnull=True),
                name="outbox_due",
            )
        ]

    def __str__(self):
        return f"{self.task_name}({self.kwargs})"


class AuditAction(models.TextChoices):
    """What stewards and admins did that someone may later ask about."""

    ROLE_SET = "member.role_set", _("Leadership role changed")
    MEMBER_ERASED = "member.erased", _("Account erased")
    JOIN_APPROVED = "membership.approved", _("Join request approved")
    JOIN_DECLINED = "membership.declined", _("Join request declined")
    STEWARD_PROMOTED = "membership.promoted", _("Made steward")
    STEWARD_DEMOTED = "membership.demoted", _("Steward role removed")
    MEMBER_REMOVED = "membership.removed", _("Member removed")
    COMMUNITY_ARCHIVED = "community.archived", _("Community archived")
    COMMUNITY_REOPENED = "community.reopened", _("Community reopened")
    ITEM_HIDDEN = "item.hidden", _("Item hidden")
    ITEM_RESTORED = "item.restored", _("Item restored")
    REPLY_HIDDEN = "reply.hidden", _("Reply hidden")
    REPLY_RESTORED = "reply.restored", _("Reply restored")
    REVISION_RESTORED = "revision.restored", _("Earlier version restored")
    SSO_LINKED = "sso.linked", _("Single sign-on account linked")
    SSO_UNLINKED = "sso.unlinked", _("Single sign-on account unlinked")
    SCIM_CHANGED = "scim.changed", _("Provisioning change (SCIM)")


class AuditEntry(models.Model):
    """One steward or admin action, kept for review. Written by the service
    that acts, in its transaction (members.audit.audit_record).

    `community_id` is the community the action concerns, as a plain number:
    members sits below communities and holds no foreign key up to it. The
    target is named at the time (`target_label`) so the log still reads after
    the target is renamed; an erased member is named by number only."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    community_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["community_id", "-at"], name="audit_community_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class ScimToken(models.Model):
    """A bearer token the organisation's identity provider uses for SCIM
    provisioning (`manage.py scim_token_create`). Only its SHA-256 is kept:
    the token itself is shown once, when it is made."""

    name = models.CharField(max_length=120)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCIM token")

    def __str__(self):
        return self.name
