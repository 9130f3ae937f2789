from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.confirm import confirmation_page, needs_confirmation
from members.models import User
from privacy import erasure, exports
from privacy.models import DataExport
from privacy.permissions import can_erase


@login_required
def index(request):
    """Your data: download it, or erase your account."""
    recent = list(DataExport.objects.filter(member=request.user)[:5])
    links = {e.pk: exports.export_link(e) for e in recent if e.status == "ready"}
    return render(
        request,
        "privacy/index.html",
        {
            "exports": [(e, links.get(e.pk)) for e in recent],
            "export_days": settings.DATA_EXPORT_DAYS,
        },
    )


@login_required
@require_POST
def export_request(request):
    exports.export_request(member=request.user)
    messages.success(
        request,
        _("We are preparing your data. You will be notified when it is ready."),
    )
    return redirect("privacy:index")


@login_required
def export_download(request, token):
    """Only the member, only while the signed link is valid."""
    export = exports.export_from_token(token, member=request.user)
    if export is None:
        raise Http404(_("This download link is not valid or has expired."))
    storage = storages["attachments"]
    try:
        handle = storage.open(export.file_name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("This export is no longer available.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"practica-data-{export.ready_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erase(request, username=None):
    """Erase your own account (or, for staff, someone else's), after a
    confirmation step that names what will happen."""
    member = (
        request.user
        if username is None
        else get_object_or_404(User, username=username, is_active=True)
    )
    if not can_erase(request.user, member):
        raise PermissionDenied
    own = member.pk == request.user.pk
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Erase account"),
            question=(
                _("Erase your account?")
                if own
                else _("Erase the account of %(name)s?") % {"name": member.display_name}
            ),
            consequence=_(
                "The profile, sign-in, follows, drafts, notifications, mentor offer "
                "and open requests are deleted for good. Stories, questions and "
                "replies stay readable for the community, credited to "
                "“Former member”. This cannot be undone."
            ),
            confirm_label=_("Erase the account"),
            cancel_url="/privacy/" if own else member.get_absolute_url(),
        )
    erasure.check_member_erase(acting_user=request.user, member=member)
    if own:
        logout(request)
        messages.success(request, _("Your account has been erased."))
        return redirect("/")
    messages.success(request, _("The account has been erased."))
    return redirect("members:directory")
