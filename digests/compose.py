"""The digest e-mail: one per member per period, HTML and plain text, built
with notifications' member_message (one-click unsubscribe headers)."""

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


def digest_message(
    *, member, period, start, digests, notifications, more_notifications=0
):
    """One e-mail covering all of `digests` (already limited to communities
    the member is active in) and the notifications folded into it."""
    base = site_url()
    sections = [
        {"content": d.content, "html": render_digest_html(d.content, base_url=base)}
        for d in digests
    ]
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
