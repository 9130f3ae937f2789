"""The item page's replies, rendered once for every viewer.

Rendering a reply (avatar, dates, body, files, the labels of its buttons)
cost about 1.8 ms under load, 45 replies 82 ms of the page. None of it
depends on who looks, so each reply's parts are rendered once and cached
(members.versioned_cache) until a knowledge service changes what the item
shows (`item_version`, bumped by `knowledge.services.item_page_changed`).

Nothing that depends on the viewer is inside: `replies_html` decides, from
the replies read fresh on every request and the viewer's permissions
(knowledge.permissions.reply_actions), which parts this viewer gets: the
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
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import Reply
from members.models import User
from members.versioned_cache import cached

TEMPLATE = "knowledge/_reply_part.html"


def item_version(item_id: int) -> str:
    """The cache version of what `item_id`'s page shows of its replies."""
    return f"item:{item_id}"


def replies_html(*, item, replies, files, actions) -> SafeString:
    """The replies' articles as this viewer gets them: each reply's cached
    parts joined per reply as `actions(reply)` (knowledge.permissions.
    reply_actions) allows. Joined here rather than in the page's template:
    eight template conditions for each of 44 replies cost ~2.5 ms a view.
    `replies` are item_replies() rows, `files` their files by reply id."""
    if not replies:
        return mark_safe("")
    parts = reply_parts(item=item, replies=replies, files=files)
    html = []
    for reply in replies:
        allowed = actions(reply)
        part = parts[reply.pk]
        if allowed.mark_helpful:
            helpful = part["helpful_marked" if reply.marked else "helpful_unmarked"]
            helpful += _BETWEEN
        else:
            helpful = "" if reply.is_hidden else part["helpful_count"]
        html += [
            "\n    ",
            part["shown" if allowed.read else "redacted"],
            '\n      <div class="actions reply-actions">',
            _BETWEEN,
            helpful,
            _BETWEEN,
            part["recommend"] if allowed.recommend else "",
            _BETWEEN,
            part["accept"] if allowed.accept else "",
            _BETWEEN,
            part["edit"] if allowed.edit else "",
            _BETWEEN,
            part["hide"] if allowed.hide else "",
            _BETWEEN,
            part["restore"] if allowed.restore else "",
            "\n      </div>\n    </article>\n  ",
        ]
    # The parts were rendered (and escaped) by knowledge/_reply_part.html.
    return mark_safe("".join(html))  # noqa: S308


_BETWEEN = "\n        "


def reply_parts(*, item, replies, files) -> dict[int, dict[str, str]]:
    """Each reply's rendered parts by reply id: "shown" (the article's head
    with the body), "redacted" (hidden replies: with the hidden text instead),
    and the buttons a viewer may be given ("helpful_marked",
    "helpful_unmarked", "helpful_count", "recommend", "accept", "edit",
    "hide", "restore"). `replies` are item_replies() rows, `files` their
    files by reply id."""
    if not replies:
        return {}
    key = ":".join(
        [
            "item-replies",
            str(item.pk),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            _digest(item, replies, files),
        ]
    )
    return cached(
        key,
        [item_version(item.pk)],
        lambda: {
            reply.pk: _render(item, reply, files.get(reply.pk, [])) for reply in replies
        },
    )


def _digest(item, replies, files) -> str:
    rows = [item.kind, item.accepted_reply_id, item.community.slug]
    for reply in replies:
        rows.append(
            (
                reply.pk,
                reply.edited_at,
                reply.hidden_at,
                reply.helpful_count,
                reply.recommended_at,
                reply.author,
                reply.recommended_by,
                [file.pk for file in files.get(reply.pk, ())],
            )
        )
    return hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()


def _render(item, row, files) -> dict[str, str]:
    """Only the parts some viewer can be given for this reply."""
    reply = _reply_of(row)
    reply.files = files
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


def _reply_of(row) -> Reply:
    """The model instance the part template reads, from an item_replies() row."""
    return Reply(
        id=row.pk,
        author=_person(row.author),
        body_html=row.body_html,
        created_at=row.created_at,
        edited_at=row.edited_at,
        hidden_at=row.hidden_at,
        helpful_count=row.helpful_count,
        recommended_at=row.recommended_at,
        recommended_by=_person(row.recommended_by),
    )


def _person(person) -> User | None:
    if person is None:
        return None
    return User(
        id=person.pk,
        username=person.username,
        display_name=person.display_name,
        email=person.email,
        avatar_version=person.avatar_version,
    )
