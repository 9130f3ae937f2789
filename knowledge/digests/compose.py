"""The e-mails: one digest per member per period, and single notifications.
HTML and plain text, with one-click unsubscribe headers (RFC 8058)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from knowledge.digests.build import render_digest_html
from knowledge.digests.unsubscribe import DIGESTS, NOTIFICATIONS, unsubscribe_url
from knowledge.models import DigestPeriod


def site_url() -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/")


def _message(*, member, subject, template, context, scope) -> EmailMultiAlternatives:
    unsubscribe = unsubscribe_url(member, scope)
    context = {
        **context,
        "member": member,
        "site_url": site_url(),
        "unsubscribe_url": unsubscribe,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"email/{template}.html", context), "text/html"
    )
    return message


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
    return _message(
        member=member,
        subject=digest_subject(period, start),
        template="digest",
        context={
            "period": period,
            "sections": sections,
            "notifications": notifications,
            "more_notifications": more_notifications,
        },
        scope=DIGESTS,
    )


def notification_message(*, notification):
    member = notification.recipient
    url = notification.url
    if url.startswith("/"):
        url = site_url() + url
    return _message(
        member=member,
        subject=notification.message[:120],
        template="notification",
        context={"notification": notification, "link": url},
        scope=NOTIFICATIONS,
    )
