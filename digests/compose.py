"""The digest e-mail: one per member per period, HTML and plain text, with
the one-click unsubscribe headers of every member e-mail.

Nothing is rendered by the template engine per member. Each community's
part (with its heading) is rendered once per process and language and
reused for every member who gets it, in every batch; the wrapper
(digest.html/.txt, the notifications folded in) is rendered once per
process, language and period with slot markers that are filled per reader
with escaped text; the MIME message is written directly (digests/mime.py).
What differs between readers inside a part is left in its rendering as
marked blocks, cut apart once, and settled per reader by a walk over the
blocks (no template, no query):
- times are written in the reader's zone, named ("Tue 3 Nov, 10:00 JST");
- "Reply by e-mail" under each item carries that reader's own signed
  address (notifications/reply_addresses.py), only in communities where the
  reader may reply (an active member; sections are already limited to what
  they may read);
- a reader is never named as an expert to herself: "Who could answer" is
  rendered once per possible exclusion (at most 4 people per question) and
  the reader keeps the one without her; her own "Who knows what" line goes.
The markers carry a random key of this process, which no member text can
guess, so nothing typed into a title can pose as one.
"""

import datetime as dt
import html as html_lib
import re
import secrets
import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digests.mime import DigestEmail
from digests.models import Digest, DigestPeriod
from members.timezones import member_zone, zone_of
from notifications.emails import site_url, unsubscribe_headers
from notifications.reply_addresses import (
    LOCAL_PREFIX,
    reply_domain,
    reply_enabled,
    reply_token,
)
from notifications.unsubscribe import DIGESTS, unsubscribe_url

MARK = secrets.token_hex(6)
# [[<mark>:<kind>:<a>:<b>]]...[[<mark>:end]]; no block holds another.
BLOCK = re.compile(
    r"\[\["
    + MARK
    + r":(reply|experts|knower|time):(\d+):(\d+)\]\](.*?)\[\["
    + MARK
    + r":end\]\]",
    re.DOTALL,
)
ADDRESS = f"[[{MARK}:address]]"
TIME_FORMAT = "D j M, H:i T"


def digest_subject(period: str, start) -> str:
    day = date_format(timezone.localtime(start), "MONTH_DAY_FORMAT")
    if period == DigestPeriod.WEEKLY:
        return _("What your communities learned in the week of %(day)s") % {"day": day}
    return _("What your communities learned on %(day)s") % {"day": day}


def _when(entry: dict) -> dict:
    """The entry with its moment in unix seconds, written per reader."""
    try:
        moment = dt.datetime.fromisoformat(entry["created"])
    except (KeyError, TypeError, ValueError):
        return entry
    return {**entry, "epoch": int(moment.timestamp())}


def _question(entry: dict) -> dict:
    """A question with its "who could answer" lists: everyone (without 0),
    and each one left out (without their id)."""
    people = entry.get("who_could_answer") or []
    variants = [{"without": 0, "people": people}] + [
        {"without": p["id"], "people": [o for o in people if o["id"] != p["id"]]}
        for p in people
        if p.get("id")
    ]
    return {**_when(entry), "expert_variants": variants}


def email_content(content: dict) -> dict:
    """The stored content, shaped for the e-mail templates. A digest stored
    before "still waiting" existed has its older questions split off here."""
    start = content.get("start", "")
    open_questions = content.get("open_questions", [])
    still_waiting = content.get("still_waiting")
    if still_waiting is None:
        still_waiting = [q for q in open_questions if q.get("created", "") < start]
        open_questions = [q for q in open_questions if q.get("created", "") >= start]
    knowing = content.get("who_knows_what", [])
    return {
        **content,
        "newcomer_firsts": [_when(e) for e in content.get("newcomer_firsts", [])],
        "new_items": [_when(e) for e in content.get("new_items", [])],
        "answered": [_when(e) for e in content.get("answered", [])],
        "open_questions": [_question(q) for q in open_questions],
        "still_waiting": [_question(q) for q in still_waiting],
        "who_knows_what": knowing,
        # One person only: the whole part goes for them, not just their line.
        "knowing_sole": knowing[0]["id"] if len(knowing) == 1 else 0,
    }


