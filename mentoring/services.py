"""Writes to mentoring. Every state change goes through here.

Services check the state machine (a declined proposal cannot be accepted, a
closed pair takes no check-ins) and raise ValidationError with a message the
page can show; views check who may act (mentoring.permissions) first.
Repeating an action that already happened (a double submit) is harmless.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.access import active_community_ids
from communities.models import Community, Membership
from communities.services import welcome_step_complete
from knowledge.models import ItemKind
from knowledge.services import item_create
from mentoring.models import (
    FORMAT_FIELDS,
    CheckIn,
    Feedback,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
    ReminderLog,
)
from notifications.services import notify


def _clean_tags(tags) -> list[str]:
    return sorted({t.strip().lower() for t in tags if t and t.strip()})[:20]


def _live_load(mentor) -> int:
    return Pair.objects.filter(mentor=mentor, status__in=Pair.LIVE).count()


def _connect_step(*, mentee, community=None) -> None:
    """Mentoring ticks the newcomer's "connect" welcome step."""
    if community is not None:
        welcome_step_complete(user=mentee, community=community, step="connect")
        return
    for community in Community.objects.filter(pk__in=active_community_ids(mentee)):
        welcome_step_complete(user=mentee, community=community, step="connect")


# --- Offers ---------------------------------------------------------------


@transaction.atomic
def offer_save(
    *,
    user,
    available: bool,
    capacity: int,
    topics=None,
    formats=(),
) -> MentorOffer:
    """Create or update a member's mentor offer. Topics default to the
    member's expertise the first time."""
    offer = MentorOffer.objects.filter(user=user).first()
    creating = offer is None
    offer = offer or MentorOffer(user=user)
    offer.available = available
    offer.capacity = capacity
    formats = set(formats)
    if not formats:
        raise ValidationError({"formats": _("Choose at least one format.")})
    for fmt, field in FORMAT_FIELDS.items():
        setattr(offer, field, fmt in formats)
    offer.full_clean()
    offer.save()
    if topics is None and creating:
        topics = list(user.expertise.names())
    if topics is not None:
        offer.topics.set(_clean_tags(topics))
    return offer


# --- Requests -------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    mentee,
    topics,
    goals: str,
    format: str,  # noqa: A002 - the field's name
    community=None,
    requested_mentor=None,
) -> MentoringRequest:
    """Ask for mentoring: for any broker to match, or of one mentor directly
    (then the mentor is proposed at once, the mentee having accepted)."""
    topics = _clean_tags(topics)
    if not topics:
        raise ValidationError({"topics": _("Name at least one topic.")})
    if (
        community is not None
        and not Membership.objects.filter(
            user=mentee, community=community, status=Membership.Status.ACTIVE
        ).exists()
    ):
        raise ValidationError(
            {"community": _("Choose a community you are an active member of.")}
        )
    if requested_mentor is not None:
        _check_mentor_free(mentor=requested_mentor, mentee=mentee)
    req = MentoringRequest(
        mentee=mentee,
        goals=goals.strip(),
        format=format,
        community=community,
        requested_mentor=requested_mentor,
    )
    req.full_clean(exclude=["topics"])
    req.save()
    req.topics.set(topics)
    _connect_step(mentee=mentee, community=community)
    if requested_mentor is not None:
        _pair_create(req=req, mentor=requested_mentor, broker=None, note="")
    return req


@transaction.atomic
def request_withdraw(*, req: MentoringRequest, by) -> MentoringRequest:
    req = MentoringRequest.objects.select_for_update().get(pk=req.pk)
    if req.status == MentoringRequest.Status.WITHDRAWN:
        return req
    if not req.is_live:
        raise ValidationError(_("A matched request cannot be withdrawn."))
    now = timezone.now()
    for pair in req.pairs.filter(status=Pair.Status.PROPOSED).select_related("mentor"):
        pair.status = Pair.Status.DECLINED
        pair.declined_at = now
        pair.declined_by = by
        pair.decline_reason = _("The request was withdrawn.")
        pair.save(
            update_fields=["status", "declined_at", "declined_by", "decline_reason"]
        )
        notify(
            recipient=pair.mentor,
            kind="mentoring.withdrawn",
            message=_("%(name)s withdrew their mentoring request.")
            % {"name": by.display_name},
            url=req.get_absolute_url(),
            actor=by,
        )
    req.status = MentoringRequest.Status.WITHDRAWN
    req.save(update_fields=["status", "updated_at"])
    return req


# --- Proposals ------------------------------------------------------------


