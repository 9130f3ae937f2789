"""A confirmation step for destructive or hard-to-undo actions, and the
"Undo" offered after one.

The action's own URL answers GET, and a POST without `confirmed=yes`, with a
page naming what is about to happen; only the POST from that page (which
carries the same fields plus `confirmed=yes`) acts. So a button elsewhere can
stay a plain form, works without JavaScript, and nothing destructive happens
in one click. Permission checks run before the page is shown: whoever may
not act gets the same 404/403 as the action would give.

After a reversible action the view calls `offer_undo()`; the next page shows
an "Undo" button next to its success message (members.context_processors).
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
# Fields the confirmation page never carries over.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}
_UNDO_SESSION_KEY = "practica_undo"


def needs_confirmation(request) -> bool:
    return request.method != "POST" or request.POST.get(CONFIRM_FIELD) != CONFIRM_VALUE


def confirmation_page(
    request,
    *,
    title: str,
    question: str,
    confirm_label: str,
    cancel_url: str,
    consequence: str = "",
):
    """The page asking "Leave Lean on the Shop Floor?". Its form posts back
    to the same URL with every field the first request carried (a reason, a
    `next`), so the action runs exactly as it was asked for."""
    source = request.POST if request.method == "POST" else request.GET
    carried = [
        (name, value)
        for name in source
        if name not in _NOT_CARRIED
        for value in source.getlist(name)
    ]
    return render(
        request,
        "includes/confirm.html",
        {
            "title": title,
            "question": question,
            "consequence": consequence,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "carried": carried,
            "action_url": request.path,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )


def offer_undo(request, *, url: str, label: str, fields: dict | None = None):
    """Show an "Undo" button (a POST to `url` with `fields`) on the next page."""
    request.session[_UNDO_SESSION_KEY] = {
        "url": url,
        "label": label,
        "fields": sorted((fields or {}).items()),
    }


def take_undo(request) -> dict | None:
    """The offer made by the last action, once (like a message)."""
    session = getattr(request, "session", None)
    if session is None or _UNDO_SESSION_KEY not in session:
        return None
    return session.pop(_UNDO_SESSION_KEY)
