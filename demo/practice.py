"""Demo of the essays' ideas in knowledge: adoptions whose 30- and 90-day
check-ins were answered (kept, adapted with a linked variant, dropped, and
some not yet known), and experiments, one open with an executive sponsor and
one closed into its lesson.

Through knowledge's services, as on the site, then backdated
(demo/backdating.py). Idempotent: answered check-ins and existing
experiments are left as they are.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from communities.access import can_view_content
from communities.models import Community, Membership
from dashboards.scope import Scope
from dashboards.spread import pockets_of_innovation
from demo.backdating import backdate, notifications_at
from demo.knowledge import _activity_dates
from knowledge.adoptions import adoption_checkin_answer
from knowledge.experiments import experiment_close
from knowledge.models import (
    LASTING_ANSWERS,
    Adoption,
    AdoptionCheckIn,
    Experiment,
    Item,
    ItemKind,
    ItemTag,
)
from knowledge.services import adoption_record, item_create
from members.models import User

# Of the check-ins already due, this share stays unanswered ("not yet known").
UNANSWERED = 0.2
ADAPTED_NOTES = [
    "We kept the idea but run it weekly instead of every shift.",
    "Same steps, but the team lead owns it rather than the engineer.",
    "We dropped the paper form and put the three questions on the board.",
]
DROPPED_NOTES = [
    "It needed a second person on nights, and we do not have one.",
    "Our line changes over too often for it to stick.",
]

# (slug, author, title, body, hypothesis, trial, measure, review in days,
#  sponsor, days ago, closed with (outcome, result) or None)
EXPERIMENTS = [
    (
        "lean-on-the-shop-floor",
        "maria.lopez",
        "Five-minute huddle at the line instead of the office",
        "## Why now\nOur morning meeting runs 25 minutes and nobody from the "
        "line speaks.\n\n## Who takes part\nLine 3, both morning crews.",
        "Standing at the line, operators raise twice as many problems.",
        "Four weeks of a five-minute huddle at the line board, same agenda.",
        "Problems raised per huddle, counted on the board; crew survey at week 4.",
        21,
        "jon.ito",
        10,
        None,
    ),
    (
        "shift-handover-practice",
        "maria.lopez",
        "Handover checklist read aloud by the incoming shift",
        "## Why now\nTwo near misses began with something written down but "
        "not heard.\n\n## Risks\nIt may add five minutes to the handover.",
        "If the incoming shift reads the checklist aloud, fewer items are missed.",
        "Six weeks on two lines: the incoming lead reads, the outgoing confirms.",
        "Missed handover items in the shift log, before and during.",
        -5,
        "jon.ito",
        60,
        (
            "confirmed",
            "Missed items fell from 11 to 3 over six weeks; handovers took two "
            "minutes longer. Both lines kept it.",
        ),
    ),
]


def seed(stdout):
    answered = _checkins()
    pockets = _pocket()
    experiments = _experiments()
    # Backdating, last: items' and communities' latest activity from the
    # dates above (the services stamped the time of seeding).
    touched = set(
        AdoptionCheckIn.objects.values_list("adoption__item_id", flat=True)
    ) | set(
        AdoptionCheckIn.objects.filter(variant__isnull=False).values_list(
            "variant_id", flat=True
        )
    )
    touched |= set(Experiment.objects.values_list("item_id", flat=True))
    touched |= set(
        Experiment.objects.filter(lesson__isnull=False).values_list(
            "lesson_id", flat=True
        )
    )
    _activity_dates(sorted(touched), list(Community.objects.all()))
    stdout.write(
        f"Practice: {answered} adoption check-ins answered, {pockets} pocket of "
        f"innovation, {experiments} experiments."
    )


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _latest_answer(adoption_id) -> str:
    latest = (
        AdoptionCheckIn.objects.filter(adoption_id=adoption_id)
        .exclude(answer="")
        .order_by("-day")
        .values_list("answer", flat=True)
        .first()
    )
    return latest or ""


def _checkins() -> int:
    """Answer the due check-ins as their adopters would. Each check-in's
    fate is drawn from its own id, so a second run answers nothing new."""
    due = (
        AdoptionCheckIn.objects.filter(due_on__lte=timezone.localdate(), answer="")
        .select_related("adoption__recorded_by", "adoption__item")
        .order_by("adoption_id", "day")
    )
    answered = 0
    variants = AdoptionCheckIn.objects.filter(variant__isnull=False).count()
    for checkin in due:
        rng = random.Random(checkin.pk)  # noqa: S311 - demo data
        recorder = checkin.adoption.recorded_by
        if recorder is None or rng.random() < UNANSWERED:
            continue
        before = _latest_answer(checkin.adoption_id)
        if before == "dropped":
            continue  # dropped at 30 days: nothing more to say at 90
        roll = rng.random()
        if before in ("kept", "adapted"):
            answer = "kept" if roll < 0.8 else "dropped"
        else:
            answer = "kept" if roll < 0.55 else "adapted" if roll < 0.8 else "dropped"
        answer_checkin(checkin, recorder, answer, rng, publish=variants < 2)
        variants += answer == "adapted" and variants < 2
        answered += 1
    return answered


def answer_checkin(checkin, recorder, answer, rng, *, publish=False):
    note = ""
    if answer == "adapted":
        note = rng.choice(ADAPTED_NOTES)
    elif answer == "dropped":
        note = rng.choice(DROPPED_NOTES)
    at = _at(checkin.due_on + timedelta(days=rng.randint(0, 4)))
    # Only someone who was a member then publishes there.
    publish = (
        publish
        and answer == "adapted"
        and Membership.objects.filter(
            user=recorder,
            community_id=checkin.adoption.community_id,
            joined_at__lte=at,
        ).exists()
    )
    with notifications_at(at):
        checkin = adoption_checkin_answer(
            checkin=checkin,
            acting_user=recorder,
            answer=answer,
            note=note,
            publish_variant=publish,
            variant_title=f"{checkin.adoption.item.title} (our variant)"[:200],
        )
    # Backdating: answered a few days after it fell due, and told then.
    backdate(checkin, answered_at=at, notified_at=_at(checkin.due_on, 7))
    if checkin.variant is not None:
        backdate(checkin.variant, created_at=at, last_activity_at=at)
        # Tag pages and rollups read the item's date from its tag links too.
        ItemTag.objects.filter(content_object=checkin.variant).update(
            item_created_at=at
        )
    return checkin


def _pocket() -> int:
    """A practice that lasted in one community is adopted, and kept, by a
    second one: a pocket of innovation on the dashboard. Returns 1 when the
    demo has one."""
    if pockets_of_innovation(Scope.organisation()):
        return 1
    lasting = (
        AdoptionCheckIn.objects.filter(answer__in=LASTING_ANSWERS)
        .select_related("adoption__item__community")
        .order_by("adoption_id")
    )
    for checkin in lasting:
        item = checkin.adoption.item
        taken = Adoption.objects.filter(item=item).values("community_id")
        for community in (
            Community.objects.exclude(pk=item.community_id)
            .exclude(pk__in=taken)
            .filter(archived_at__isnull=True)
            .order_by("name")
        ):
            recorder = next(
                (
                    m.user
                    for m in community.memberships.filter(status="active")
                    .select_related("user")
                    .order_by("joined_at", "pk")
                    if can_view_content(m.user, item.community)
                ),
                None,
            )
            if recorder is None:
                continue
            at = timezone.now() - timedelta(days=120)
            with notifications_at(at):
                adoption = adoption_record(
                    item=item,
                    community=community,
                    acting_user=recorder,
                    note="We saw it work next door and copied it.",
                )
            backdate(adoption, created_at=at)
            rng = random.Random(adoption.pk)  # noqa: S311 - demo data
            for later in adoption.checkins.order_by("day"):
                backdate(later, due_on=at.date() + timedelta(days=later.day))
                answer_checkin(later, recorder, "kept", rng)
            return 1
    return 0


def _experiments() -> int:
    count = 0
    for (
        slug,
        author,
        title,
        body,
        hypothesis,
        trial,
        measure,
        review_in,
        sponsor,
        days_ago,
        closed,
    ) in EXPERIMENTS:
        community = Community.objects.filter(slug=slug).first()
        author = User.objects.filter(email=f"{author}@practica.local").first()
        sponsor = User.objects.filter(email=f"{sponsor}@practica.local").first()
        if community is None or author is None:
            continue
        count += 1
        if Experiment.objects.filter(item__title=title).exists():
            continue
        started = timezone.now() - timedelta(days=days_ago)
        with notifications_at(started):
            item = item_create(
                author=author,
                community=community,
                kind=ItemKind.EXPERIMENT,
                title=title,
                body=body,
                tags=["experiment"],
                experiment={
                    "hypothesis": hypothesis,
                    "trial": trial,
                    "measure": measure,
                    "review_on": (
                        started + timedelta(days=days_ago + review_in)
                    ).date(),
                    "sponsor": sponsor,
                },
            )
        backdate(item, created_at=started, last_activity_at=started)
        ItemTag.objects.filter(content_object=item).update(item_created_at=started)
        if closed is not None:
            outcome, result = closed
            at = started + timedelta(days=days_ago - 3)
            with notifications_at(at):
                lesson = experiment_close(
                    experiment=item.experiment,
                    acting_user=author,
                    outcome=outcome,
                    result=result,
                )
            Experiment.objects.filter(item=item).update(closed_at=at)
            Item.objects.filter(pk=lesson.pk).update(created_at=at, last_activity_at=at)
            ItemTag.objects.filter(content_object=lesson).update(item_created_at=at)
    return count