def _check_mentor_free(*, mentor, mentee) -> MentorOffer:
    if mentor.pk == mentee.pk:
        raise ValidationError(_("Nobody can mentor themselves."))
    offer = MentorOffer.objects.filter(user=mentor).first()
    if offer is None or not offer.available or not mentor.is_active:
        raise ValidationError(
            _("%(name)s is not taking mentees at the moment.")
            % {"name": mentor.display_name}
        )
    if _live_load(mentor) >= offer.capacity:
        raise ValidationError(
            _("%(name)s has no room for another mentee right now.")
            % {"name": mentor.display_name}
        )
    if Pair.objects.filter(mentor=mentor, mentee=mentee, status__in=Pair.LIVE).exists():
        raise ValidationError(
            _("%(mentor)s and %(mentee)s are already paired.")
            % {"mentor": mentor.display_name, "mentee": mentee.display_name}
        )
    return offer


def _pair_create(*, req, mentor, broker, note: str) -> Pair:
    now = timezone.now()
    direct = broker is None
    try:
        with transaction.atomic():
            pair = Pair.objects.create(
                request=req,
                mentor=mentor,
                mentee=req.mentee,
                broker=broker,
                note=note.strip(),
                format=req.format,
                proposed_at=now,
                # Asking a mentor directly is the mentee's acceptance.
                mentee_accepted_at=now if direct else None,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This request or these two people already have a live proposal.")
        ) from exc
    req.status = MentoringRequest.Status.PROPOSED
    req.save(update_fields=["status", "updated_at"])
    url = pair.get_absolute_url()
    if direct:
        notify(
            recipient=mentor,
            kind="mentoring.asked",
            message=_("%(name)s asked you to be their mentor.")
            % {"name": req.mentee.display_name},
            url=url,
            actor=req.mentee,
        )
    else:
        for person, other in ((mentor, req.mentee), (req.mentee, mentor)):
            notify(
                recipient=person,
                kind="mentoring.proposed",
                message=_("%(broker)s suggests you work with %(other)s.")
                % {"broker": broker.display_name, "other": other.display_name},
                url=url,
                actor=broker,
            )
    return pair


@transaction.atomic
def match_propose(*, req: MentoringRequest, mentor, broker, note: str = "") -> Pair:
    """A broker proposes `mentor` for an open request."""
    req = (
        MentoringRequest.objects.select_for_update()
        .select_related("mentee")
        .get(pk=req.pk)
    )
    if req.status != MentoringRequest.Status.OPEN:
        raise ValidationError(_("This request is no longer waiting for a mentor."))
    _check_mentor_free(mentor=mentor, mentee=req.mentee)
    return _pair_create(req=req, mentor=mentor, broker=broker, note=note)


def _lock(pair: Pair) -> Pair:
    return (
        Pair.objects.select_for_update(of=("self",))
        .select_related("mentor", "mentee", "broker", "request")
        .get(pk=pair.pk)
    )


def _tell(pair: Pair, *, actor, kind: str, message: str, include_broker=True):
    """Tell the other person (and the broker) what `actor` did."""
    recipients = [pair.mentor, pair.mentee]
    if include_broker and pair.broker is not None:
        recipients.append(pair.broker)
    for person in recipients:
        notify(
            recipient=person,
            kind=kind,
            message=message,
            url=pair.get_absolute_url(),
            actor=actor,
        )


@transaction.atomic
def pair_accept(*, pair: Pair, user) -> Pair:
    pair = _lock(pair)
    role = pair.role_of(user)
    if role is None:
        raise ValidationError(_("Only the mentor and the mentee can accept."))
    if pair.is_active or (pair.is_proposed and pair.has_accepted(user)):
        return pair  # already done: a double submit changes nothing
    if not pair.is_proposed:
        raise ValidationError(
            _("This proposal is closed and can no longer be accepted.")
        )
    now = timezone.now()
    field = f"{role}_accepted_at"
    setattr(pair, field, now)
    fields = [field]
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = Pair.Status.ACTIVE
        pair.started_at = now
        fields += ["status", "started_at"]
        req = pair.request
        req.status = MentoringRequest.Status.MATCHED
        req.matched_at = now
        req.save(update_fields=["status", "matched_at", "updated_at"])
        pair.save(update_fields=fields)
        _connect_step(mentee=pair.mentee, community=req.community)
        _tell(
            pair,
            actor=user,
            kind="mentoring.active",
            message=_("%(mentor)s and %(mentee)s are now a mentoring pair.")
            % {"mentor": pair.mentor.display_name, "mentee": pair.mentee.display_name},
        )
    else:
        pair.save(update_fields=fields)
        _tell(
            pair,
            actor=user,
            kind="mentoring.accepted",
            message=_("%(name)s accepted the mentoring proposal.")
            % {"name": user.display_name},
        )
    return pair


