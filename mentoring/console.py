"""The broker console's requests, rendered once for each state of what they
show.

A page of ten open requests scores mentors for all of them together
(mentoring.suggestions: about 75 ms of CPU at 20,000 members) and renders
some fifty suggestions with their reasons (about 10 ms); brokers reload it
far more often than anything on it changes. So each request's part of the
page is rendered as two pieces of HTML, the request and its suggested
mentors, and a page's pieces are cached together (members.versioned_cache)
under a key made of

- the page's request ids in order (a page is scored together: a request's
  suggestions depend on the pool its page draws);
- what the viewer may see: every community with its name, whether it is
  archived and whether the viewer may see inside it, read in one query, so
  joining or leaving a private community, a community turning private, being
  renamed or archived changes the key at once, and viewers who see the same
  communities share pages;
- the language and time zone it is rendered in;

and the versions of everything else it is computed from:
MATCHING_VERSION (every mentoring service that changes a request, an offer
or a pair; the strengths refresh; a membership starting or ending, through
communities.listeners), EXPERTISE_VERSION (a member's expertise,
deactivation, reactivation, erasure) and PROFILE_VERSION (a member's name or
leadership role). Writes that go round the services (the admin, SCIM
provisioning of group memberships, renaming a tag) show within the cache's
timeout (members.versioned_cache.DEFAULT_TIMEOUT).

Nothing per viewer is cached: the form around each request's suggestions
(its CSRF token, the address to come back to) is rendered on every view.
"""

import hashlib
from typing import NamedTuple

from django.db.models import BooleanField, Case, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from communities.access import visible_communities_q
from communities.models import Community
from members.selectors import EXPERTISE_VERSION, PROFILE_VERSION
from members.versioned_cache import cached
from mentoring import selectors
from mentoring.suggestions import MATCHING_VERSION, suggestions_for_requests

SUGGESTIONS_SHOWN = 5
VERSIONS = (MATCHING_VERSION, EXPERTISE_VERSION, PROFILE_VERSION)


class ConsoleRow(NamedTuple):
    pk: int
    action: str  # where its form proposes a mentor
    request_html: SafeString
    suggestions_html: SafeString


def console_rows(request_ids: list[int], *, viewer) -> list[ConsoleRow]:
    """The console's rows for these open requests (a page, in its order), as
    `viewer` may see them: from the cache while nothing they show changed."""
    if not request_ids:
        return []
    parts = (
        tuple(request_ids),
        SUGGESTIONS_SHOWN,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        _communities_seen(viewer),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    rows = cached(
        f"mentoring-console:{digest}",
        VERSIONS,
        lambda: _rendered(request_ids, viewer=viewer),
    )
    # Rendered by our own templates, which escaped what they show.
    return [
        ConsoleRow(pk, action, mark_safe(head), mark_safe(body))  # noqa: S308
        for pk, action, head, body in rows
    ]


def _communities_seen(viewer) -> tuple:
    """Every community as (id, name, archived, may `viewer` see inside): a
    few hundred short rows, one query."""
    if viewer.is_staff:
        seen = Value(True)
    else:
        seen = Case(
            When(visible_communities_q(viewer), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    rows = (
        Community.objects.annotate(seen=seen)
        .order_by("pk")
        .values_list("pk", "name", "archived_at", "seen")
    )
    return tuple((pk, name, archived is None, may) for pk, name, archived, may in rows)


def _rendered(request_ids, *, viewer) -> list[tuple]:
    """(id, form action, request HTML, suggestions HTML) per request still
    open, in the page's order."""
    requests = list(selectors.open_requests().filter(pk__in=request_ids))
    suggestions = suggestions_for_requests(
        requests, viewer=viewer, limit=SUGGESTIONS_SHOWN
    )
    return [
        (
            req.pk,
            reverse("mentoring:propose", args=[req.pk]),
            render_to_string("mentoring/_console_request.html", {"req": req}),
            render_to_string(
                "mentoring/_console_suggestions.html",
                {"req": req, "suggestions": suggestions.get(req.pk, [])},
            ),
        )
        for req in requests
    ]
