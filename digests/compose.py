"""The digest e-mail: one per member per period, HTML and plain text, built
with notifications' member_message (one-click unsubscribe headers).

Each community's part is rendered once per batch (per time zone and
language: times are shown in the reader's zone, named) and reused for every
member who gets it. What differs between readers is left in that rendering
as marked blocks, settled per reader by one regular-expression pass:
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
import re
import secrets
import time

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digests.models import DigestPeriod
from members.timezones import member_zone
from notifications.emails import member_message, site_url
from notifications.reply_addresses import reply_address, reply_enabled
from notifications.unsubscribe import DIGESTS

MARK = secrets.token_hex(6)
# [[<mark>:<kind>:<a>:<b>]]...[[<mark>:end]]; no block holds another.
BLOCK = re.compile(
    r"\[\["
    + MARK
    + r":(reply|experts|knower):(\d+):(\d+)\]\](.*?)\[\["
    + MARK
    + r":end\]\]",
    re.DOTALL,
)
ADDRESS = f"[[{MARK}:address]]"


def digest_subject(period: str, start) -> str:
    day = date_format(timezone.localtime(start), "j M")
    if period == DigestPeriod.WEEKLY:
        return _("What your communities learned in the week of %(day)s") % {"day": day}
    return _("What your communities learned on %(day)s") % {"day": day}


def _when(entry: dict) -> dict:
    """The entry with its moment as a datetime, for "|date" in the zone."""
    try:
        return {**entry, "created_at": dt.datetime.fromisoformat(entry["created"])}
    except (KeyError, TypeError, ValueError):
        return entry


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


def digest_section(digest, *, base_url: str) -> dict:
    """One community's part of the e-mail, HTML and text, the same for every
    member who gets it in the current zone and language (a batch renders it
    once per zone: `sections`)."""
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
        "html": render_to_string("digests/email/_section.html", context),
        "text": render_to_string("digests/email/_section.txt", context),
        "experts": {
            q["id"]: {p["id"] for p in q.get("who_could_answer") or []}
            for q in content["open_questions"] + content["still_waiting"]
        },
    }


def personalise(section: dict, *, member_id: int, may_reply: bool, issued_at=None):
    """(html, text) of `section` for one reader: their reply addresses, and
    never themselves as an expert."""
    issued = int(time.time() if issued_at is None else issued_at)
    experts = section["experts"]
    addresses = {}

    def settle(match):
        kind, a, b, inner = (
            match.group(1),
            int(match.group(2)),
            int(match.group(3)),
            match.group(4),
        )
        if kind == "reply":
            if not may_reply:
                return ""
            if a not in addresses:
                addresses[a] = reply_address(
                    member_id=member_id, item_id=a, issued_at=issued
                )
            return inner.replace(ADDRESS, addresses[a]) if addresses[a] else ""
        if kind == "experts":
            mine = member_id if member_id in experts.get(a, ()) else 0
            return inner if b == mine else ""
        # knower: one person's part of "Who knows what".
        return "" if a == member_id else inner

    return BLOCK.sub(settle, section["html"]), BLOCK.sub(settle, section["text"])


def _zone_key(member) -> tuple:
    with member_zone(member):
        return (timezone.get_current_timezone_name(), translation.get_language())


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
    ({(digest pk, zone, language): section}) keeps each community's part
    rendered once per batch and zone. Items of `reply_communities` (where
    the member is an active member) carry their reply-by-e-mail address."""
    base = site_url()
    if sections is None:
        sections = {}
    zone = _zone_key(member)
    parts = []
    issued = int(time.time())
    for d in digests:
        key = (d.pk, *zone)
        if key not in sections:
            with member_zone(member):
                sections[key] = digest_section(d, base_url=base)
        section = sections[key]
        html, text = personalise(
            section,
            member_id=member.pk,
            may_reply=d.community_id in reply_communities,
            issued_at=issued,
        )
        parts.append({"content": section["content"], "html": html, "text": text})
    return member_message(
        member=member,
        subject=digest_subject(period, start),
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
