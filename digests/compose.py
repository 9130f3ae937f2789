"""The digest e-mail: one per member per period, HTML and plain text, built
with notifications' member_message (one-click unsubscribe headers).

Each community's part is rendered once per batch (and language) and reused
for every member who gets it. What differs between readers is left in that
rendering as marked blocks, cut apart once, and settled per reader by a walk
over the blocks (no template, no query):
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

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digests.models import DigestPeriod
from members.timezones import member_zone, zone_of
from notifications.emails import member_message, site_url
from notifications.reply_addresses import (
    LOCAL_PREFIX,
    reply_domain,
    reply_enabled,
    reply_token,
)
from notifications.unsubscribe import DIGESTS

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
    """One community's part of the e-mail, HTML and text, the same for every
    member who gets it (a batch renders it once: `sections`), cut into the
    plain text and the blocks settled per reader."""
    content = email_content(digest.content)
    context = {
        "content": content,
        "site_url": base_url,
        "mark": MARK,
        "replies": reply_enabled(),
        "address": ADDRESS,
    }
    return {
        "content": digest.content,
        "community_id": digest.community_id,
        "html": _cut(render_to_string("digests/email/_section.html", context)),
        "text": _cut(render_to_string("digests/email/_section.txt", context)),
        "experts": {
            q["id"]: {p["id"] for p in q.get("who_could_answer") or []}
            for q in content["open_questions"] + content["still_waiting"]
        },
    }


class Reader:
    """What settles the blocks for one member: their addresses (signed once
    per item) and their zone's times (formatted once per moment)."""

    def __init__(self, *, member_id: int, zone, issued_at=None, times=None):
        self.member_id = member_id
        self.zone = zone
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
        key = (self.zone.key, translation.get_language(), epoch)
        if key not in self.times:
            moment = dt.datetime.fromtimestamp(epoch, tz=self.zone)
            self.times[key] = date_format(moment, TIME_FORMAT)
        return self.times[key]


def _settle(chunks: list, *, reader: Reader, experts, may_reply: bool, escape):
    out = []
    for chunk in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        kind, a, b, inner = chunk
        if kind == "time":
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
    return "".join(out)


def personalise(section: dict, *, reader: Reader, may_reply: bool):
    """(html, text) of `section` for one reader: times in their zone, their
    reply addresses, and never themselves as an expert."""
    settle = {
        "reader": reader,
        "experts": section["experts"],
        "may_reply": may_reply,
    }
    return (
        _settle(section["html"], escape=html_lib.escape, **settle),
        _settle(section["text"], escape=str, **settle),
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
    part rendered once per batch. Items of `reply_communities` (where the
    member is an active member) carry their reply-by-e-mail address."""
    base = site_url()
    if sections is None:
        sections = {}
    reader = Reader(
        member_id=member.pk,
        zone=zone_of(member),
        times=sections.setdefault("times", {}),
    )
    parts = []
    # In the member's language (and zone) as member_message renders the rest.
    with member_zone(member):
        language = translation.get_language()
        for d in digests:
            key = (d.pk, language)
            if key not in sections:
                sections[key] = digest_section(d, base_url=base)
            section = sections[key]
            html, text = personalise(
                section, reader=reader, may_reply=d.community_id in reply_communities
            )
            parts.append({"content": section["content"], "html": html, "text": text})
        subject = digest_subject(period, start)
    return member_message(
        member=member,
        subject=subject,
        template="digests/email/digest",
        context={
            "period": period,
            "sections": parts,
            "notifications": notifications,
            "more_notifications": more_notifications,
            "start": start,
        },
        scope=DIGESTS,
    )
