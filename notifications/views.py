"""A member's notifications, and the signed unsubscribe link every e-mail
carries (the one page here that needs no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from members.pagination import paginate
from notifications import selectors, services
from notifications import unsubscribe as links


@login_required
def notification_list(request):
    page = paginate(selectors.notifications_for(user=request.user), request.GET)
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    """Mark one (id=...) or all of my notifications read; "open" follows it."""
    raw_id = request.POST.get("id")
    if raw_id:
        if not raw_id.isdigit():
            raise Http404
        notification = get_object_or_404(
            selectors.notifications_for(user=request.user), pk=int(raw_id)
        )
        services.mark_read(user=request.user, ids=[notification.pk])
        target = notification.url
        if request.POST.get("open") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            return redirect(target)
    else:
        count = services.mark_read(user=request.user)
        messages.success(
            request, _("%(n)d notifications marked as read.") % {"n": count}
        )
    return redirect("notifications:list")


@csrf_exempt  # RFC 8058 one-click: mail clients POST without cookies or tokens.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks for confirmation (link scanners must not unsubscribe anyone);
    POST, from that page or a mail client's one-click, unsubscribes. The
    signed token is the credential, so no login is needed."""
    try:
        member, scope = links.read_token(token)
    except links.InvalidLink as exc:
        return render(
            request,
            "notifications/unsubscribe_invalid.html",
            {"expired": exc.expired},
            status=400,
        )
    context = {"member": member, "scope": scope, "token": token}
    if request.method == "POST":
        links.unsubscribe(member=member, scope=scope)
        return render(request, "notifications/unsubscribe_done.html", context)
    context["subscribed"] = links.is_subscribed(member, scope)
    return render(request, "notifications/unsubscribe.html", context)
