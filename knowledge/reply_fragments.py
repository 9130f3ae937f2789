"""The item page's replies, rendered once for every viewer.

Rendering a reply (avatar, dates, body, files, the labels of its buttons)
cost about 1.8 ms under load, 45 replies 82 ms of the page. None of it
depends on who looks, so each reply's parts are rendered once and cached
(members.versioned_cache) until a knowledge service changes what the item
shows (`item_version`, bumped by `knowledge.services.item_page_changed`).

Nothing that depends on the viewer is inside: the view decides, from the
replies read fresh on every request, which parts this viewer gets: the
reply's body or the "hidden by a steward" text, and which buttons. The
buttons carry no form and no CSRF token of their own: they submit the page's
one `reply-actions` form (HTML's `form` and `formaction` attributes), so
they are the same for everyone. A steward's view of a hidden reply and a
member's are two different cached parts, chosen per request.

Besides the version, the key carries a digest of the rows as read (reply
ids, states, counts, authors' and recommenders' names and avatars, files,
the item's kind and accepted answer): a rename, a new avatar or an erasure in
another app, or a bulk write that bumps nothing, gives a new key at once.
Language and time zone are in the key (dates and labels are rendered in
them).
"""

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from members.versioned_cache import cached

TEMPLATE = "knowledge/_reply_part.html"


def item_version(item_id: int) -> str:
    """The cache version of what `item_id`'s page shows of its replies."""
    return f"item:{item_id}"


def reply_parts(*, item, replies) -> dict[int, dict[str, str]]:
    """Each reply's rendered parts by reply id: "shown" (the article's head
    with the body), "redacted" (hidden replies: with the hidden text instead),
    and the buttons a viewer may be given ("helpful_marked",
    "helpful_unmarked", "helpful_count", "recommend", "accept", "edit",
    "hide", "restore"). `replies` are item_replies() rows with `.files`."""
    if not replies:
        return {}
    key = ":".join(
        [
            "item-replies",
            str(item.pk),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            _digest(item, replies),
        ]
    )
    parts = cached(
        key,
        [item_version(item.pk)],
        lambda: {reply.pk: _render(item, reply) for reply in replies},
    )
    return {
        pk: {name: mark_safe(html) for name, html in reply.items()}  # noqa: S308
        for pk, reply in parts.items()
    }


def _digest(item, replies) -> str:
    rows = [item.kind, item.accepted_reply_id, item.community.slug]
    for reply in replies:
        rows.append(
            (
                reply.pk,
                reply.edited_at,
                reply.hidden_at,
                reply.helpful_count,
                reply.recommended_at,
                _person(reply.author),
                _person(reply.recommended_by),
                [file.pk for file in reply.files],
            )
        )
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


def _person(user):
    if user is None:
        return None
    return (
        user.pk,
        user.username,
        user.display_name,
        getattr(user, "avatar_version", ""),
    )


def _render(item, reply) -> dict[str, str]:
    """Only the parts some viewer can be given for this reply."""
    names = ["shown", "edit"]
    if reply.is_hidden:
        names += ["redacted", "restore"]
    else:
        names += ["helpful_marked", "helpful_unmarked", "helpful_count", "hide"]
        if item.is_question:
            names += ["recommend", "accept"]
    context = {"item": item, "community": item.community, "reply": reply}
    return {
        name: str(render_to_string(TEMPLATE, {**context, "part": name}))
        for name in names
    }
