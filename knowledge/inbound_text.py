"""What a member wrote in an e-mail reply, without what they replied to.

Mail programs quote the message being answered below an attribution line
("On Mon, 5 Dec 2026 at 09:14, Practica <...> wrote:" in Gmail and Apple
Mail, a "From: / Sent: / To:" block or "-----Original Message-----" in
Outlook), prefix quoted lines with ">", and add a signature after "-- ".
Everything from the first of those on is dropped; quoted lines in between
(an inline answer) are dropped too.
"""

import re

# An attribution line, possibly wrapped over up to three lines by the
# sender's program (Gmail wraps long "On ... <address> wrote:" lines).
ATTRIBUTION = re.compile(
    r"^[ \t]*(On|Le|Am|El|Il|Op|Em)\b[^\n]{0,300}(\n[^\n]{0,300}){0,2}?"
    r"(wrote|a écrit|schrieb|escribió|ha scritto|schreef|escreveu)\b[^\n]{0,100}$",
    re.MULTILINE | re.IGNORECASE,
)
# Outlook: a rule or "Original Message" line, or a header block.
OUTLOOK_SEPARATORS = re.compile(
    r"^[ \t]*(-{3,}[ \t]*Original Message[ \t]*-{3,}|_{10,})[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
OUTLOOK_HEADERS = re.compile(
    r"^[ \t]*\*?From:\*?[ \t].*\n(^[ \t]*\*?(Sent|Date|To|Cc|Subject):\*?.*\n?){2,}",
    re.MULTILINE | re.IGNORECASE,
)
# "Sent from my iPhone" and friends end what was written on a phone.
MOBILE_SIGNATURE = re.compile(
    r"^[ \t]*(Sent from my \w+|Sent from (Mail|Outlook) for \w+|"
    r"Get Outlook for \w+)[^\n]*$",
    re.MULTILINE | re.IGNORECASE,
)
SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)


def _cut(text: str, pattern: re.Pattern) -> str:
    match = pattern.search(text)
    return text[: match.start()] if match else text


def reply_text_strip(text: str) -> str:
    """The new text of an e-mail reply: quoting, attribution lines and
    signatures removed, surrounding blank lines trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    for pattern in (
        ATTRIBUTION,
        OUTLOOK_SEPARATORS,
        OUTLOOK_HEADERS,
        MOBILE_SIGNATURE,
        SIGNATURE,
    ):
        text = _cut(text, pattern)
    lines = [line.rstrip() for line in text.split("\n") if not line.startswith(">")]
    return "\n".join(lines).strip()