def _cut(rendered: str) -> list:
    """`rendered` as a list of plain strings and (kind, a, b, inner) blocks."""
    pieces = BLOCK.split(rendered)
    chunks = [pieces[0]]
    for i in range(1, len(pieces), 5):
        kind, a, b, inner, after = pieces[i : i + 5]
        chunks.append((kind, int(a), int(b), inner))
        chunks.append(after)
    return chunks


def digest_section(digest, *, base_url: str) -> dict:
    """One community's part of the e-mail with its heading, HTML and text,
    the same for every member who gets it (rendered once per process and
    language: `_section_for`), cut into the plain text and the blocks
    settled per reader."""
    content = email_content(digest.content)
    context = {
        "content": content,
        "site_url": base_url,
        "mark": MARK,
        "replies": reply_enabled(),
        "address": ADDRESS,
    }
    html = _cut(render_to_string("digests/email/_part.html", context))
    experts = {
        q["id"]: {p["id"] for p in q.get("who_could_answer") or []}
        for q in content["open_questions"] + content["still_waiting"]
    }
    knowers = {c[1] for c in html if not isinstance(c, str) and c[0] == "knower"}
    return {
        "content": digest.content,
        "community_id": digest.community_id,
        "html": html,
        "text": _cut(render_to_string("digests/email/_part.txt", context)),
        "toc": render_to_string("digests/email/_toc_entry.html", context),
        "experts": experts,
        # Readers the part names (an expert, a knower): settled one by one.
        "named": set().union(knowers, *experts.values()),
        # Everyone else's part differs only by zone, language and reply
        # addresses: {(zone, language, replies): (html, text)}, see personalise.
        "settled": {},
    }


# {key: section} of this process, across batches: a run's 40 batches share
# each community's rendering. Keyed by the digest's row and build (a digest
# is only ever changed by a build, which stamps a new built_at: a redacted
# one is never served from here) and what else enters the rendering.
_SECTIONS: dict[tuple, dict] = {}
SECTIONS_KEPT = 2000


def _section_for(digest, *, language: str, base_url: str, batch: dict) -> dict:
    key = (digest.pk, language)
    if key in batch:
        return batch[key]
    shared = None
    if digest.pk is not None:
        shared = (
            digest.pk,
            digest.built_at,
            digest.inputs,
            language,
            base_url,
            reply_enabled(),
        )
        section = _SECTIONS.get(shared)
        if section is not None:
            batch[key] = section
            return section
    section = digest_section(digest, base_url=base_url)
    if shared is not None:
        if len(_SECTIONS) >= SECTIONS_KEPT:
            _SECTIONS.clear()
        _SECTIONS[shared] = section
    batch[key] = section
    return section


def digests_with_content(digests) -> None:
    """Load, in one query, the content of those of `digests` (fetched
    without it) whose part this process has not rendered yet."""
    rendered = {(key[0], key[1], key[2]) for key in _SECTIONS}
    needed = {
        d.pk: d
        for d in digests
        if "content" in d.get_deferred_fields()
        and (d.pk, d.built_at, d.inputs) not in rendered
    }
    if not needed:
        return
    for pk, content in Digest.objects.filter(pk__in=needed).values_list(
        "pk", "content"
    ):
        needed[pk].content = content


def sections_forget() -> None:
    """Drop this process's rendered parts (tests; a deploy restarts it)."""
    _SECTIONS.clear()
    _FRAMES.clear()


class Reader:
    """What settles the blocks for one member: their addresses (signed once
    per item) and their zone's times (formatted once per moment)."""

    def __init__(
        self, *, member_id: int, zone, issued_at=None, times=None, language=None
    ):
        self.member_id = member_id
        self.zone = zone
        # Times are written in the language active when they are settled.
        self.language = language
        self.issued = int(time.time() if issued_at is None else issued_at)
        self.addresses = {}
        self.domain = reply_domain()
        # Shared by the batch: {(zone, language, epoch): text}.
        self.times = {} if times is None else times

    def address(self, item_id: int) -> str:
        if not self.domain:
            return ""
        if item_id not in self.addresses:
            token = reply_token(
                member_id=self.member_id, item_id=item_id, issued_at=self.issued
            )
            self.addresses[item_id] = f"{LOCAL_PREFIX}{token}@{self.domain}"
        return self.addresses[item_id]

    def time(self, epoch: int) -> str:
        key = (self.zone.key, self.language or translation.get_language(), epoch)
        if key not in self.times:
            moment = dt.datetime.fromtimestamp(epoch, tz=self.zone)
            self.times[key] = date_format(moment, TIME_FORMAT)
        return self.times[key]


