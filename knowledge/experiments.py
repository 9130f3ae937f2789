"""Experiments (Senge's research, done where the work is): an item of kind
experiment carries a hypothesis, what will be tried, how we will know, a
review date and, optionally, an executive sponsor, who must hold the
executive leadership role. Closing it with its result publishes a lesson
in the same community, linked both ways, so what was learned is found
where lessons are.

experiment_record / experiment_update are called by item_create and
item_update; check_experiment_close is the checked entry of the close page.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowledge import permissions as perms
from knowledge.models import Activity, Experiment, Item, ItemKind
from members.permissions import check_signed_in


def _fill(experiment: Experiment, *, hypothesis, trial, measure, review_on, sponsor):
    experiment.hypothesis = (hypothesis or "").strip()
    experiment.trial = (trial or "").strip()
    experiment.measure = (measure or "").strip()
    experiment.review_on = review_on
    experiment.sponsor = sponsor
    experiment.full_clean(exclude=["item", "lesson"])


def experiment_record(
    *,
    item: Item,
    acting_user,
    hypothesis: str,
    trial: str,
    measure: str,
    review_on: date | None,
    sponsor=None,
) -> Experiment:
    """The experiment's own fields, for a new item of kind experiment; the
    sponsor (if any) hears of it when they may see the community."""
    experiment = Experiment(item=item)
    _fill(
        experiment,
        hypothesis=hypothesis,
        trial=trial,
        measure=measure,
        review_on=review_on,
        sponsor=sponsor,
    )
    experiment.save()
    if sponsor is not None:
        _tell(
            sponsor,
            item=item,
            actor=acting_user,
            kind="knowledge.experiment_sponsor",
            message=gettext_lazy("%(name)s named you executive sponsor of “%(title)s”"),
            params={"name": acting_user.display_name, "title": item.title},
        )
    return experiment


def experiment_update(
    *,
    item: Item,
    acting_user,
    hypothesis: str,
    trial: str,
    measure: str,
    review_on: date | None,
    sponsor=None,
) -> Experiment:
    """An open experiment's fields, edited with its item; a closed one keeps
    what it was closed with."""
    experiment = Experiment.objects.select_for_update().get(item=item)
    if experiment.is_closed:
        return experiment
    _fill(
        experiment,
        hypothesis=hypothesis,
        trial=trial,
        measure=measure,
        review_on=review_on,
        sponsor=sponsor,
    )
    experiment.save()
    return experiment


def _tell(recipient, *, item, **kwargs) -> None:
    from knowledge.services import _notify_if_visible

    _notify_if_visible(recipient=recipient, item=item, **kwargs)


def lesson_body(*, experiment: Experiment, outcome_label: str, result: str) -> str:
    return "\n".join(
        [
            f"## {_('What we believed')}",
            experiment.hypothesis,
            "",
            f"## {_('What we tried')}",
            experiment.trial,
            "",
            f"## {_('How we knew')}",
            experiment.measure,
            "",
            f"## {_('What happened')}",
            f"**{outcome_label}.** {result}",
            "",
            _("From the experiment [%(title)s](%(url)s).")
            % {
                "title": experiment.item.title,
                "url": experiment.item.get_absolute_url(),
            },
        ]
    )


@transaction.atomic
def experiment_close(
    *, experiment: Experiment, acting_user, outcome: str, result: str
) -> Item:
    """Close an open experiment with its result and publish the linked lesson
    (authored by whoever closes it, research by activity). Closing twice
    raises: the lesson exists once."""
    from knowledge.services import item_create

    experiment = (
        Experiment.objects.select_for_update(of=("self",))
        .select_related("item__community", "item__author", "sponsor")
        .get(pk=experiment.pk)
    )
    if experiment.is_closed:
        raise ValidationError(_("This experiment is already closed."))
    result = result.strip()
    if not result:
        raise ValidationError({"result": _("Say what happened.")})
    experiment.outcome = outcome
    experiment.result = result
    experiment.closed_at = timezone.now()
    experiment.closed_by = acting_user
    experiment.full_clean(exclude=["item", "lesson", "sponsor"])
    item = experiment.item
    lesson = item_create(
        author=acting_user,
        community=item.community,
        kind=ItemKind.LESSON,
        title=(_("Lesson: %(title)s") % {"title": item.title})[:200],
        body=lesson_body(
            experiment=experiment,
            outcome_label=Experiment.Outcome(outcome).label,
            result=result,
        ),
        tags=item.tag_list,
        activity=Activity.RESEARCH,
    )
    experiment.lesson = lesson
    experiment.save(
        update_fields=["outcome", "result", "closed_at", "closed_by", "lesson"]
    )
    for person in {experiment.sponsor, item.author} - {None, acting_user}:
        _tell(
            person,
            item=lesson,
            actor=acting_user,
            kind="knowledge.experiment_closed",
            message=gettext_lazy(
                "The experiment “%(title)s” is closed: read the lesson"
            ),
            params={"title": item.title},
        )
    return lesson


def can_close_experiment(user, item, membership) -> bool:
    """Whoever may edit it (its author, the community's stewards, staff),
    while it is open."""
    experiment = experiment_of(item)
    return (
        experiment is not None
        and not experiment.is_closed
        and not item.is_hidden
        and perms.can_edit_item(user, item, membership)
    )


def experiment_of(item: Item) -> Experiment | None:
    """The item's experiment record (a shared copy of an experiment has
    none: its origin does)."""
    if item.kind != ItemKind.EXPERIMENT:
        return None
    try:
        return item.experiment
    except Experiment.DoesNotExist:
        return None


@transaction.atomic
def check_experiment_close(
    *, acting_user, community_slug: str, item_id: int, outcome: str, result: str
) -> Item:
    check_signed_in(acting_user)
    item, membership = perms.access_item(acting_user, community_slug, item_id)
    if not can_close_experiment(acting_user, item, membership):
        raise PermissionDenied
    return experiment_close(
        experiment=item.experiment,
        acting_user=acting_user,
        outcome=outcome,
        result=result,
    )
