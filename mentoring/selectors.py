"""Reads for mentoring pages: querysets arrive with what the page needs."""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from members.tags import tag_normalise
from mentoring.models import (
    Assumption,
    CheckIn,
    Commitment,
    Feedback,
    Format,
    MentoringRequest,
    MentorOffer,
    OfferTopic,
    Pair,
)


def requests_of(user):
    """A member's own requests, newest first."""
    return (
        MentoringRequest.objects.filter(mentee=user)
        .select_related("community", "requested_mentor")
        .prefetch_related("topics")
        .order_by("-created_at", "-pk")
    )


def pairs_of(user):
    """Pairs a member is in: proposals and active pairs first."""
    return (
        Pair.objects.filter(Q(mentor=user) | Q(mentee=user))
        .exclude(status=Pair.Status.DECLINED)
        .select_related("mentor", "mentee")
        .annotate(
            rank=Case(
                When(status=Pair.Status.PROPOSED, then=Value(0)),
                When(status=Pair.Status.ACTIVE, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-proposed_at", "-pk")
    )


# The cache version (members.versioned_cache) of the pairs' check-ins as the
# home panel shows them (mentoring.home); bumped by every check-in.
CHECKIN_VERSION = "mentoring-checkins"


def pending_proposals_for(user):
    """Proposals waiting for this member's answer."""
    return (
        Pair.objects.filter(status=Pair.Status.PROPOSED)
        .filter(
            Q(mentor=user, mentor_accepted_at__isnull=True)
            | Q(mentee=user, mentee_accepted_at__isnull=True)
        )
        .select_related("mentor", "mentee", "broker")
        .order_by("proposed_at", "pk")
    )


def active_pairs_of(user):
    return (
        Pair.objects.filter(Q(mentor=user) | Q(mentee=user), status=Pair.Status.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("-started_at", "-pk")
    )


def open_requests():
    """The broker console: open requests, oldest first."""
    return (
        MentoringRequest.objects.filter(status=MentoringRequest.Status.OPEN)
        .select_related("mentee", "community", "requested_mentor")
        .prefetch_related("topics")
        .order_by("created_at", "pk")
    )


def open_request_ids():
    """The broker console's open requests as ids, in its order: the page's
    rows come from mentoring.console."""
    return (
        MentoringRequest.objects.filter(status=MentoringRequest.Status.OPEN)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def offer_of(user):
    return MentorOffer.objects.filter(user=user).prefetch_related("topics").first()


def live_load(user) -> int:
    return Pair.objects.filter(mentor=user, status__in=Pair.LIVE).count()


def available_mentors(*, topic: str = "", exclude=None):
    """Mentors with room for another mentee, optionally on one topic."""
    load = (
        Pair.objects.filter(mentor_id=OuterRef("user_id"), status__in=Pair.LIVE)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        MentorOffer.objects.filter(available=True, user__is_active=True)
        .annotate(load=Coalesce(Subquery(load), 0))
        .select_related("user")
        .prefetch_related("topics")
        .order_by("user__display_name", "pk")
    )
    qs = qs.filter(load__lt=F("capacity")).annotate(free=F("capacity") - F("load"))
    if topic:
        tagged = OfferTopic.objects.filter(tag__name=tag_normalise(topic))
        qs = qs.filter(pk__in=tagged.values("content_object_id"))
    if exclude is not None:
        qs = qs.exclude(user=exclude)
    return qs


def checkins_of(pair):
    return CheckIn.objects.filter(pair=pair).select_related("author")


def feedback_of(pair):
    return Feedback.objects.filter(pair=pair).select_related(
        "author", "published_item__community"
    )


def assumptions_of(pair):
    """A thinking partnership's assumptions log, newest first."""
    return (
        Assumption.objects.filter(pair=pair)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def commitments_of(pair):
    """A thinking partnership's commitments, latest session first."""
    return (
        Commitment.objects.filter(pair=pair)
        .select_related("author")
        .order_by("-session_on", "-id")
    )


def followups_of(member) -> dict | None:
    """How many of `member`'s thinking-partnership commitments were followed
    up, counted only over pairs where they consented to show it (None when
    they consented nowhere). One query."""
    consented = Q(pair__mentor=member, pair__mentor_shares_followups=True) | Q(
        pair__mentee=member, pair__mentee_shares_followups=True
    )
    figures = Commitment.objects.filter(
        consented, author=member, pair__format=Format.THINKING_PARTNER
    ).aggregate(
        total=Count("pk"),
        followed=Count("pk", filter=Q(status=Commitment.Status.FOLLOWED_UP)),
        reviewed=Count("pk", filter=~Q(status=Commitment.Status.OPEN)),
    )
    return figures if figures["total"] else None
