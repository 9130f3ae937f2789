from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)
from django.views.i18n import set_language

from members import sections, selectors, services
from members.avatars import AVATAR_SIZES, avatar_path
from members.confirm import confirmation_page, needs_confirmation
from members.directory_cards import member_cards
from members.forms import DirectoryFilterForm, LeadershipRoleForm, ProfileForm
from members.permissions import (
    can_edit_profile,
    can_set_leadership_role,
    check_can_set_leadership_role,
)
from members.served_files import private_file_response


@login_required
def directory(request):
    form = DirectoryFilterForm(
        request.GET,
        tags=selectors.expertise_filter_options(include=request.GET.get("tag", "")),
    )
    filters = form.filters()
    page = selectors.member_directory_page(request.GET, **filters)
    return render(
        request,
        "members/directory.html",
        {
            "form": form,
            "page_obj": page,
            "cards": member_cards(page.object_list, query=request.GET),
            "filtered": any(filters.values()),
            "interest": filters["interest"],
        },
    )


@login_required
def profile(request, username):
    member = selectors.member_by_username(username)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "is_me": member.pk == request.user.pk,
            "can_edit": can_edit_profile(request.user, member)
            and member.pk == request.user.pk,
            "can_set_role": can_set_leadership_role(request.user),
            "sections": sections.sections_for("profile", request, member=member),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request):
    """A member edits their own profile; there is no way to edit someone
    else's here (staff use the admin)."""
    member = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            photo = form.cleaned_data.pop("photo")
            with transaction.atomic():
                services.profile_update(member=member, **form.cleaned_data)
                if photo:
                    services.avatar_set(member=member, images=photo)
            messages.success(request, _("Your profile is saved."))
            return redirect(member.get_absolute_url())
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(member))
    return render(request, "members/edit.html", {"form": form, "member": member})


@require_POST
def language_choose(request):
    """The language switch in every page's footer (a plain form, no script).
    Django's set_language keeps the choice in a cookie for anyone; a signed-in
    member's profile stores it too, so it follows them to other devices and
    into their e-mails."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(member=request.user, language=language)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def avatar_remove(request):
    """A member removes their own photo, after a confirmation page."""
    member = request.user
    if not member.avatar_version:
        messages.info(request, _("You have no photo; colleagues see your initials."))
        return redirect("members:edit")
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Remove your photo"),
            question=_("Remove your photo?"),
            consequence=_("Colleagues will see your initials instead."),
            confirm_label=_("Remove photo"),
            cancel_url=reverse("members:edit"),
        )
    services.avatar_remove(member=member)
    messages.success(request, _("Your photo is removed."))
    return redirect("members:edit")


@login_required
@require_GET
def avatar(request, username, side, version):
    """An active member's photo, for signed-in members only; immutable under
    its version, so browsers keep it for a year and a new photo is a new URL.
    404 for an inactive or erased member, an old version or an unknown size."""
    member = selectors.member_with_avatar(username=username, version=version)
    if member is None or side not in AVATAR_SIZES:
        raise Http404
    response = private_file_response(
        storages["attachments"],
        avatar_path(member.pk, member.avatar_version, side),
        content_type="image/webp",
    )
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def set_role(request, username):
    check_can_set_leadership_role(request.user)
    member = selectors.member_by_username(username)
    if request.method == "POST":
        form = LeadershipRoleForm(request.POST)
        if form.is_valid():
            services.leadership_role_set(
                actor=request.user,
                member=member,
                role=form.cleaned_data["leadership_role"],
            )
            messages.success(
                request,
                _("%(name)s is now: %(role)s.")
                % {"name": member, "role": member.get_leadership_role_display()},
            )
            return redirect(member.get_absolute_url())
    else:
        form = LeadershipRoleForm(initial={"leadership_role": member.leadership_role})
    return render(request, "members/set_role.html", {"member": member, "form": form})


def local_passwords_only(view):
    """allauth's password pages, while LOCAL_PASSWORDS is on; otherwise a
    page saying passwords live with the organisation's sign-in (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return render(request, "account/passwords_off.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