@transaction.atomic
def pair_decline(*, pair: Pair, user, reason: str = "") -> Pair:
    """Either person declines a proposal; the request goes back to open."""
    pair = _lock(pair)
    if pair.role_of(user) is None:
        raise ValidationError(_("Only the mentor and the mentee can decline."))
    if pair.status == Pair.Status.DECLINED:
        return pair
    if not pair.is_proposed:
        raise ValidationError(_("Only a proposal can be declined."))
    pair.status = Pair.Status.DECLINED
    pair.declined_at = timezone.now()
    pair.declined_by = user
    pair.decline_reason = reason.strip()[:300]
    pair.save(update_fields=["status", "declined_at", "declined_by", "decline_reason"])
    req = pair.request
    if req.status == MentoringRequest.Status.PROPOSED:
        req.status = MentoringRequest.Status.OPEN
        req.save(update_fields=["status", "updated_at"])
    _tell(
        pair,
        actor=user,
        kind="mentoring.declined",
        message=_(
            "%(name)s declined the mentoring proposal; the request is open again."
        )
        % {"name": user.display_name},
    )
    return pair


@transaction.atomic
def pair_complete(*, pair: Pair, user) -> Pair:
    pair = _lock(pair)
    if pair.status == Pair.Status.COMPLETED:
        return pair
    if not pair.is_active:
        raise ValidationError(_("Only an active pair can be completed."))
    pair.status = Pair.Status.COMPLETED
    pair.ended_at = timezone.now()
    pair.save(update_fields=["status", "ended_at"])
    _tell(
        pair,
        actor=user,
        kind="mentoring.completed",
        message=_("Your mentoring is complete. Share what you learned."),
    )
    return pair


@transaction.atomic
def pair_close(*, pair: Pair, user, reason: str) -> Pair:
    pair = _lock(pair)
    if pair.status == Pair.Status.CLOSED:
        return pair
    if not pair.is_active:
        raise ValidationError(_("Only an active pair can be closed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why you are closing early.")})
    pair.status = Pair.Status.CLOSED
    pair.ended_at = timezone.now()
    pair.closed_reason = reason[:300]
    pair.save(update_fields=["status", "ended_at", "closed_reason"])
    _tell(
        pair,
        actor=user,
        kind="mentoring.closed",
        message=_("%(name)s closed the mentoring early: %(reason)s")
        % {"name": user.display_name, "reason": pair.closed_reason},
    )
    return pair


# --- Goals and check-ins ----------------------------------------------------


def _check_active(pair: Pair) -> None:
    if not pair.is_active:
        raise ValidationError(_("This pair is not active, so it takes no changes."))


@transaction.atomic
def goal_add(*, pair: Pair, user, text: str) -> Goal:
    pair = _lock(pair)
    _check_active(pair)
    goal = Goal(pair=pair, text=text.strip(), created_by=user)
    goal.full_clean()
    existing = pair.goals.filter(text=goal.text).first()
    if existing is not None:
        return existing  # the same goal submitted twice
    goal.save()
    return goal


@transaction.atomic
def goal_set_done(*, goal: Goal, user, done: bool) -> Goal:
    _check_active(_lock(goal.pair))
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.done != done:
        goal.done = done
        goal.done_at = timezone.now() if done else None
        goal.save(update_fields=["done", "done_at"])
    return goal


@transaction.atomic
def checkin_add(
    *,
    pair: Pair,
    user,
    on: date,
    notes: str,
    progress: int,
    next_step: str = "",
) -> CheckIn:
    pair = _lock(pair)
    _check_active(pair)
    if on > timezone.localdate():
        raise ValidationError({"date": _("A check-in cannot be in the future.")})
    checkin = CheckIn(
        pair=pair,
        author=user,
        date=on,
        notes=notes.strip(),
        progress=progress,
        next_step=next_step.strip(),
    )
    checkin.full_clean()
    duplicate = pair.checkins.filter(
        author=user, date=on, notes=checkin.notes, progress=progress
    ).first()
    if duplicate is not None:
        return duplicate  # the same form submitted twice
    checkin.save()
    pair.last_checkin_at = timezone.now()
    pair.save(update_fields=["last_checkin_at"])
    notify(
        recipient=pair.other_party(user),
        kind="mentoring.checkin",
        message=_("%(name)s logged a check-in (%(progress)s%%).")
        % {"name": user.display_name, "progress": progress},
        url=pair.get_absolute_url(),
        actor=user,
    )
    return checkin


