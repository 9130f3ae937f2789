"""Mentoring pages: parse, check, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.confirm import confirmation_page, needs_confirmation
from members.pagination import paginate
from members.wording import in_sentence
from mentoring import permissions, selectors
from mentoring.console import console_rows
from mentoring.forms import (
    AssumptionForm,
    AssumptionUpdateForm,
    CheckInForm,
    CloseForm,
    CommitmentForm,
    DeclineForm,
    FeedbackForm,
    GoalForm,
    OfferForm,
    ProposeForm,
    RequestForm,
)
from mentoring.services.feedback import check_feedback_give
from mentoring.services.offers import check_offer_save
from mentoring.services.pairs import (
    check_pair_accept,
    check_pair_close,
    check_pair_complete,
    check_pair_decline,
)
from mentoring.services.progress import (
    check_checkin_add,
    check_goal_add,
    check_goal_set_done,
)
from mentoring.services.proposals import check_match_propose
from mentoring.services.requests import check_request_create, check_request_withdraw
from mentoring.services.thinking import (
    can_share_followups,
    check_assumption_add,
    check_assumption_update,
    check_commitment_add,
    check_commitment_review,
    check_followups_share_set,
)
from mentoring.suggestions import mentor_suggestions_for

BROKER_PAGE_SIZE = 10


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form it came from."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Home and offer ---------------------------------------------------------


def _offer_initial(user, offer):
    if offer is None:
        return {
            "available": True,
            "capacity": 2,
            "topics": ", ".join(sorted(user.expertise.names())),
            "formats": ["mentoring"],
        }
    return {
        "available": offer.available,
        "capacity": offer.capacity,
        "topics": ", ".join(sorted(t.name for t in offer.topics.all())),
        "formats": offer.formats,
    }


def _home(request, offer_form=None, status=200):
    user = request.user
    offer = selectors.offer_of(user)
    context = {
        "proposals": list(selectors.pending_proposals_for(user)[:20]),
        "requests_page": paginate(
            selectors.requests_of(user), request.GET, param="rpage"
        ),
        "pairs_page": paginate(selectors.pairs_of(user), request.GET, param="ppage"),
        "offer": offer,
        "offer_load": selectors.live_load(user) if offer else 0,
        "offer_form": offer_form or OfferForm(initial=_offer_initial(user, offer)),
        "can_broker": permissions.can_broker(user),
    }
    return render(request, "mentoring/home.html", context, status=status)


@login_required
def home(request):
    return _home(request)


@login_required
@require_POST
def offer_save(request):
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            check_offer_save(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your mentor settings are saved."))
            return redirect("mentoring:home")
    return _home(request, offer_form=form)


@login_required
def mentors(request):
    topic = request.GET.get("topic", "").strip()[:50]
    qs = selectors.available_mentors(topic=topic, exclude=request.user)
    return render(
        request,
        "mentoring/mentors.html",
        {"page_obj": paginate(qs, request.GET), "topic": topic},
    )


# --- Requests ---------------------------------------------------------------


def _requested_mentor(request):
    username = request.GET.get("mentor") or request.POST.get("mentor")
    if not username:
        return None
    mentor = get_object_or_404(get_user_model(), username=username, is_active=True)
    if mentor.pk == request.user.pk:
        raise Http404
    return mentor


@login_required
def request_new(request):
    mentor = _requested_mentor(request)
    offer = selectors.offer_of(mentor) if mentor else None
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            req = check_request_create(
                acting_user=request.user, requested_mentor=mentor, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if mentor:
                messages.success(
                    request,
                    _("We asked %(name)s. You will hear when they answer.")
                    % {"name": mentor.display_name},
                )
            else:
                messages.success(
                    request, _("Your request is in. A broker will propose a mentor.")
                )
            return redirect(req)
    return render(
        request,
        "mentoring/request_form.html",
        {"form": form, "mentor": mentor, "offer": offer},
    )


def _request_page(request, req, pairs, propose_form=None, status=200):
    user = request.user
    can_propose = permissions.can_propose(user, req)
    sees_all = user.pk == req.mentee_id or user.is_staff or permissions.can_broker(user)
    context = {
        "req": req,
        "pairs": pairs if sees_all else [p for p in pairs if p.mentor_id == user.pk],
        "can_withdraw": permissions.can_withdraw(user, req),
        "can_propose": can_propose,
        "suggestions": mentor_suggestions_for(req, viewer=request.user, limit=10)
        if can_propose
        else [],
        "propose_form": propose_form or ProposeForm(),
        "is_mentee": user.pk == req.mentee_id,
    }
    return render(request, "mentoring/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk):
    req, pairs = permissions.access_request(request.user, pk)
    return _request_page(request, req, pairs)


@login_required
@require_http_methods(["GET", "POST"])
def request_withdraw(request, pk):
    if needs_confirmation(request):
        req, _pairs = permissions.access_request(request.user, pk)
        if not permissions.can_withdraw(request.user, req):
            raise PermissionDenied
        return confirmation_page(
            request,
            title=_("Withdraw your mentoring request?"),
            question=_("Withdraw your request for %(format)s?")
            % {"format": in_sentence(req.get_format_display())},
            consequence=_(
                "Brokers will stop looking for a mentor for it; a proposed match "
                "that is still waiting ends."
            ),
            confirm_label=_("Withdraw the request"),
            cancel_url=req.get_absolute_url(),
        )
    req = check_request_withdraw(acting_user=request.user, request_id=pk)
    messages.success(request, _("Your request is withdrawn."))
    return redirect(req)


def _find_member(text: str):
    text = text.strip()
    return (
        get_user_model()
        .objects.filter(
            Q(username__iexact=text) | Q(email__iexact=text), is_active=True
        )
        .first()
    )


@login_required
@require_POST
def request_propose(request, pk):
    permissions.check_broker(request.user)
    req, pairs = permissions.access_request(request.user, pk)
    form = ProposeForm(request.POST)
    if form.is_valid():
        mentor = _find_member(form.cleaned_data["who"])
        if mentor is None:
            form.add_error("other", _("No active member has that username or e-mail."))
        else:
            try:
                check_match_propose(
                    request_id=req.pk,
                    mentor=mentor,
                    acting_user=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Proposed %(mentor)s to %(mentee)s. Both have been told.")
                    % {
                        "mentor": mentor.display_name,
                        "mentee": req.mentee.display_name,
                    },
                )
                return redirect(_next_url(request, req.get_absolute_url()))
    return _request_page(request, req, pairs, propose_form=form)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return default


@login_required
def broker_console(request):
    permissions.check_broker(request.user)
    page = paginate(selectors.open_request_ids(), request.GET, size=BROKER_PAGE_SIZE)
    rows = console_rows(list(page.object_list), viewer=request.user)
    return render(
        request,
        "mentoring/broker.html",
        {"page_obj": page, "rows": rows, "next": request.get_full_path()},
    )


# --- Pairs ------------------------------------------------------------------


def _pair_page(request, pair, forms=None, status=200):
    user = request.user
    forms = forms or {}
    feedback = list(selectors.feedback_of(pair))
    given = any(f.author_id == user.pk for f in feedback)
    context = {
        "pair": pair,
        "role": pair.role_of(user),
        "other": pair.other_party(user) if pair.role_of(user) else None,
        "topics": list(pair.request.topics.all()),
        "goals": list(pair.goals.all()),
        "checkins_page": paginate(selectors.checkins_of(pair), request.GET),
        "feedback": feedback,
        "can_respond": permissions.can_respond(user, pair),
        "can_work": permissions.can_work_on(user, pair),
        "can_end": permissions.can_end(user, pair),
        "can_feedback": permissions.can_give_feedback(user, pair, given),
        "goal_form": forms.get("goal") or GoalForm(),
        "checkin_form": forms.get("checkin") or CheckInForm(),
        "close_form": forms.get("close") or CloseForm(),
        "decline_form": DeclineForm(),
        "feedback_form": forms.get("feedback") or FeedbackForm(user=user),
    }
    if pair.is_thinking_partnership:
        context.update(_workspace(request, pair, forms))
    return render(request, "mentoring/pair_detail.html", context, status=status)


def _workspace(request, pair, forms) -> dict:
    """A thinking partnership's workspace, in place of goals: both partners'
    assumptions log and commitments. Two queries (one per list)."""
    user = request.user
    return {
        "goals": [],
        "assumptions_page": paginate(
            selectors.assumptions_of(pair), request.GET, param="assumptions"
        ),
        "commitments_page": paginate(
            selectors.commitments_of(pair), request.GET, param="commitments"
        ),
        "assumption_form": forms.get("assumption") or AssumptionForm(),
        "commitment_form": forms.get("commitment") or CommitmentForm(),
        "update_form": AssumptionUpdateForm(),
        "can_share_followups": can_share_followups(user, pair),
        "shares_followups": pair.shares_followups(user),
    }


@login_required
def pair_detail(request, pk):
    return _pair_page(request, permissions.access_pair(request.user, pk))


def _pair_action(request, pk, allowed):
    """The pair, for a form that must re-render its page; the check_* entry
    checks again when it acts."""
    return permissions.access_pair_for(request.user, pk, allowed)


def _pair_form_post(request, pair, *, form, key, perform, success=None):
    """The shape of every form on the pair page: validate, run `perform`
    (a service call taking the cleaned data), redirect to the pair.

    A field error from the service goes back on the form, re-rendered with
    what was typed; a state error (the pair changed meanwhile) becomes a
    message. `success` is a message, or a function of perform's result.
    """
    if form.is_valid():
        try:
            result = perform(form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                _message_errors(request, exc)
                return redirect(pair)
            _form_errors(form, exc)
        else:
            text = success(result) if callable(success) else success
            if text:
                messages.success(request, text)
            return redirect(pair)
    return _pair_page(request, pair, {key: form})


def _pair_entry_add(request, pk, *, form_class, key, check, success=None):
    """Add an entry on the pair page (a goal; an assumption or a commitment
    in a thinking partnership): `check` is the check_* entry, called with
    the cleaned data."""
    pair = _pair_action(request, pk, permissions.is_party)
    return _pair_form_post(
        request,
        pair,
        form=form_class(request.POST),
        key=key,
        perform=lambda data: check(acting_user=request.user, pair_id=pk, **data),
        success=success,
    )


def _pair_entry_change(request, pk, *, perform, form=None, success=None):
    """Change one entry from its row on the pair page (tick a goal, update
    an assumption, review a commitment): nothing is re-rendered, so every
    error (the form's or the service's) becomes a message, and the member is
    sent back to the pair. `perform` takes the cleaned data ({} without a
    form)."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("mentoring:pair", pk=pk)
    try:
        perform(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        if success:
            messages.success(request, success)
    return redirect("mentoring:pair", pk=pk)


def _pair_confirmation(request, pair, *, question, consequence, label):
    """Ask before declining or closing a pair (members.confirm); the names
    fill "%(mentor)s", "%(mentee)s" and "%(other)s" (the other person)."""
    other = pair.mentee if pair.mentor_id == request.user.pk else pair.mentor
    names = {"mentor": pair.mentor, "mentee": pair.mentee, "other": other}
    return confirmation_page(
        request,
        title=question % names,
        question=question % names,
        consequence=consequence,
        confirm_label=label,
        cancel_url=pair.get_absolute_url(),
    )


@login_required
@require_POST
def pair_accept(request, pk):
    try:
        pair = check_pair_accept(acting_user=request.user, pair_id=pk)
    except ValidationError as exc:
        _message_errors(request, exc)
        return redirect("mentoring:pair", pk=pk)
    else:
        if pair.is_active:
            messages.success(
                request, _("You are now a mentoring pair. Set your goals.")
            )
        else:
            messages.success(request, _("Accepted. Waiting for the other person."))
    return redirect(pair)


@login_required
@require_POST
def pair_decline(request, pk):
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if needs_confirmation(request):
        pair = _pair_action(request, pk, permissions.is_party)
        return _pair_confirmation(
            request,
            pair,
            question=_("Decline the match with %(other)s?"),
            consequence=_("The request goes back to the brokers for another match."),
            label=_("Decline the match"),
        )
    try:
        check_pair_decline(acting_user=request.user, pair_id=pk, reason=reason)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Declined. The request is open for another match."))
    return redirect("mentoring:pair", pk=pk)


@login_required
@require_POST
def pair_complete(request, pk):
    try:
        check_pair_complete(acting_user=request.user, pair_id=pk)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Marked complete. Share what you learned."))
    return redirect("mentoring:pair", pk=pk)


@login_required
@require_POST
def pair_close(request, pk):
    pair = _pair_action(request, pk, permissions.can_try_ending)
    form = CloseForm(request.POST)
    if form.is_valid() and needs_confirmation(request):
        return _pair_confirmation(
            request,
            pair,
            question=_("Close the mentoring of %(mentee)s by %(mentor)s early?"),
            consequence=_(
                "Check-ins and goals stop; both of you can still say what you learned."
            ),
            label=_("Close the mentoring"),
        )
    return _pair_form_post(
        request,
        pair,
        form=form,
        key="close",
        perform=lambda data: check_pair_close(
            acting_user=request.user, pair_id=pk, reason=data["reason"]
        ),
        success=_("The mentoring is closed."),
    )


@login_required
@require_POST
def goal_add(request, pk):
    return _pair_entry_add(
        request, pk, form_class=GoalForm, key="goal", check=check_goal_add
    )


@login_required
@require_POST
def goal_toggle(request, pk, goal_pk):
    return _pair_entry_change(
        request,
        pk,
        perform=lambda _data: check_goal_set_done(
            acting_user=request.user,
            pair_id=pk,
            goal_id=goal_pk,
            done=request.POST.get("done") == "1",
        ),
    )


@login_required
@require_POST
def checkin_add(request, pk):
    pair = _pair_action(request, pk, permissions.is_party)
    return _pair_form_post(
        request,
        pair,
        form=CheckInForm(request.POST),
        key="checkin",
        perform=lambda data: check_checkin_add(
            acting_user=request.user,
            pair_id=pk,
            on=data["date"],
            notes=data["notes"],
            progress=data["progress"],
            next_step=data["next_step"],
        ),
        success=_("Check-in saved."),
    )


@login_required
@require_POST
def feedback_give(request, pk):
    pair = _pair_action(request, pk, permissions.is_party)
    return _pair_form_post(
        request,
        pair,
        form=FeedbackForm(request.POST, user=request.user),
        key="feedback",
        perform=lambda data: check_feedback_give(
            acting_user=request.user,
            pair_id=pk,
            rating=data["rating"],
            learned=data["learned"],
            publish_in=data["publish_in"],
        ),
        success=lambda feedback: (
            _("Thank you. Your story is published.")
            if feedback.published_item_id
            else _("Thank you for your feedback.")
        ),
    )


# --- Thinking partnership workspace -------------------------------------------


@login_required
@require_POST
def assumption_add(request, pk):
    return _pair_entry_add(
        request,
        pk,
        form_class=AssumptionForm,
        key="assumption",
        check=check_assumption_add,
        success=_("Added to your assumptions log."),
    )


@login_required
@require_POST
def assumption_update(request, pk, assumption_pk):
    return _pair_entry_change(
        request,
        pk,
        form=AssumptionUpdateForm(request.POST),
        perform=lambda data: check_assumption_update(
            acting_user=request.user, pair_id=pk, assumption_id=assumption_pk, **data
        ),
        success=_("Assumption updated."),
    )


@login_required
@require_POST
def commitment_add(request, pk):
    return _pair_entry_add(
        request,
        pk,
        form_class=CommitmentForm,
        key="commitment",
        check=check_commitment_add,
        success=_("Noted: what you will do differently."),
    )


@login_required
@require_POST
def commitment_review(request, pk, commitment_pk):
    return _pair_entry_change(
        request,
        pk,
        perform=lambda _data: check_commitment_review(
            acting_user=request.user,
            pair_id=pk,
            commitment_id=commitment_pk,
            followed_up=request.POST.get("followed_up") == "1",
        ),
    )


@login_required
@require_POST
def followups_share(request, pk):
    """The executive partner's consent to show their follow-ups on their
    profile (share=1) or its withdrawal (share=0)."""
    share = request.POST.get("share") == "1"
    check_followups_share_set(acting_user=request.user, pair_id=pk, share=share)
    messages.success(
        request,
        _("Your profile now shows how many commitments you followed up.")
        if share
        else _("Your profile no longer shows your follow-ups from this pair."),
    )
    return redirect("mentoring:pair", pk=pk)
