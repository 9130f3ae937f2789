"""Mentoring: offers, requests, brokered pairs with goals and check-ins.

A member offers to mentor (MentorOffer) or asks for help (MentoringRequest).
A manager brokers a Pair for a request, or the member asks one mentor
directly; both people accept before the pair becomes active.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase


class Format(models.TextChoices):
    MENTORING = "mentoring", _("Mentoring")
    PEER_COACHING = "peer_coaching", _("Peer coaching")
    THINKING_PARTNER = "thinking_partner", _("Thinking partner")


# The MentorOffer boolean that says a mentor offers each format.
FORMAT_FIELDS = {
    Format.MENTORING: "offers_mentoring",
    Format.PEER_COACHING: "offers_peer_coaching",
    Format.THINKING_PARTNER: "offers_thinking_partner",
}


class OfferTopic(TaggedItemBase):
    content_object = models.ForeignKey("MentorOffer", on_delete=models.CASCADE)


class RequestTopic(TaggedItemBase):
    content_object = models.ForeignKey("MentoringRequest", on_delete=models.CASCADE)


class MentorOffer(models.Model):
    """One member's standing offer to mentor. Capacity counts proposed and
    active pairs, so a full mentor is not proposed again."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer"
    )
    available = models.BooleanField(_("available for new mentees"), default=True)
    capacity = models.PositiveSmallIntegerField(
        _("at most this many mentees at a time"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    topics = TaggableManager(
        _("topics"),
        through=OfferTopic,
        blank=True,
        help_text=_("What you can help with. Starts from your expertise."),
    )
    offers_mentoring = models.BooleanField(_("mentoring"), default=True)
    offers_peer_coaching = models.BooleanField(_("peer coaching"), default=False)
    offers_thinking_partner = models.BooleanField(_("thinking partner"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(available=True),
                name="offer_available",
            )
        ]

    def __str__(self):
        return f"{self.user} offers mentoring"

    @property
    def formats(self) -> list[str]:
        return [fmt for fmt, field in FORMAT_FIELDS.items() if getattr(self, field)]

    @property
    def format_labels(self) -> list[str]:
        return [Format(fmt).label for fmt in self.formats]

    def offers(self, fmt: str) -> bool:
        field = FORMAT_FIELDS.get(fmt)
        return bool(field and getattr(self, field))


class MentoringRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a mentor")
        PROPOSED = "proposed", _("Match proposed")
        MATCHED = "matched", _("Matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_requests",
    )
    topics = TaggableManager(
        _("topics"),
        through=RequestTopic,
        help_text=_("What you want to learn, comma-separated."),
    )
    goals = models.TextField(_("goals"), max_length=4000)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.MENTORING
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
    )
    # Set when the member asked one mentor directly instead of a broker.
    requested_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    matched_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The broker console: open requests, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status="open"),
                name="mreq_open_oldest",
            ),
            models.Index(fields=["mentee", "-created_at"], name="mreq_mentee_recent"),
        ]

    def __str__(self):
        return f"{self.mentee} asks for {self.get_format_display().lower()}"

    def get_absolute_url(self):
        return reverse("mentoring:request", kwargs={"pk": self.pk})

    @property
    def is_live(self):
        return self.status in (self.Status.OPEN, self.Status.PROPOSED)


