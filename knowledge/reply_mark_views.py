"""Plain POST forms that mark a reply helpful or an answer recommended; they
work without JavaScript and return to the reply, in the order the page was
shown in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knowledge import permissions as perms
from knowledge import reply_marks, selectors


def _back_to_reply(request, item, reply_pk):
    order = selectors.answer_order(request.POST.get("answers"))
    query = (
        ""
        if order == selectors.ANSWER_ORDERS[0]
        else "?" + urlencode({"answers": order})
    )
    return redirect(f"{item.get_absolute_url()}{query}#reply-{reply_pk}")


@login_required
@require_POST
def reply_helpful(request, slug, pk, reply_pk):
    """helpful=1 marks, helpful=0 unmarks: repeating a request changes
    nothing."""
    item, _membership = perms.access_item(request.user, slug, pk)
    reply_marks.check_reply_helpful_set(
        acting_user=request.user,
        community_slug=slug,
        item_id=pk,
        reply_id=reply_pk,
        helpful=request.POST.get("helpful") == "1",
    )
    return _back_to_reply(request, item, reply_pk)


@login_required
@require_POST
def answer_recommend(request, slug, pk, reply_pk):
    """recommend=1 recommends the answer, recommend=0 takes it back."""
    item, _membership = perms.access_item(request.user, slug, pk)
    recommended = request.POST.get("recommend") != "0"
    changed = reply_marks.check_answer_recommend(
        acting_user=request.user,
        community_slug=slug,
        item_id=pk,
        reply_id=reply_pk,
        recommended=recommended,
    )
    if changed:
        messages.success(
            request,
            _("Recommended: it shows right after the accepted answer.")
            if recommended
            else _("The recommendation is withdrawn."),
        )
    return _back_to_reply(request, item, reply_pk)
