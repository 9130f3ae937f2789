"""Pages of the essays' ideas inside knowledge: closing an experiment into
a lesson, and answering an adoption's check-in. Thin: parse, check, call
the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from knowledge import adoptions, experiments
from knowledge import permissions as perms
from knowledge.forms import CheckInAnswerForm, ExperimentCloseForm


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def experiment_close(request, slug, pk):
    """Close an open experiment with its result: a linked lesson is
    published in the same community."""
    item, membership = perms.access_item(request.user, slug, pk)
    experiment = experiments.experiment_of(item)
    if experiment is not None and experiment.is_closed:
        messages.info(request, _("This experiment is already closed."))
        return redirect(item)
    if not experiments.can_close_experiment(request.user, item, membership):
        raise PermissionDenied
    form = ExperimentCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = experiments.check_experiment_close(
                acting_user=request.user,
                community_slug=slug,
                item_id=pk,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Closed. What you learned is published as a lesson.")
            )
            return redirect(lesson)
    return render(
        request,
        "knowledge/experiment_close.html",
        {
            "form": form,
            "item": item,
            "experiment": experiment,
            "community": item.community,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adoption_checkin(request, pk):
    """A check-in of an adoption: its question and, once due, its answer;
    the adoption's other check-ins beside it."""
    checkin = adoptions.access_checkin(request.user, pk)
    can_answer = adoptions.can_answer_checkin(request.user, checkin)
    form = CheckInAnswerForm(request.POST or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                adoptions.check_adoption_checkin_answer(
                    acting_user=request.user, checkin_id=pk, **form.cleaned_data
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Thank you: the origin learns from it."))
                return redirect("knowledge:adoption_checkin", pk=pk)
    adoption = checkin.adoption
    return render(
        request,
        "knowledge/adoption_checkin.html",
        {
            "checkin": checkin,
            "adoption": adoption,
            "item": adoption.item,
            "siblings": list(adoption.checkins.order_by("day")),
            "form": form,
            "can_answer": can_answer,
            "origin_private": adoption.item.community.is_private,
            "today": timezone.localdate(),
        },
    )
