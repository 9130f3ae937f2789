"""A member's personal access tokens: make one (its text is shown once,
on the page that made it), see when each was last used, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from api import selectors, services
from api.forms import TokenForm
from members.confirm import confirmation_page, needs_confirmation


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(
            acting_user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
        created = {"token": token, "text": raw}
        form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": list(selectors.tokens_of(user=request.user)[:100]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    if needs_confirmation(request):
        token = selectors.tokens_of(user=request.user).filter(pk=pk).first()
        if token is None:
            raise Http404
        return confirmation_page(
            request,
            title=_("Revoke this token?"),
            question=_("Revoke “%(name)s”?") % {"name": token.name},
            consequence=_(
                "Anything using it stops working at once. This cannot be undone."
            ),
            confirm_label=_("Revoke the token"),
            cancel_url=reverse("api-tokens:list"),
        )
    token = services.check_token_revoke(acting_user=request.user, token_id=pk)
    messages.success(request, _("“%(name)s” is revoked.") % {"name": token.name})
    return redirect("api-tokens:list")
