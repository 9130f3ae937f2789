"""The community's tour (at most five items its stewards picked) and the
newcomer ticking its stops read; reading the last stop completes the plan's
tour step."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.access import access_community
from communities.models import Community
from journeys.models import Plan, PlanStep, StepKind, TourRead, TourStop
from journeys.permissions import access_newcomers
from journeys.services.plans import _complete
from knowledge.models import Item
from members.permissions import check_signed_in


class TourError(Exception):
    """The tour cannot change that way; the message says why."""


def _lock_tour(community: Community) -> None:
    # Serialise edits of one community's tour (the five-stop limit counts).
    Community.objects.select_for_update().filter(pk=community.pk).first()


@transaction.atomic
def tour_add(*, acting_user, community: Community, item: Item) -> TourStop:
    _lock_tour(community)
    if item.community_id != community.pk or item.hidden_at is not None:
        raise TourError(_("Pick an item of %(name)s.") % {"name": community.name})
    existing = TourStop.objects.filter(community=community)
    found = existing.filter(item=item).first()
    if found:
        return found
    if existing.count() >= TourStop.MAX_STOPS:
        raise TourError(
            _("The tour holds %(max)d items at most: remove one first.")
            % {"max": TourStop.MAX_STOPS}
        )
    last = existing.aggregate(last=Max("position"))["last"]
    return TourStop.objects.create(
        community=community,
        item=item,
        position=0 if last is None else last + 1,
        added_by=acting_user,
    )


@transaction.atomic
def tour_remove(*, acting_user, community: Community, stop_id: int) -> bool:
    _lock_tour(community)
    return TourStop.objects.filter(community=community, pk=stop_id).delete()[0] > 0


@transaction.atomic
def check_tour_add(*, acting_user, community_slug: str, item_id) -> TourStop:
    check_signed_in(acting_user)
    community = access_newcomers(acting_user, community_slug)
    item = Item.objects.filter(pk=item_id, community=community).first()
    if item is None:
        raise TourError(_("Pick an item of %(name)s.") % {"name": community.name})
    return tour_add(acting_user=acting_user, community=community, item=item)


@transaction.atomic
def check_tour_remove(*, acting_user, community_slug: str, stop_id: int) -> bool:
    check_signed_in(acting_user)
    community = access_newcomers(acting_user, community_slug)
    return tour_remove(acting_user=acting_user, community=community, stop_id=stop_id)


@transaction.atomic
def tour_mark_read(*, plan: Plan, item_id: int, by) -> bool:
    """Tick one stop read; the last one completes the tour step."""
    stops = set(
        TourStop.objects.filter(community_id=plan.community_id).values_list(
            "item_id", flat=True
        )
    )
    if item_id not in stops:
        raise TourError(_("That item is not on the tour."))
    _read, created = TourRead.objects.get_or_create(plan=plan, item_id=item_id)
    read = set(
        TourRead.objects.filter(plan=plan, item_id__in=stops).values_list(
            "item_id", flat=True
        )
    )
    if read >= stops:
        step = (
            PlanStep.objects.select_for_update()
            .filter(plan=plan, kind=StepKind.TOUR)
            .first()
        )
        if step is not None:
            step.plan = plan  # the same row: _complete reads its member
            _complete(step, by=by, at=timezone.now())
    return created


@transaction.atomic
def check_tour_mark_read(*, acting_user, community_slug: str, item_id: int) -> bool:
    check_signed_in(acting_user)
    community, _membership = access_community(acting_user, community_slug)
    plan = Plan.objects.filter(user_id=acting_user.pk, community=community).first()
    if plan is None:
        raise Http404
    if plan.closed_at is not None:
        raise PermissionDenied
    return tour_mark_read(plan=plan, item_id=item_id, by=acting_user)
