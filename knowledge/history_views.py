"""An item's (or a reply's) history: every version, who wrote it, what it
changed, and a restore button for those who may edit it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.access import can_moderate
from knowledge import permissions as perms
from knowledge import revisions
from members.pagination import paginate

HISTORY_PAGE_SIZE = 10


def _reply_visible(user, reply, item, membership) -> bool:
    """A hidden reply's text is for its author and the stewards only."""
    return (
        not reply.is_hidden
        or reply.author_id == user.pk
        or can_moderate(user, item.community, membership)
    )


@login_required
def history(request, slug, pk, reply_pk=None):
    item, membership = perms.access_item(request.user, slug, pk)
    reply = None
    if reply_pk is None:
        can_restore = perms.can_edit_item(request.user, item, membership)
    else:
        reply = perms.access_reply(item, reply_pk)
        if not _reply_visible(request.user, reply, item, membership):
            raise Http404
        can_restore = perms.can_edit_reply(request.user, reply, item, membership)
    page = paginate(
        revisions.revision_history(item=item, reply=reply),
        request.GET,
        size=HISTORY_PAGE_SIZE,
    )
    page.object_list = revisions.with_changes(
        list(page.object_list), item=item, reply=reply
    )
    newest = page.object_list[0].number if page.is_first and page.object_list else 0
    return render(
        request,
        "knowledge/history.html",
        {
            "item": item,
            "reply": reply,
            "community": item.community,
            "page": page,
            "newest": newest,
            "can_restore": can_restore,
        },
    )


@login_required
@require_POST
def revision_restore(request, slug, pk, number, reply_pk=None):
    try:
        revisions.check_revision_restore(
            acting_user=request.user,
            community_slug=slug,
            item_id=pk,
            reply_id=reply_pk,
            number=number,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(number)s restored as a new version.") % {"number": number},
        )
    if reply_pk is None:
        return redirect("knowledge:item_history", slug=slug, pk=pk)
    return redirect("knowledge:reply_history", slug=slug, pk=pk, reply_pk=reply_pk)
