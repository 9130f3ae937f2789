import operator
import uuid
from functools import reduce

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from communities.models import Community


class ItemTag(TaggedItemBase):
    content_object = models.ForeignKey("Item", on_delete=models.CASCADE)
    # The item's created_at (which never changes), copied so a tag page walks
    # one index newest first. Filled on save; bulk inserts must set it.
    item_created_at = models.DateTimeField(editable=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["tag", "-item_created_at", "-content_object"],
                name="itemtag_tag_latest",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.item_created_at is None:
            # taggit's add()/set() pass the item itself: no query.
            self.item_created_at = self.content_object.created_at
        super().save(*args, **kwargs)


class ItemKind(models.TextChoices):
    STORY = "story", _("Story")
    PRACTICE = "practice", _("Practice")
    LESSON = "lesson", _("Lesson learned")
    QUESTION = "question", _("Question")
    RESOURCE = "resource", _("Resource")
    EXPERIMENT = "experiment", _("Experiment")


class Activity(models.TextChoices):
    """Senge's three activities from which enduring learning arises."""

    RESEARCH = "research", _("Research")
    CAPACITY = "capacity", _("Capacity building")
    PRACTICE = "practice", _("Practice")


# What an item is by default, from its kind: a question is everyday practice
# (someone needs to know now), a lesson or an experiment the disciplined
# pursuit of understanding, a story or a resource builds people's capacity.
ACTIVITY_FOR_KIND = {
    ItemKind.STORY: Activity.CAPACITY,
    ItemKind.PRACTICE: Activity.PRACTICE,
    ItemKind.LESSON: Activity.RESEARCH,
    ItemKind.QUESTION: Activity.PRACTICE,
    ItemKind.RESOURCE: Activity.CAPACITY,
    ItemKind.EXPERIMENT: Activity.RESEARCH,
}


def activity_for_kind(kind: str) -> str:
    return ACTIVITY_FOR_KIND.get(kind, Activity.PRACTICE)


# An item's title as a text-search vector: the header typeahead's match
# (knowledge.selectors.finder), on item_title_search_gin.
TITLE_VECTOR = SearchVector("title", config="english")


class Item(models.Model):
    """A piece of what a community knows: a story, practice, lesson, question
    or resource. Counters are kept by services so lists sort without joins."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    # Research, capacity building or practice; defaults from the kind.
    activity = models.CharField(
        _("activity"),
        max_length=10,
        choices=Activity.choices,
        default=Activity.PRACTICE,
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=50000)
    body_html = models.TextField(editable=False, blank=True)
    tags = TaggableManager(_("tags"), through=ItemTag, blank=True)
    # Space-separated tag names, kept by services for search and digests.
    tag_names = models.CharField(max_length=500, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="items"
    )
    # The one-time token of the form that created it: a double submit or a
    # retried request finds this row instead of creating a second one.
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Deleting hides; stewards can restore.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A linked copy shared from another community credits its origin.
    shared_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="shares"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why the sharer brought it here; shown above the shared copy.
    share_note = models.TextField(_("why share it here"), blank=True, max_length=2000)
    accepted_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helpful_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            # Community feeds: newest and most helpful, keyset-paginated.
            models.Index(
                fields=["community", "-created_at", "-id"], name="item_feed_new"
            ),
            models.Index(
                fields=["community", "-helpful_count", "-id"], name="item_feed_helpful"
            ),
            models.Index(fields=["-created_at", "-id"], name="item_recent"),
            models.Index(fields=["author", "-created_at"], name="item_author_recent"),
            # Dashboards: who contributed where, in a period.
            models.Index(
                fields=["author", "community", "created_at"],
                name="item_author_community",
            ),
            models.Index(
                fields=["community", "created_at"],
                condition=models.Q(kind="question", accepted_reply__isnull=True),
                name="item_open_questions",
            ),
            # Search with "open questions only": newest open questions first
            # across communities, walked until the candidate cap is reached.
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(kind="question", accepted_reply__isnull=True),
                name="item_open_recent",
            ),
            GinIndex(fields=["search_vector"], name="item_search_gin"),
            # The header typeahead matches titles (TITLE_VECTOR): a title's
            # few words give posting lists a fraction of the whole text's,
            # which a typed prefix ("team:*") must all read.
            GinIndex(TITLE_VECTOR, name="item_title_search_gin"),
            # A community's three-part balance over its recent items.
            models.Index(
                fields=["community", "activity", "-created_at"],
                name="item_community_activity",
            ),
            # ... counted from the index alone on the community page
            # (knowledge.activities.balances): 4,000 items of the largest
            # community's last 90 days were 3,900 heap blocks.
            models.Index(
                fields=["community", "created_at"],
                include=["activity", "id"],
                condition=models.Q(hidden_at__isnull=True),
                name="item_balance_recent",
            ),
            # Digests: the items of a community with a reply since a time (a
            # reply raises last_activity_at to its own), so a period's reply
            # authors are found without reading the whole history.
            models.Index(
                fields=["community", "last_activity_at"],
                condition=models.Q(hidden_at__isnull=True),
                name="item_community_active",
            ),
            # Digests: questions answered in a period, per community.
            models.Index(
                fields=["community", "first_reply_at"],
                condition=models.Q(first_reply_at__isnull=False),
                name="item_community_first_reply",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=models.Q(submission_token__isnull=False),
                name="item_submitted_once",
            ),
            # One linked copy of an item per target community.
            models.UniqueConstraint(
                fields=["shared_from", "community"],
                condition=models.Q(shared_from__isnull=False),
                name="share_once_per_community",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "knowledge:item",
            kwargs={
                "slug": self.community.slug,
                "pk": self.pk,
                "title_slug": slugify(self.title)[:80] or "item",
            },
        )

    @property
    def tag_list(self):
        """Tags without a query: from the denormalised tag_names."""
        return self.tag_names.split()

    @property
    def is_question(self):
        return self.kind == ItemKind.QUESTION

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @property
    def is_open_question(self):
        return self.is_question and self.accepted_reply_id is None


class Reply(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(_("reply"), max_length=20000)
    body_html = models.TextField(editable=False, blank=True)
    submission_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # "This helped me" marks on the reply, kept by knowledge.reply_marks.
    helpful_count = models.PositiveIntegerField(default=0)
    # A steward's "recommended" mark on an answer (knowledge.reply_marks).
    recommended_at = models.DateTimeField(null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name_plural = _("replies")
        indexes = [
            models.Index(fields=["item", "created_at"], name="reply_item_time"),
            models.Index(fields=["author", "-created_at"], name="reply_author_recent"),
            models.Index(fields=["created_at"], name="reply_created"),
            # Who knows most and mentor suggestions read the few marked
            # replies of a tag's items (most replies have no mark).
            models.Index(
                fields=["item", "author"],
                condition=models.Q(helpful_count__gt=0, hidden_at__isnull=True),
                name="reply_item_helpful",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=models.Q(submission_token__isnull=False),
                name="reply_submitted_once",
            ),
            # Nobody recommended an answer that is not recommended.
            models.CheckConstraint(
                condition=models.Q(recommended_at__isnull=False)
                | models.Q(recommended_by__isnull=True),
                name="reply_recommender_needs_time",
            ),
        ]

    def __str__(self):
        return f"Reply by {self.author} on {self.item}"

    @property
    def is_hidden(self):
        return self.hidden_at is not None


class HelpfulMark(models.Model):
    """ "This helped me": one per member per item."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="helpful_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="helpful_created")]

    def __str__(self):
        return f"{self.user} found {self.item} helpful"


