"""The digest e-mail: one per member per period, HTML and plain text, built
with notifications' member_message (one-click unsubscribe headers)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digests.build import render_digest_html
from digests.models import DigestPeriod
from notifications.emails import member_message, site_url
from notifications.unsubscribe import DIGESTS


def digest_subject(period: str, start) -> str:
    day = date_format(timezone.localtime(start), "j M")
    if period == DigestPeriod.WEEKLY:
        return _("What your communities learned in the week of %(day)s") % {"day": day}
    return _("What your communities learned on %(day)s") % {"day": day}


def digest_section(digest, *, base_url: str) -> dict:
    """One community's part of the e-mail, HTML and text, the same for every
    member who gets it (a batch renders it once: `sections`)."""
    return {
        "content": digest.content,
        "html": render_digest_html(digest.content, base_url=base_url),
        "text": render_to_string(
            "digests/email/_section.txt",
            {"content": digest.content, "site_url": base_url},
        ),
    }


def digest_message(
    *,
    member,
    period,
    start,
    digests,
    notifications,
    more_notifications=0,
    sections: dict | None = None,
):
    """One e-mail covering all of `digests` (already limited to communities
    the member is active in) and the notifications folded into it. `sections`
    ({digest pk: section}) keeps each community's part rendered once per
    batch."""
    base = site_url()
    if sections is None:
        sections = {}
    for d in digests:
        if d.pk not in sections:
            sections[d.pk] = digest_section(d, base_url=base)
    sections = [sections[d.pk] for d in digests]
    return member_message(
        member=member,
        subject=digest_subject(period, start),
        template="digests/email/digest",
        context={
            "period": period,
            "sections": sections,
            "notifications": notifications,
            "more_notifications": more_notifications,
        },
        scope=DIGESTS,
    )
