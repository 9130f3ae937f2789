"""Journeys: a newcomer's first 90 days in a community (after-burn
onboarding) and each member's participation trajectory (who they want to
become, and the stage they have reached in each community)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StepKind(models.TextChoices):
    TOUR = "tour", _("Take the community's tour")
    CHECKIN = "checkin", _("Check in with a steward")
    NETWORKER = "networker", _("Talk with an internal networker from another community")
    PEER = "peer", _("Meet a peer coach")
    STORY = "story", _("Tell the community what you learned")


class Owner(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    STEWARD = "steward", _("Steward")


# Day of the plan each step is due (Henschel's "after burn": a tour, a
# check-in, people from elsewhere, a peer coach, then telling the story).
STEP_DAYS = {
    StepKind.TOUR: 7,
    StepKind.CHECKIN: 14,
    StepKind.NETWORKER: 30,
    StepKind.PEER: 60,
    StepKind.STORY: 90,
}
STEP_OWNERS = {
    StepKind.TOUR: Owner.NEWCOMER,
    StepKind.CHECKIN: Owner.STEWARD,
    StepKind.NETWORKER: Owner.NEWCOMER,
    StepKind.PEER: Owner.NEWCOMER,
    StepKind.STORY: Owner.NEWCOMER,
}
PLAN_DAYS = 90


class Plan(models.Model):
    """One newcomer's 90 days in one community. At most one per member and
    community: rejoining reopens it rather than starting a second one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    started_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Set when the member leaves (or is removed); cleared when they rejoin.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="journeys_plan_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "started_on"], name="plan_comm_start"),
            models.Index(fields=["started_on"], name="plan_start"),
        ]

    def __str__(self):
        return f"{self.user} in {self.community} from {self.started_on}"

    def get_absolute_url(self):
        return reverse("journeys:plan", kwargs={"slug": self.community.slug})

    @property
    def is_open(self):
        return self.closed_at is None


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    owner = models.CharField(max_length=10, choices=Owner.choices)
    # Whom a reminder goes to: the newcomer, or the named steward.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="journeys_owned_steps",
    )
    # The person the step is with: the steward, the networker, the peer.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The (open) community the suggested networker comes from.
    via_community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"], name="journeys_step_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(done_at__isnull=True),
                name="step_open_due",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} (due {self.due_on})"

    @property
    def is_done(self):
        return self.done_at is not None

    def is_overdue(self, today) -> bool:
        return self.done_at is None and self.due_on < today


class StepReminder(models.Model):
    """A reminder sent about an overdue step: one per step, ever, so the
    daily job may run any number of times."""

    step = models.OneToOneField(
        PlanStep, on_delete=models.CASCADE, related_name="reminder"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"reminder for step {self.step_id}"


class TourStop(models.Model):
    """One of the (at most five) items a community's stewards picked as the
    tour every newcomer takes in their first week."""

    MAX_STOPS = 5

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    item = models.ForeignKey(
        "knowledge.Item", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "item"], name="journeys_tour_item_unique"
            ),
        ]

    def __str__(self):
        return f"{self.community_id}: item {self.item_id}"


class TourRead(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reads")
    item = models.ForeignKey(
        "knowledge.Item", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "item"], name="journeys_tour_read_unique"
            ),
        ]

    def __str__(self):
        return f"plan {self.plan_id} read item {self.item_id}"


# --- Participation trajectory -------------------------------------------------


class Stage(models.IntegerChoices):
    """Legitimate peripheral participation, in five steps."""

    READER = 0, _("Reader")
    ASKER = 1, _("Asker")
    ANSWERER = 2, _("Answerer")
    STORYTELLER = 3, _("Storyteller")
    MENTOR = 4, _("Mentor or steward")


class Aspiration(models.Model):
    """ "I want to become…": who the member wants to become, with the topics
    and communities that lead there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("I want to become…"), max_length=300)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    communities = models.ManyToManyField(
        "communities.Community", blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.text


class MemberStage(models.Model):
    """A member's stage in a community as of the last nightly computation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    # The day of the computation that found this stage.
    since = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="journeys_stage_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} is {self.get_stage_display()} in {self.community}"


class StageMove(models.Model):
    """Written by the nightly job when a member's stage changes; the
    dashboard counts these per month."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    from_stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    to_stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    moved_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["moved_on"], name="stagemove_day"),
            models.Index(fields=["community", "moved_on"], name="stagemove_comm_day"),
        ]

    def __str__(self):
        return f"{self.user}: {self.from_stage} -> {self.to_stage} on {self.moved_on}"


class CohortFigure(models.Model):
    """Nightly: one community's 90-day plans of one join month, counted as of
    `computed_on`. The dashboard sums the latest night's rows (a few
    thousand at most) instead of every plan step of the organisation."""

    computed_on = models.DateField()
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    newcomers = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=0)
    steps_done = models.PositiveIntegerField(default=0)
    steps_due = models.PositiveIntegerField(default=0)
    done_on_time = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["computed_on", "community", "month"],
                name="journeys_cohort_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["computed_on", "month"], name="cohort_day_month"),
        ]

    def __str__(self):
        return f"{self.community_id} {self.month:%Y-%m} as of {self.computed_on}"