def _settle(
    chunks: list,
    *,
    reader: Reader,
    experts,
    may_reply: bool,
    escape,
    keep_replies: bool = False,
):
    """`chunks` as `reader` reads them: one string; with `keep_replies`, a
    list of strings and the reply blocks left as they were (for
    personalise to settle per reader)."""
    out = []
    for chunk in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        kind, a, b, inner = chunk
        if keep_replies and kind == "reply":
            out.append(chunk)
        elif kind == "time":
            out.append(escape(reader.time(a)))
        elif kind == "reply":
            address = reader.address(a) if may_reply else ""
            if address:
                out.append(inner.replace(ADDRESS, address))
        elif kind == "experts":
            mine = reader.member_id if reader.member_id in experts.get(a, ()) else 0
            if b == mine:
                out.append(inner)
        elif a != reader.member_id:  # knower: one person's "who knows what"
            out.append(inner)
    if keep_replies:
        return _joined(out)
    return "".join(out)


def _joined(chunks: list) -> list:
    """`chunks` with each run of strings joined into one."""
    out, run = [], []
    for chunk in chunks:
        if isinstance(chunk, str):
            run.append(chunk)
            continue
        out.append("".join(run))
        out.append(chunk)
        run = []
    out.append("".join(run))
    return out


def personalise(section: dict, *, reader: Reader, may_reply: bool):
    """(html, text) of `section` for one reader: times in their zone, their
    reply addresses, and never themselves as an expert.

    A reader the part does not name gets what every such reader in the same
    zone and language gets, but for the addresses: that is settled once
    (section["settled"]), leaving the reply blocks as they are, and each
    reader's addresses are put in by a walk over what is left."""
    replies = may_reply and bool(reader.domain)
    settle = {
        "reader": reader,
        "experts": section["experts"],
        "may_reply": may_reply,
    }
    if reader.member_id in section["named"]:
        return (
            _settle(section["html"], escape=html_lib.escape, **settle),
            _settle(section["text"], escape=str, **settle),
        )
    key = (reader.zone.key, reader.language or translation.get_language(), replies)
    shared = section["settled"].get(key)
    if shared is None:
        anyone = {**settle, "keep_replies": replies}
        shared = section["settled"][key] = (
            _settle(section["html"], escape=html_lib.escape, **anyone),
            _settle(section["text"], escape=str, **anyone),
        )
    if not replies:
        return shared
    return tuple(_settle(chunks, escape=str, **settle) for chunks in shared)


# {(template, language, variant): chunks} of this process: the templates
# around the communities' parts, rendered once with [[mark:slot:name]]
# markers (see _frame) and filled per reader by string joins.
_FRAMES: dict[tuple, list] = {}
SLOT = re.compile(r"\[\[" + MARK + r":slot:(\w+)\]\]")


class _Slots(dict):
    """Template context value: slots.<name> renders the marker of <name>."""

    def __missing__(self, name):
        return f"[[{MARK}:slot:{name}]]"


def _frame(template: str, **context) -> list:
    """`template` rendered in the current language with each slots.<name> as
    a marker: [text, name, text, name, ..., text]. Once per process."""
    key = (template, translation.get_language(), tuple(sorted(context.items())))
    if key not in _FRAMES:
        rendered = render_to_string(template, {**context, "slots": _Slots()})
        _FRAMES[key] = SLOT.split(rendered)
    return _FRAMES[key]


