"""Webhook pages: the list, a new hook (its secret shown once), a hook's
settings and delivery log with "redeliver", and deleting one. Staff manage
every hook; a community's stewards manage that community's hooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from integrations import permissions as perms
from integrations import selectors, webhooks
from integrations.forms import WebhookCreateForm, WebhookEditForm
from integrations.models import Event
from members.confirm import confirmation_page, needs_confirmation
from members.pagination import paginate

_NEW_SECRET = "integrations_new_secret"  # noqa: S105 - a session key


@login_required
def webhook_list(request):
    perms.check_use_webhooks(request.user)
    page = paginate(selectors.webhooks_for(request.user), request.GET)
    return render(
        request,
        "integrations/webhook_list.html",
        {"page": page, "events": dict(Event.choices)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    perms.check_use_webhooks(request.user)
    form = WebhookCreateForm(
        request.POST or None,
        communities=perms.stewarded_communities(request.user),
        organisation_wide=request.user.is_staff,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = data.pop("community")
        try:
            hook = webhooks.check_webhook_create(
                acting_user=request.user,
                community_id=community.pk if community else None,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown once, on the next page, then never again.
            request.session[_NEW_SECRET] = [hook.pk, hook.secret]
            messages.success(request, _("Webhook created."))
            return redirect(hook)
    return render(request, "integrations/webhook_form.html", {"form": form})


def _new_secret(request, hook) -> str:
    pk, secret = request.session.get(_NEW_SECRET, [None, ""])
    if pk != hook.pk:
        return ""
    del request.session[_NEW_SECRET]
    return secret


@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request, pk):
    hook = perms.access_webhook(request.user, pk)
    initial = {
        "name": hook.name,
        "url": hook.url,
        "events": hook.events,
        "is_active": hook.is_active,
    }
    form = WebhookEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = webhooks.check_webhook_update(
                acting_user=request.user, hook_id=hook.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Webhook saved."))
            return redirect(hook)
    page = paginate(selectors.deliveries_of(hook), request.GET)
    return render(
        request,
        "integrations/webhook_detail.html",
        {
            "hook": hook,
            "form": form,
            "page": page,
            "new_secret": _new_secret(request, hook),
            "events": dict(Event.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_delete(request, pk):
    hook = perms.access_webhook(request.user, pk)
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("Delete webhook?"),
            question=_("Delete the webhook “%(name)s”?") % {"name": hook.name},
            consequence=_(
                "Nothing more is sent to %(url)s, and its delivery log is deleted."
            )
            % {"url": hook.url},
            confirm_label=_("Delete the webhook"),
            cancel_url=hook.get_absolute_url(),
        )
    webhooks.check_webhook_delete(acting_user=request.user, hook_id=hook.pk)
    messages.success(request, _("Webhook deleted."))
    return redirect("integrations:webhooks")


@login_required
@require_http_methods(["GET", "POST"])
def webhook_secret_roll(request, pk):
    hook = perms.access_webhook(request.user, pk)
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title=_("New secret?"),
            question=_("Make a new secret for “%(name)s”?") % {"name": hook.name},
            consequence=_(
                "The current secret stops working at once: deliveries are signed "
                "with the new one, which the receiver must be given."
            ),
            confirm_label=_("Make a new secret"),
            cancel_url=hook.get_absolute_url(),
        )
    hook = webhooks.check_webhook_secret_roll(acting_user=request.user, hook_id=pk)
    request.session[_NEW_SECRET] = [hook.pk, hook.secret]
    messages.success(request, _("New secret made."))
    return redirect(hook)


@login_required
@require_POST
def delivery_redeliver(request, pk, delivery_pk):
    webhooks.check_delivery_redeliver(
        acting_user=request.user, hook_id=pk, delivery_id=delivery_pk
    )
    messages.success(request, _("Sent again; its new attempts appear below."))
    return redirect(reverse("integrations:webhook", kwargs={"pk": pk}))
