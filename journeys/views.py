"""Journeys pages: parse, check, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.access import can_moderate, communities_visible_to
from journeys import selectors
from journeys.forms import AspirationForm, TourAddForm
from journeys.models import STEP_DAYS, Owner, StepKind
from journeys.next_step import next_step_for
from journeys.permissions import (
    access_newcomers,
    access_own_community,
    can_complete_step,
)
from journeys.services.aspirations import aspiration_save
from journeys.services.plans import StepError, check_step_complete, story_steps_sync
from journeys.services.tours import (
    TourError,
    check_tour_add,
    check_tour_mark_read,
    check_tour_remove,
)
from members.confirm import confirmation_page, needs_confirmation
from members.pagination import paginate


@login_required
@require_GET
def mine(request):
    """My journeys: my open 90-day plans, my stages and my next step."""
    memberships = selectors.stages_of(user=request.user)
    aspiration = selectors.aspiration_of(user=request.user)
    context = {
        "plans": selectors.open_plans_of(user=request.user),
        "memberships": memberships,
        "aspiration": aspiration,
        "next_step": next_step_for(
            user=request.user, memberships=memberships, aspiration=aspiration
        ),
    }
    return render(request, "journeys/mine.html", context)


@login_required
@require_GET
def plan(request, slug):
    """My first 90 days in one community."""
    community, membership = access_own_community(request.user, slug)
    plan = selectors.plan_of(user=request.user, community=community)
    if plan is None:
        if membership is None or not membership.is_active:
            raise Http404
        return render(
            request, "journeys/plan.html", {"community": community, "plan": None}
        )
    # A story posted since the last nightly run ticks its step now.
    if plan.closed_at is None and story_steps_sync(plan_ids=[plan.pk]):
        plan = selectors.plan_of(user=request.user, community=community)
    today = timezone.localdate()
    steps = list(plan.steps.all())
    tour = selectors.tour_of(community=community)
    read = selectors.tour_read_ids(plan=plan)
    plan.community = community
    steward = can_moderate(request.user, community, membership)
    context = {
        "community": community,
        "plan": plan,
        "steps": [
            _step_row(request.user, plan, step, today, steward=steward)
            for step in steps
        ],
        "tour": [(stop, stop.item_id in read) for stop in tour],
        "done": sum(1 for step in steps if step.done_at),
        "total": len(steps),
        "StepKind": StepKind,
        "is_steward": steward,
    }
    return render(request, "journeys/plan.html", context)


def _step_row(user, plan, step, today, *, steward: bool):
    step.plan = plan  # the page's own plan: no query per step
    return {
        "step": step,
        "day": STEP_DAYS[step.kind],
        "overdue": step.is_overdue(today),
        "can_mark": (
            step.done_at is None
            and plan.closed_at is None
            and step.kind != StepKind.TOUR
            and can_complete_step(user, step, steward=steward)
        ),
    }


@login_required
@require_POST
def step_done(request, pk):
    try:
        check_step_complete(acting_user=request.user, step_id=pk)
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Marked done."))
    return redirect(_back(request, reverse("journeys:mine")))


@login_required
@require_POST
def tour_read(request, slug, item_id):
    try:
        check_tour_mark_read(
            acting_user=request.user, community_slug=slug, item_id=item_id
        )
    except TourError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("journeys:plan", kwargs={"slug": slug}) + "#tour")


@login_required
@require_GET
def newcomers(request, slug):
    """The community's newcomers and their plans, for its stewards."""
    community = access_newcomers(request.user, slug)
    today = timezone.localdate()
    page = paginate(
        selectors.newcomer_plans(community=community, today=today), request.GET
    )
    rows = []
    for plan in page.object_list:
        plan.community = community
        steps = [
            _step_row(request.user, plan, step, today, steward=True)
            for step in plan.steps.all()
        ]
        rows.append({"plan": plan, "steps": steps})
    context = {"community": community, "page": page, "rows": rows, "Owner": Owner}
    return render(request, "journeys/newcomers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tour_edit(request, slug):
    """The stewards pick up to five items as the community's tour."""
    community = access_newcomers(request.user, slug)
    stops = selectors.tour_of(community=community)
    candidates = selectors.tour_candidates(
        community=community, exclude_ids=[s.item_id for s in stops]
    )
    data = request.POST if request.method == "POST" else None
    form = TourAddForm(data, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            check_tour_add(
                acting_user=request.user,
                community_slug=slug,
                item_id=form.cleaned_data["item"],
            )
        except TourError as exc:
            form.add_error("item", str(exc))
        else:
            messages.success(request, _("Added to the tour."))
            return redirect("journeys:tour", slug=slug)
    context = {
        "community": community,
        "stops": stops,
        "form": form,
        "full": len(stops) >= 5,
    }
    return render(
        request, "journeys/tour.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def tour_remove(request, slug, stop_id):
    community = access_newcomers(request.user, slug)
    back = reverse("journeys:tour", kwargs={"slug": slug})
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Remove from the tour"),
            question=_("Remove this item from the tour of %(name)s?")
            % {"name": community.name},
            consequence=_("Newcomers will no longer be asked to read it."),
            confirm_label=_("Remove it"),
            cancel_url=back,
        )
    if check_tour_remove(
        acting_user=request.user, community_slug=slug, stop_id=stop_id
    ):
        messages.success(request, _("Removed from the tour."))
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def aspiration_edit(request):
    aspiration = selectors.aspiration_of(user=request.user)
    communities = communities_visible_to(request.user).filter(archived_at__isnull=True)
    initial = {}
    if aspiration:
        initial = {
            "text": aspiration.text,
            "tags": aspiration.tags,
            "communities": list(aspiration.communities.all()),
        }
    data = request.POST if request.method == "POST" else None
    form = AspirationForm(data, initial=initial, communities=communities)
    if request.method == "POST" and form.is_valid():
        aspiration_save(
            acting_user=request.user,
            text=form.cleaned_data["text"],
            tags=form.cleaned_data["tags"] or [],
            communities=form.cleaned_data["communities"],
        )
        messages.success(request, _("Saved who you want to become."))
        return redirect("journeys:mine")
    status = 400 if form.errors else 200
    return render(request, "journeys/aspiration.html", {"form": form}, status=status)


def _back(request, default: str) -> str:
    """A safe local `next`, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