class ReplyHelpfulMark(models.Model):
    """ "This helped me" on a reply or an answer: one per member per reply,
    never on one's own (knowledge.reply_marks keeps Reply.helpful_count)."""

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="helpful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reply_helpful_marks",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "user"], name="reply_helpful_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="reply_helpful_created")]

    def __str__(self):
        return f"{self.user} found reply {self.reply_id} helpful"


class Adoption(models.Model):
    """Community B records that it adopted a practice from community A."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="adoptions")
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="adoptions"
    )
    # The item's own community (items never move), copied here so a
    # community's stick rate reads its adoptions by index instead of joining
    # every item it has. Set by save().
    origin_community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="+", editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "community"], name="adopt_once")
        ]

    def __str__(self):
        return f"{self.community} adopted {self.item}"

    def save(self, *args, **kwargs):
        if self.origin_community_id is None:
            self.origin_community_id = self.item.community_id
        super().save(*args, **kwargs)


class CheckInAnswer(models.TextChoices):
    KEPT = "kept", _("Kept it")
    ADAPTED = "adapted", _("Adapted it")
    DROPPED = "dropped", _("Dropped it")


# An adoption lasted when its latest answered check-in says kept or adapted.
LASTING_ANSWERS = (CheckInAnswer.KEPT, CheckInAnswer.ADAPTED)
# Days after the adoption at which the adopters are asked how it went.
ADOPTION_CHECKIN_DAYS = (30, 90)


class AdoptionCheckIn(models.Model):
    """How an adoption fared after `day` days: kept, adapted (how) or dropped
    (why). Scheduled when the adoption is recorded; a daily job tells the
    adopter once when it falls due (`notified_at` is the claim)."""

    adoption = models.ForeignKey(
        Adoption, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    notified_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        _("how did it go?"), max_length=10, choices=CheckInAnswer.choices, blank=True
    )
    # How it was adapted, or why it was dropped.
    note = models.TextField(_("how or why"), blank=True, max_length=2000)
    # An adapted practice published in the adopting community.
    variant = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["adoption", "day"], name="adoption_checkin_once"
            ),
        ]
        indexes = [
            # The daily job: check-ins due and not yet told.
            models.Index(
                fields=["due_on"],
                condition=models.Q(notified_at__isnull=True, answer=""),
                name="adoption_checkin_due",
            ),
        ]

    def __str__(self):
        return f"Day {self.day} check-in of {self.adoption}"

    def get_absolute_url(self):
        return reverse("knowledge:adoption_checkin", kwargs={"pk": self.pk})

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class Experiment(models.Model):
    """What makes an item of kind experiment: a hypothesis, what will be
    tried, how we will know, when to review it and, optionally, an executive
    sponsor. Closing it with its result publishes a linked lesson."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("The hypothesis held")
        REFUTED = "refuted", _("The hypothesis did not hold")
        INCONCLUSIVE = "inconclusive", _("We cannot tell yet")

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="experiment"
    )
    hypothesis = models.TextField(_("hypothesis"), max_length=2000)
    trial = models.TextField(_("what we will try"), max_length=4000)
    measure = models.TextField(_("how we will know"), max_length=2000)
    review_on = models.DateField(_("review date"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("executive sponsor"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, blank=True
    )
    result = models.TextField(_("what happened"), blank=True, max_length=4000)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lesson = models.OneToOneField(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_experiment",
    )

    def __str__(self):
        return f"Experiment {self.item_id}"

    def clean(self):
        from members.models import LeadershipRole

        if (
            self.sponsor_id is not None
            and self.sponsor.leadership_role != LeadershipRole.EXECUTIVE
        ):
            raise ValidationError(
                {
                    "sponsor": _(
                        "%(name)s does not hold the executive leadership role: "
                        "a sponsor must be an executive leader."
                    )
                    % {"name": self.sponsor.display_name}
                }
            )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Revision(models.Model):
    """One saved version of an item (reply empty) or of one of its replies.
    The first edit records the original too, so an item's revisions are its
    whole history, newest the current text (knowledge.revisions)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    # 1 for the original, then one more per edit, per item or per reply.
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    tag_names = models.CharField(max_length=500, blank=True)
    # Who wrote this version; empty for an edit made before history was kept.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"],
                condition=models.Q(reply__isnull=True),
                name="revision_item_number_once",
            ),
            models.UniqueConstraint(
                fields=["reply", "number"],
                condition=models.Q(reply__isnull=False),
                name="revision_reply_number_once",
            ),
        ]

    def __str__(self):
        return f"Version {self.number} of {self.item}"


def attachments_storage():
    """The storage named "attachments" in settings.STORAGES (a local folder
    or a private bucket), looked up when used, never at import."""
    from django.core.files.storage import storages

    return storages["attachments"]


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    PDF = "pdf", _("PDF")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class Attachment(models.Model):
    """A file a member uploaded into an item or a reply. Served only through
    knowledge.attachments' view to those who may see the item; until the
    item is published, only to the uploader (knowledge.attachments)."""

    # Also the id in its URL: random, so never guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(
        Item,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    # The uploader's file name, made safe: shown and used for downloads.
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(storage=attachments_storage, max_length=200)
    thumbnail = models.FileField(
        storage=attachments_storage, max_length=200, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["item", "created_at"], name="attachment_item"),
            models.Index(
                fields=["uploader", "created_at"],
                condition=models.Q(item__isnull=True),
                name="attachment_pending",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("knowledge:file", kwargs={"pk": self.pk, "name": self.name})

    @property
    def thumbnail_url(self):
        return reverse(
            "knowledge:file_thumbnail", kwargs={"pk": self.pk, "name": self.name}
        )

    @property
    def is_image(self):
        return self.kind == AttachmentKind.IMAGE


class Draft(models.Model):
    """An unfinished item, its author's alone. A draft is not an Item: no
    feed, search, tag page, counter, digest, dashboard or notification reads
    this table, so nothing can show it to anyone else; publishing it creates
    the item through item_create, the moment everything else happens
    (knowledge.drafts)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body"), max_length=50000, blank=True)
    # As typed ("a, b"): normalised when published.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["author", "-updated_at", "-id"], name="draft_mine")
        ]

    def __str__(self):
        return self.title or f"Draft {self.pk}"

    def get_absolute_url(self):
        return reverse("knowledge:draft", kwargs={"pk": self.pk})


class FollowLevel(models.TextChoices):
    WATCHING = "watching", _("Watching: every new item and reply")
    NEW_ITEMS = "new_items", _("New items only")
    MUTED = "muted", _("Muted: never notify me")


# When a Follow's target field holds a value.
_FOLLOW_TARGET_SET = {
    "community": models.Q(community__isnull=False),
    "tag": ~models.Q(tag=""),
    "item": models.Q(item__isnull=False),
    "person": models.Q(person__isnull=False),
}


class Follow(models.Model):
    """A member follows one community, tag, item or person at a level.

    Watching tells them about every new item and reply; new items only about
    new items; muted silences the target, even where another follow would
    notify (a muted community never notifies). An item has no "new items"
    level. knowledge.watching writes these and fans notifications out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    level = models.CharField(_("level"), max_length=10, choices=FollowLevel.choices)
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
    )
    # A normalised tag name: a tag page exists for any name, with or without
    # items, so the follow does not need a taggit row.
    tag = models.CharField(max_length=100, blank=True)
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Exactly one target is set.
            models.CheckConstraint(
                condition=reduce(
                    operator.or_,
                    (
                        reduce(
                            operator.and_,
                            (
                                _FOLLOW_TARGET_SET[other]
                                if other == kind
                                else ~_FOLLOW_TARGET_SET[other]
                                for other in _FOLLOW_TARGET_SET
                            ),
                        )
                        for kind in _FOLLOW_TARGET_SET
                    ),
                ),
                name="follow_one_target",
            ),
        ] + [
            models.UniqueConstraint(
                fields=["user", kind],
                condition=is_set,
                name=f"follow_{kind}_once",
            )
            for kind, is_set in _FOLLOW_TARGET_SET.items()
        ]
        indexes = [
            # The Following page: a member's follows, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="follow_mine"),
        ] + [
            # Fan-out: who follows this target (and at which level).
            models.Index(
                fields=[kind, "level"], condition=is_set, name=f"follow_by_{kind}"
            )
            for kind, is_set in _FOLLOW_TARGET_SET.items()
        ]

    def __str__(self):
        return f"{self.user} follows {self.target} ({self.level})"

    @property
    def target(self):
        if self.community_id:
            return self.community
        if self.item_id:
            return self.item
        if self.person_id:
            return self.person
        return self.tag

    @property
    def target_kind(self) -> str:
        if self.community_id:
            return "community"
        if self.item_id:
            return "item"
        if self.person_id:
            return "person"
        return "tag"


class WatchFanout(models.Model):
    """One new item or reply whose watchers were told. The row is written in
    the transaction that creates their notifications, so a job that runs
    twice finds it and does nothing; one that dies takes it with it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(reply__isnull=True),
                name="fanout_item_once",
            ),
            models.UniqueConstraint(
                fields=["reply"],
                condition=models.Q(reply__isnull=False),
                name="fanout_reply_once",
            ),
        ]

    def __str__(self):
        return f"Fan-out of {self.reply_id or self.item_id}"


