"""@mentions on pages: what the author is told after posting, and the JSON
the typeahead (static/js/mentions.js) asks for while they type."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from communities.access import access_community
from knowledge.mentions import can_mention_groups
from knowledge.permissions import can_post
from knowledge.selectors.mentions import mention_suggestions


def report_mentions(request, written) -> None:
    """Tell the author who their mentions did not reach, and why."""
    report = getattr(written, "mention_report", None)
    if report is None:
        return
    for text in report.messages():
        messages.warning(request, text)


@require_GET
@login_required
def mention_suggest(request, slug):
    """People (and groups) the author may mention in this community: 404 for
    a community they may not see, 403 where they may not post."""
    community, membership = access_community(request.user, slug)
    if not can_post(request.user, community, membership):
        raise PermissionDenied(_("Only active members mention people here."))
    results = mention_suggestions(
        community=community,
        author=request.user,
        q=request.GET.get("q", ""),
        groups=can_mention_groups(request.user, community, membership),
    )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