# --- Feedback -------------------------------------------------------------


@transaction.atomic
def feedback_give(
    *,
    pair: Pair,
    author,
    rating: int,
    learned: str,
    publish_in: Community | None = None,
) -> Feedback:
    """Feedback once per person after the pair ends; optionally publish what
    they learned as a story in a community where they are active."""
    pair = _lock(pair)
    if pair.role_of(author) is None:
        raise ValidationError(_("Only the mentor and the mentee give feedback."))
    if not pair.is_ended:
        raise ValidationError(_("Feedback comes once the mentoring has ended."))
    existing = Feedback.objects.filter(pair=pair, author=author).first()
    if existing is not None:
        return existing
    feedback = Feedback(
        pair=pair, author=author, rating=rating, learned=learned.strip()
    )
    feedback.full_clean()
    if publish_in is not None:
        if not Membership.objects.filter(
            user=author, community=publish_in, status=Membership.Status.ACTIVE
        ).exists():
            raise ValidationError(
                {
                    "publish_in": _(
                        "You can only publish in a community you are active in."
                    )
                }
            )
        feedback.published_item = item_create(
            author=author,
            community=publish_in,
            kind=ItemKind.STORY,
            title=_("What I learned from %(format)s with %(other)s")
            % {
                "format": pair.get_format_display().lower(),
                "other": pair.other_party(author).display_name,
            },
            body=feedback.learned,
            tags=list(pair.request.topics.names()),
        )
    feedback.save()
    notify(
        recipient=pair.other_party(author),
        kind="mentoring.feedback",
        message=_("%(name)s shared what they learned from your mentoring.")
        % {"name": author.display_name},
        url=pair.get_absolute_url(),
        actor=author,
    )
    return feedback


# --- Reminders ------------------------------------------------------------


def reminder_days() -> int:
    return getattr(settings, "MENTORING_REMINDER_DAYS", 21)


def idle_days() -> int:
    return getattr(settings, "MENTORING_IDLE_DAYS", 60)


def _log_once(*, pair: Pair, kind: str, period: str) -> bool:
    """Claim this reminder; False if it was already sent."""
    _, created = ReminderLog.objects.get_or_create(pair=pair, kind=kind, period=period)
    return created


def reminders_send(*, now=None) -> dict:
    """Remind active pairs with no check-in for MENTORING_REMINDER_DAYS (again
    every further such stretch), and tell the broker once about a pair quiet
    for MENTORING_IDLE_DAYS. Safe to run any number of times."""
    now = now or timezone.now()
    every, idle = reminder_days(), idle_days()
    sent = {"checkin": 0, "idle": 0}
    cutoff = now - timedelta(days=every)
    active = Pair.objects.filter(status=Pair.Status.ACTIVE)
    quiet = active.filter(last_checkin_at__lt=cutoff) | active.filter(
        last_checkin_at__isnull=True, started_at__lt=cutoff
    )
    quiet = quiet.select_related("mentor", "mentee", "broker").order_by("pk")
    for pair in quiet.iterator(chunk_size=500):
        since = pair.last_checkin_at or pair.started_at
        days = (now - since).days
        anchor = since.date().isoformat()
        if _checkin_reminder(pair, days=days, period=f"{anchor}/{days // every}"):
            sent["checkin"] += 1
        if days >= idle and _idle_notice(pair, days=days, period=anchor):
            sent["idle"] += 1
    return sent


@transaction.atomic
def _checkin_reminder(pair: Pair, *, days: int, period: str) -> bool:
    if not _log_once(pair=pair, kind=ReminderLog.Kind.CHECKIN, period=period):
        return False
    for person in (pair.mentor, pair.mentee):
        notify(
            recipient=person,
            kind="mentoring.checkin_reminder",
            message=_("No check-in for %(days)s days: how is it going with %(other)s?")
            % {"days": days, "other": pair.other_party(person).display_name},
            url=pair.get_absolute_url(),
        )
    return True


@transaction.atomic
def _idle_notice(pair: Pair, *, days: int, period: str) -> bool:
    """Tell the broker, once per quiet stretch, so they can follow up."""
    if pair.broker is None:
        return False
    if not _log_once(pair=pair, kind=ReminderLog.Kind.IDLE, period=period):
        return False
    notify(
        recipient=pair.broker,
        kind="mentoring.idle",
        message=_("%(mentor)s and %(mentee)s: no check-in for %(days)s days.")
        % {
            "mentor": pair.mentor.display_name,
            "mentee": pair.mentee.display_name,
            "days": days,
        },
        url=pair.get_absolute_url(),
    )
    return True