class Mention(models.Model):
    """@someone in an item or a reply, recorded when they were told: a
    mention notifies once, however often the text is edited afterwards."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="mentions")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"],
                condition=models.Q(reply__isnull=True),
                name="mention_in_item_once",
            ),
            models.UniqueConstraint(
                fields=["reply", "user"],
                condition=models.Q(reply__isnull=False),
                name="mention_in_reply_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} mentioned in {self.reply_id or self.item_id}"


class RealField(models.FloatField):
    """A single-precision float: half the bytes of FloatField's double, and
    an embedding's float32 values lose nothing."""

    def db_type(self, connection):
        return "real"


class BitStringField(models.Field):
    """PostgreSQL's bit(length), read and written as a string of 0s and 1s."""

    def __init__(self, *args, length: int, **kwargs):
        self.length = length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["length"] = self.length
        return name, path, args, kwargs

    def db_type(self, connection):
        return f"bit({self.length})"


class ItemSimilarity(models.Model):
    """What matching knows about one item, computed by a job on save
    (knowledge.similarity_refresh): the hash of the text it was computed from
    (so a rerun with the same text does nothing), the title's sentence
    embedding when embeddings are on, and its closest items in *other*
    communities, best first. `related_ids` ignores permissions: they are
    applied when a viewer reads them."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="similarity"
    )
    text_hash = models.CharField(max_length=64)
    embedding_model = models.CharField(max_length=80, blank=True)
    embedding = ArrayField(RealField(), null=True, blank=True)
    related_ids = ArrayField(models.IntegerField(), default=list, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("item similarities")

    def __str__(self):
        return f"Similarity of item {self.item_id}"


class InboundMailLog(models.Model):
    """Every e-mail that arrived at a reply address, accepted or not
    (knowledge/inbound.py), so forged and replayed ones leave a trace. The
    token itself is never kept: its digest spots a replay."""

    class Channel(models.TextChoices):
        LMTP = "lmtp", _("LMTP")
        MAILGUN = "mailgun", _("Mailgun webhook")

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        FORGED = "forged", _("Forged address")
        EXPIRED = "expired", _("Expired address")
        WRONG_SENDER = "wrong_sender", _("Sender is not the member")
        REPLAYED = "replayed", _("Replayed")
        NOT_ALLOWED = "not_allowed", _("May not reply there")
        EMPTY = "empty", _("Empty reply")
        INVALID = "invalid", _("Invalid reply")

    received_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender = models.CharField(max_length=254, blank=True)
    recipient = models.CharField(max_length=254, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    token_digest = models.CharField(max_length=64, blank=True)
    body_digest = models.CharField(max_length=64, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    item = models.ForeignKey(
        Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail log")
        ordering = ["-received_at", "-id"]
        indexes = [
            # Replays: an accepted mail with the same Message-ID, or the same
            # token and text.
            models.Index(
                fields=["message_id"],
                condition=models.Q(outcome="accepted"),
                name="inbound_accepted_message",
            ),
            models.Index(
                fields=["token_digest", "body_digest"],
                condition=models.Q(outcome="accepted"),
                name="inbound_accepted_token_body",
            ),
            models.Index(fields=["-received_at"], name="inbound_received"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.sender} -> {self.recipient}"


class ItemSignature(models.Model):
    """The sign bits of an item's embedding under fixed random hyperplanes
    (knowledge.embeddings.signature), with the item's community: the narrow
    row the nearest-neighbour scan reads. The Hamming distance of two
    signatures estimates the angle between their vectors, so the scan ranks
    every visible row on it and the few nearest are then ranked on the exact
    cosine of the embeddings (ItemSimilarity). Written with the embedding;
    none when embeddings are off."""

    item = models.OneToOneField(
        Item, on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    # A copy of the item's, so the scan filters on the visible communities
    # without reading the (wide) item table; an item never changes community.
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    signature = BitStringField(length=384)

    def __str__(self):
        return f"Signature of item {self.item_id}"