class Pair(models.Model):
    """A mentor and a mentee working on one request.

    proposed -> active (both accepted) -> completed, or closed early with a
    reason; a proposal either side declines ends as declined and the request
    goes back to open.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed early")
        DECLINED = "declined", _("Declined")

    LIVE = (Status.PROPOSED, Status.ACTIVE)
    ENDED = (Status.COMPLETED, Status.CLOSED)

    request = models.ForeignKey(
        MentoringRequest, on_delete=models.CASCADE, related_name="pairs"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The manager who proposed it; empty when the mentee asked directly.
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    format = models.CharField(max_length=20, choices=Format.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)
    last_checkin_at = models.DateTimeField(null=True, blank=True)
    # Thinking partnerships: each partner who holds the executive role may
    # let their profile show how many of their commitments they followed up.
    mentor_shares_followups = models.BooleanField(default=False)
    mentee_shares_followups = models.BooleanField(default=False)

    class Meta:
        constraints = [
            # One live pairing per two people and per request: a double
            # submit or a race cannot create a second one.
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="pair_live_people_once",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["proposed", "active"]),
                name="pair_live_request_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")),
                name="pair_not_self",
            ),
        ]
        indexes = [
            # The reminder job: active pairs by last check-in.
            models.Index(
                fields=["last_checkin_at", "started_at"],
                condition=models.Q(status="active"),
                name="pair_active_checkin",
            ),
            models.Index(fields=["mentor", "status"], name="pair_mentor_status"),
            models.Index(fields=["mentee", "status"], name="pair_mentee_status"),
        ]

    def __str__(self):
        return f"{self.mentor} mentoring {self.mentee} ({self.status})"

    def get_absolute_url(self):
        return reverse("mentoring:pair", kwargs={"pk": self.pk})

    @property
    def is_proposed(self):
        return self.status == self.Status.PROPOSED

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE

    @property
    def is_ended(self):
        return self.status in self.ENDED

    def role_of(self, user) -> str | None:
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        return None

    def other_party(self, user):
        return self.mentee if user.pk == self.mentor_id else self.mentor

    @property
    def is_thinking_partnership(self) -> bool:
        return self.format == Format.THINKING_PARTNER

    def shares_followups(self, user) -> bool:
        role = self.role_of(user)
        if role == "mentor":
            return self.mentor_shares_followups
        if role == "mentee":
            return self.mentee_shares_followups
        return False

    def has_accepted(self, user) -> bool:
        role = self.role_of(user)
        if role == "mentor":
            return self.mentor_accepted_at is not None
        if role == "mentee":
            return self.mentee_accepted_at is not None
        return False


class Goal(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text


class CheckIn(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), max_length=5000)
    progress = models.PositiveSmallIntegerField(
        _("progress (0-100)"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["pair", "-date"], name="checkin_pair_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="checkin_progress_max"
            )
        ]

    def __str__(self):
        return f"Check-in {self.date} ({self.progress}%)"


class Feedback(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    learned = models.TextField(_("what I learned"), max_length=5000)
    published_item = models.ForeignKey(
        "knowledge.Item",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "author"], name="feedback_once_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_range",
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.pair}: {self.rating}/5"


class ReminderLog(models.Model):
    """One row per reminder sent, so the daily job never sends the same
    reminder twice (period names the quiet stretch it is about)."""

    class Kind(models.TextChoices):
        CHECKIN = "checkin", _("Check-in reminder")
        IDLE = "idle", _("Idle pair notice to broker")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "kind", "period"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} for pair {self.pair_id} ({self.period})"


class TopicStrength(models.Model):
    """What a mentor has shown they know about a tag in a community: the
    helpful marks their visible items with that tag received and the
    accepted answers they wrote on visible items with that tag. Derived from
    knowledge's tables by `mentoring.strengths.strengths_refresh` (beat,
    every few minutes), so mentor suggestions read a few narrow rows instead
    of every tagged item (mentoring.suggestions)."""

    # Indexed by the constraint and the index below, each leading with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    helpful = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "tag", "community"], name="strength_user_tag_community"
            )
        ]
        indexes = [
            # Covering: suggestions sum a page's tags by (tag, user) from an
            # index-only scan.
            models.Index(
                fields=["tag", "user", "community"],
                include=["helpful", "accepted"],
                name="strength_tag_user_covering",
            )
        ]

    def __str__(self):
        return f"{self.user_id} on {self.tag_id} in {self.community_id}"


class Assumption(models.Model):
    """A thinking partnership's assumptions log: what one partner assumed,
    what tested it and what changed. Both partners keep one."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="assumptions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assumption = models.TextField(_("assumption"), max_length=2000)
    tested_by = models.TextField(_("what tested it"), blank=True, max_length=2000)
    changed = models.TextField(_("what changed"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["pair", "-created_at"], name="assumption_pair_recent")
        ]

    def __str__(self):
        return self.assumption[:60]


class Commitment(models.Model):
    """ "What I will do differently", written by one partner after a
    session, later marked followed up or not."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not reviewed yet")
        FOLLOWED_UP = "followed_up", _("Followed up")
        NOT_FOLLOWED_UP = "not_followed_up", _("Not followed up")

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="commitments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_on = models.DateField(_("session date"), default=timezone.localdate)
    text = models.TextField(_("what I will do differently"), max_length=2000)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["pair", "-session_on"], name="commitment_pair_recent"),
            # A profile's follow-up count.
            models.Index(fields=["author", "status"], name="commitment_author_status"),
        ]

    def __str__(self):
        return self.text[:60]