def _fill(chunks: list, values: dict) -> str:
    """A frame's text with each slot's value (already escaped for it)."""
    out = chunks[:]
    for i in range(1, len(out), 2):
        out[i] = values.get(out[i], "")
    return "".join(out)


def _note_time(moment, zone) -> str:
    """As {{ created_at|date:"SHORT_DATETIME_FORMAT" }} {{ created_at|date:"T" }}
    in the reader's zone and language."""
    local = moment.astimezone(zone)
    return f"{date_format(local, 'SHORT_DATETIME_FORMAT')} {date_format(local, 'T')}"


def _notifications(notifications, more: int, *, base: str, zone):
    """(html, text) of the notifications folded into the e-mail."""
    if not notifications:
        return "", ""
    html_notes, text_notes = [], []
    for note in notifications:
        url = note.url or ""
        if url.startswith("/"):
            url = base + url
        values = {"message": note.message, "time": _note_time(note.created_at, zone)}
        link = bool(url)
        text_notes.append(
            _fill(_frame("digests/email/_note.txt", link=link), {**values, "url": url})
        )
        escaped = {name: html_lib.escape(value) for name, value in values.items()}
        escaped["url"] = html_lib.escape(url)
        html_notes.append(_fill(_frame("digests/email/_note.html", link=link), escaped))
    more_html = more_text = ""
    if more:
        more_html = _fill(
            _frame("digests/email/_more_notifications.html", more=more), {}
        )
        more_text = _fill(
            _frame("digests/email/_more_notifications.txt", more=more), {}
        )
    return (
        _fill(
            _frame("digests/email/_notifications.html"),
            {"notes": "".join(html_notes), "more": more_html},
        ),
        _fill(
            _frame("digests/email/_notifications.txt"),
            {"notes": "".join(text_notes), "more": more_text},
        ),
    )


def digest_message(
    *,
    member,
    period,
    start,
    digests,
    notifications,
    more_notifications=0,
    sections: dict | None = None,
    reply_communities=frozenset(),
):
    """One e-mail covering all of `digests` (already limited to communities
    the member may read) and the notifications folded into it. `sections`
    ({(digest pk, language): section}, and "times") keeps each community's
    part at hand for the batch (it is rendered once per process). Items of
    `reply_communities` (where the member is an active member) carry their
    reply-by-e-mail address. No template is rendered per member: the
    wrapper (digest.html/.txt) is rendered once per process, language and
    period with markers, and filled in here."""
    base = site_url()
    if sections is None:
        sections = {}
    zone = zone_of(member)
    html_parts, text_parts, toc = [], [], []
    # In the member's language and zone.
    with member_zone(member):
        language = translation.get_language()
        reader = Reader(
            member_id=member.pk,
            zone=zone,
            times=sections.setdefault("times", {}),
            language=language,
        )
        for d in digests:
            section = _section_for(d, language=language, base_url=base, batch=sections)
            html, text = personalise(
                section, reader=reader, may_reply=d.community_id in reply_communities
            )
            html_parts.append(html)
            text_parts.append(text)
            toc.append(section["toc"])
        subject_key = ("subject", language, period, start)
        if subject_key not in sections:
            sections[subject_key] = digest_subject(period, start)
        subject = sections[subject_key]
        notes_html, notes_text = _notifications(
            notifications, more_notifications, base=base, zone=zone
        )
        unsubscribe = unsubscribe_url(member, DIGESTS)
        name = member.display_name
        html_values = {
            "name": html_lib.escape(name),
            "unsubscribe": html_lib.escape(unsubscribe),
            "notifications": notes_html,
            "sections": "".join(html_parts),
            "toc": (
                _fill(_frame("digests/email/_toc.html"), {"entries": " · ".join(toc)})
                if len(toc) > 1
                else ""
            ),
        }
        text_values = {
            "name": name,
            "unsubscribe": unsubscribe,
            "notifications": notes_text,
            "sections": "".join(text_parts),
        }
        frame = {"period": period, "site_url": base}
        html = _fill(_frame("digests/email/digest.html", **frame), html_values)
        text = _fill(_frame("digests/email/digest.txt", **frame), text_values)
    message = DigestEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers=unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(html, "text/html")
    return message
