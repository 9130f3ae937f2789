"""Community pages and membership actions. Views are thin: parse, check,
call a selector or service, render or redirect. Every action is a POST; the
destructive ones (leave, remove, archive) answer GET, and a POST without
confirmation, with a confirmation page first (members.confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from communities import access, permissions, selectors
from communities.forms import (
    CommunityFilterForm,
    CommunityForm,
    InviteForm,
    MemberFilterForm,
)
from communities.list_cards import community_cards
from communities.models import Community, Membership
from communities.people import community_people
from communities.services.errors import MembershipError
from communities.services.lifecycle import (
    check_community_archive,
    check_community_create,
    check_community_reopen,
    check_community_update,
)
from communities.services.membership import (
    check_community_join,
    check_community_leave,
    check_community_request_join,
    check_invitation_accept,
    check_invitation_decline,
)
from communities.services.stewards import (
    check_community_invite,
    check_membership_approve,
    check_membership_decline,
    check_membership_demote,
    check_membership_promote,
    check_membership_remove,
)
from communities.services.undo import check_membership_undo, membership_undo_token
from members import sections
from members.confirm import confirmation_page, needs_confirmation, offer_undo
from members.pagination import paginate


def _back(request, default: str) -> str:
    """Where to go after an action: a safe local `next`, else `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Pages -------------------------------------------------------------------


@login_required
def community_list(request):
    filters = CommunityFilterForm(request.GET or None)
    values = filters.values()
    rows = selectors.community_list_rows(
        user=request.user, page=request.GET.get("page"), **values
    )
    page = paginate(rows, request.GET)
    return render(
        request,
        "communities/list.html",
        {
            "page": page,
            "cards": community_cards(page.object_list, viewer=request.user),
            "filters": filters,
            "values": values,
            "tags": selectors.popular_tags(user=request.user),
            "can_create": permissions.can_create_community(request.user),
        },
    )


@login_required
def community_create(request):
    if not permissions.can_create_community(request.user):
        raise Http404
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = check_community_create(
                acting_user=request.user, **form.cleaned_data
            )
        except IntegrityError:
            # Someone took the name or address between the check and the save.
            form.add_error(
                "name", _("That name or address was just taken. Try another.")
            )
        else:
            messages.success(
                request,
                _("%(name)s is open for business. You are its steward.")
                % {"name": community.name},
            )
            return redirect(community)
    return render(request, "communities/form.html", {"form": form, "community": None})


@login_required
def community_detail(request, slug):
    community, membership = access.access_community(request.user, slug)
    user = request.user
    people = community_people(community)
    can_manage = permissions.can_manage(user, community, membership)
    context = {
        "community": community,
        "membership": membership,
        "tags": selectors.community_topics(community),
        "people": people,
        "steward_names": people.steward_names,
        "panels": sections.sections_for(
            "community", request, community=community, membership=membership
        ),
        "can_join": permissions.can_join(user, community, membership),
        "can_request": permissions.can_request(user, community, membership),
        "can_leave": permissions.can_leave(user, community, membership),
        "can_answer_invitation": permissions.can_answer_invitation(
            user, community, membership
        ),
        "can_manage": can_manage,
        "is_last_steward": bool(
            membership and membership.is_steward and len(people.steward_names) == 1
        ),
        "show_welcome": bool(
            membership and membership.is_newcomer and not membership.welcome_done
        ),
    }
    if can_manage:
        context["newcomers"] = selectors.newcomers_for_stewards(community)
        context["pending_count"] = selectors.pending_requests(community).count()
    return render(request, "communities/detail.html", context)


@login_required
def community_members(request, slug):
    community, membership = access.access_community(request.user, slug)
    filters = MemberFilterForm(request.GET or None)
    members = selectors.community_members(community, **filters.values())
    can_manage = permissions.can_edit(request.user, community, membership)
    return render(
        request,
        "communities/members.html",
        {
            "community": community,
            "membership": membership,
            "page": paginate(members, request.GET, size=50),
            "filters": filters,
            "can_manage": can_manage,
        },
    )


@login_required
def community_settings(request, slug):
    community, membership = permissions.access_managed_community(request.user, slug)
    can_edit = permissions.can_edit(request.user, community, membership)
    form = CommunityForm(request.POST or None, community=community)
    if request.method == "POST":
        if not can_edit:
            messages.error(request, _("This community is archived: it is read-only."))
            return redirect("communities:settings", slug=community.slug)
        if form.is_valid():
            try:
                community = check_community_update(
                    acting_user=request.user, community_slug=slug, **form.cleaned_data
                )
            except IntegrityError:
                form.add_error("name", _("That name or address was just taken."))
            else:
                messages.success(request, _("Saved."))
                return redirect("communities:settings", slug=community.slug)
    return render(
        request,
        "communities/settings.html",
        {
            "community": community,
            "membership": membership,
            "form": form,
            "invite_form": InviteForm(),
            "can_edit": can_edit,
            "stewards": selectors.community_stewards(community),
            "requests": paginate(
                selectors.pending_requests(community), request.GET, size=50
            ),
            "invitations": selectors.open_invitations(community)[:50],
            "newcomers": selectors.newcomers_for_stewards(community),
        },
    )


@login_required
def invitations(request):
    return render(
        request,
        "communities/invitations.html",
        {
            "invitations": paginate(
                selectors.my_invitations(request.user), request.GET
            ),
            "requests": selectors.my_pending_requests(request.user)[:50],
        },
    )


# --- A member's own actions ------------------------------------------------------


def _run(request, action, **kwargs):
    """Call a service; a refusal becomes a message, never an error page."""
    try:
        return action(**kwargs), True
    except MembershipError as exc:
        messages.error(request, str(exc))
        return None, False


@login_required
@require_POST
def join(request, slug):
    community, _membership = access.access_community(request.user, slug)
    membership, ok = _run(
        request, check_community_join, acting_user=request.user, community_slug=slug
    )
    if ok:
        messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
    return redirect(_back(request, community.get_absolute_url()))


@login_required
@require_POST
def request_join(request, slug):
    # Private communities are listed, so their existence is no secret.
    community = get_object_or_404(Community, slug=slug)
    membership, ok = _run(
        request,
        check_community_request_join,
        acting_user=request.user,
        community_slug=slug,
    )
    if ok and membership.is_active:
        messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
        return redirect(community)
    if ok:
        messages.success(
            request,
            _(
                "Your request to join %(name)s is with its stewards. We will tell you "
                "when they answer."
            )
            % {"name": community.name},  # fmt: skip
        )
    return redirect(_back(request, reverse("communities:list")))


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    """GET (or a POST without confirmation) asks first; the confirmed POST
    leaves, or withdraws a request, and offers an undo."""
    community = get_object_or_404(Community, slug=slug)
    before = access.membership_of(request.user, community)
    if before is None:
        raise Http404
    was_pending = before.is_pending
    if needs_confirmation(request):
        if was_pending:
            question = _("Withdraw your request to join %(name)s?")
            consequence = _("The stewards will no longer see your request.")
            label = _("Withdraw my request to join %(name)s")
        else:
            question = _("Leave %(name)s?")
            consequence = _(
                "You will stop seeing its news in your digest. What you shared "
                "stays in the community."
            )
            if community.is_private:
                consequence += " " + _(
                    "It is private: to come back later, you will have to ask."
                )
            label = _("Leave %(name)s")
        names = {"name": community.name}
        return confirmation_page(
            request,
            title=question % names,
            question=question % names,
            consequence=consequence,
            confirm_label=label % names,
            cancel_url=community.get_absolute_url(),
        )
    membership, ok = _run(
        request, check_community_leave, acting_user=request.user, community_slug=slug
    )
    if not ok:
        return redirect(_back(request, community.get_absolute_url()))
    if was_pending:
        messages.success(request, _("Your request was withdrawn."))
    else:
        messages.success(request, _("You left %(name)s.") % {"name": community.name})
    if membership is not None and membership.status != before.status:
        _offer_membership_undo(request, membership, (before.status, before.role))
    if community.is_private:
        return redirect("communities:list")
    return redirect(community)


def _offer_membership_undo(request, membership, before: tuple[str, str]):
    """An Undo button for a membership change; `before` is (status, role)."""
    offer_undo(
        request,
        url=reverse("communities:undo"),
        label=_("Undo"),
        fields={
            "token": membership_undo_token(
                acting_user=request.user, membership=membership, before=before
            )
        },
    )


@login_required
@require_POST
def membership_undo(request):
    """Put back a membership just changed by leave or remove (signed token)."""
    membership, ok = _run(
        request,
        check_membership_undo,
        acting_user=request.user,
        token=request.POST.get("token", ""),
    )
    if not ok:
        return redirect("communities:list")
    messages.success(request, _("Undone."))
    if membership.user_id == request.user.pk:
        return redirect(membership.community)
    return redirect("communities:settings", slug=membership.community.slug)


@login_required
@require_POST
def invitation_accept(request, slug):
    membership, ok = _run(
        request, check_invitation_accept, acting_user=request.user, community_slug=slug
    )
    if not ok:
        return redirect("communities:invitations")
    community = membership.community
    messages.success(request, _("Welcome to %(name)s!") % {"name": community.name})
    return redirect(community)


@login_required
@require_POST
def invitation_decline(request, slug):
    membership = check_invitation_decline(acting_user=request.user, community_slug=slug)
    if membership is not None and membership.status == Membership.Status.DECLINED:
        messages.info(request, _("Invitation declined."))
    return redirect(_back(request, reverse("communities:invitations")))


# --- Stewards' actions ---------------------------------------------------------------


@login_required
@require_POST
def invite(request, slug):
    # Refuse outsiders before reading the form; the check_* entry checks again.
    community, _membership = permissions.access_managed_community(request.user, slug)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for error in form.errors["who"]:
            messages.error(request, error)
        return redirect("communities:settings", slug=community.slug)
    membership, ok = _run(
        request, check_community_invite, acting_user=request.user, community_slug=slug,
        invitee=form.invitee,
    )  # fmt: skip
    if ok:
        if membership.is_active:
            message = _("%(user)s is a member of %(name)s.")
        else:
            message = _("%(user)s is invited to %(name)s.")
        messages.success(
            request, message % {"user": form.invitee, "name": community.name}
        )
    return redirect("communities:settings", slug=community.slug)


def _membership_action(check, success_message, confirm=None):
    """A steward's action on one membership. With `confirm` (question,
    consequence, button label; "%(user)s" and "%(name)s" filled in) it asks
    first (members.confirm) and offers an undo afterwards."""

    @login_required
    @require_http_methods(["GET", "POST"] if confirm else ["POST"])
    def view(request, slug, pk):
        if confirm:
            community, _viewer = permissions.access_managed_community(
                request.user, slug
            )
            target = get_object_or_404(
                Membership.objects.select_related("user"), pk=pk, community=community
            )
            if needs_confirmation(request):
                names = {"user": target.user, "name": community.name}
                question, consequence, label = confirm
                return confirmation_page(
                    request,
                    title=question % names,
                    question=question % names,
                    consequence=consequence % names,
                    confirm_label=label % names,
                    cancel_url=reverse("communities:settings", kwargs={"slug": slug}),
                )
            before = (target.status, target.role)
        membership, ok = _run(
            request,
            check,
            acting_user=request.user,
            community_slug=slug,
            membership_id=pk,
        )
        if ok:
            messages.success(request, success_message % {"user": membership.user})
            if confirm and (membership.status, membership.role) != before:
                _offer_membership_undo(request, membership, before)
        return redirect(
            _back(request, reverse("communities:settings", kwargs={"slug": slug}))
        )

    return view


membership_approve = _membership_action(
    check_membership_approve, gettext_lazy("%(user)s is now a member.")
)
membership_decline = _membership_action(
    check_membership_decline, gettext_lazy("You declined %(user)s's request.")
)
membership_promote = _membership_action(
    check_membership_promote, gettext_lazy("%(user)s is now a steward.")
)
membership_demote = _membership_action(
    check_membership_demote, gettext_lazy("%(user)s is no longer a steward.")
)
membership_remove = _membership_action(
    check_membership_remove,
    gettext_lazy("%(user)s was removed."),
    confirm=(
        gettext_lazy("Remove %(user)s from %(name)s?"),
        gettext_lazy(
            "They will be told, and will have to ask to join again. What they "
            "shared stays in the community."
        ),
        gettext_lazy("Remove %(user)s"),
    ),
)


@login_required
@require_http_methods(["GET", "POST"])
def archive(request, slug):
    if needs_confirmation(request):
        community, _membership = permissions.access_managed_community(
            request.user, slug
        )
        names = {"name": community.name}
        return confirmation_page(
            request,
            title=_("Archive %(name)s?") % names,
            question=_("Archive %(name)s?") % names,
            consequence=_(
                "Everything stays readable, but nobody can join, share or answer "
                "until a steward reopens it."
            ),
            confirm_label=_("Archive %(name)s") % names,
            cancel_url=reverse("communities:settings", kwargs={"slug": slug}),
        )
    community = check_community_archive(acting_user=request.user, community_slug=slug)
    messages.success(
        request,
        _("%(name)s is archived: everything stays readable, nothing can change.")
        % {"name": community.name},
    )
    offer_undo(
        request,
        url=reverse("communities:reopen", kwargs={"slug": slug}),
        label=_("Undo: reopen %(name)s") % {"name": community.name},
    )
    return redirect(community)


@login_required
@require_POST
def reopen(request, slug):
    community = check_community_reopen(acting_user=request.user, community_slug=slug)
    messages.success(request, _("%(name)s is open again.") % {"name": community.name})
    return redirect(community)
