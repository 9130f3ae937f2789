"""The one way any app tells a member something in-app, and the writes that
follow: reading, and e-mailing each notification at most once.

members cannot import this app: it calls notify() through members.notifier.
"""

from django.core import mail
from django.utils import timezone, translation

from members.jobs import enqueue_on_commit
from members.models import NotificationEmails
from members.timezones import member_zone, served_language
from notifications.emails import notification_message
from notifications.models import Notification


def message_render(message, params=None) -> str:
    """`message` (a lazy gettext_lazy/ngettext_lazy template, or plain text)
    filled with `params`, in the active language. Lazy params (labels) are
    translated here too, when the template formats them."""
    text = message if params is None else message % params
    return str(text)[:300]


def notify(
    *,
    recipient,
    kind: str,
    message,
    params: dict | None = None,
    url: str = "",
    actor=None,
):
    """Create an in-app notification; nobody is told about their own action.

    `message` is a lazy template (gettext_lazy) and `params` its values: it is
    rendered in the recipient's language (or the organisation's), never in the
    language of whoever triggered it. Members who want notification e-mails
    "immediately" get one after the transaction commits; "digest" ones are
    folded into their next digest."""
    if actor is not None and actor.pk == recipient.pk:
        return None
    with member_zone(recipient):
        text = message_render(message, params)
    notification = Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, message=text, url=url
    )
    if recipient.notification_emails == NotificationEmails.IMMEDIATELY:
        enqueue_on_commit(
            "notifications.send_notification_email", notification_id=notification.pk
        )
    return notification


# Notification e-mails of one fan-out go out in jobs of this many.
EMAIL_JOB_SIZE = 200


def notify_many(
    *,
    recipients,
    kind: str,
    message,
    params: dict | None = None,
    url: str = "",
    actor=None,
):
    """notify() for many members at once: one INSERT per 1,000, and one e-mail
    job per EMAIL_JOB_SIZE members who want notification e-mails immediately,
    however many there are. `recipients` are (id, notification_emails,
    language) triples (the acting member among them is left out); `message`
    is rendered once per language among them. Returns how many were told."""
    [told] = notify_many_each(
        [
            {
                "recipients": recipients,
                "kind": kind,
                "message": message,
                "params": params,
                "url": url,
                "actor": actor,
            }
        ]
    )
    return told


def notify_many_each(announcements: list[dict]) -> list[int]:
    """notify_many for each of `announcements` (dicts of its keyword
    arguments), their notifications written together, in order, one INSERT
    per 1,000: a batch of fan-outs (knowledge.watching.watch_fanout_many).
    Returns how many each told."""
    rows, spans = [], []
    for announcement in announcements:
        start = len(rows)
        rows += _notifications(**announcement)
        spans.append((start, len(rows)))
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    for announcement, (start, end) in zip(announcements, spans, strict=True):
        wants_email = {
            pk
            for pk, emails, _language in announcement["recipients"]
            if emails == NotificationEmails.IMMEDIATELY
        }
        ids = [n.pk for n in created[start:end] if n.recipient_id in wants_email]
        for first in range(0, len(ids), EMAIL_JOB_SIZE):
            enqueue_on_commit(
                "notifications.send_notification_emails",
                notification_ids=ids[first : first + EMAIL_JOB_SIZE],
            )
    return [end - start for start, end in spans]


def _notifications(
    *, recipients, kind: str, message, params=None, url: str = "", actor=None
) -> list[Notification]:
    rows = []
    texts = {}
    for pk, _emails, language in recipients:
        if actor is not None and pk == actor.pk:
            continue
        language = served_language(language)
        if language not in texts:
            with translation.override(language):
                texts[language] = message_render(message, params)
        rows.append(
            Notification(
                recipient_id=pk,
                actor=actor,
                kind=kind,
                message=texts[language],
                url=url,
            )
        )
    return rows


def mark_read(*, user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification by e-mail at most once. The conditional update
    on emailed_at is the claim: a second run (or a folded digest) finds it
    taken. On an SMTP error the claim is released and the error re-raised so
    the task retries with backoff."""
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if (
        not recipient.is_active
        or recipient.notification_emails != NotificationEmails.IMMEDIATELY
    ):
        return False
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification.pk, emailed_at__isnull=True
    ).update(emailed_at=now)
    if not claimed:
        return False
    try:
        mail.get_connection().send_messages(
            [notification_message(notification=notification)]
        )
    except Exception:
        email_claim_release(notification_ids=[notification.pk], at=now)
        raise
    return True


def notification_emails_send(*, notification_ids) -> int:
    """notification_email_send for each; each is claimed on its own, so a
    retry after an SMTP error sends only those not sent yet."""
    return sum(notification_email_send(notification_id=pk) for pk in notification_ids)


def email_claim(*, notifications, at) -> list[Notification]:
    """Stamp `notifications` as e-mailed at `at` (a digest folding them in);
    return those this call stamped: another sender may have taken some."""
    ids = [n.pk for n in notifications]
    if not ids:
        return []
    stamped = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
        emailed_at=at
    )
    if stamped != len(ids):
        mine = set(
            Notification.objects.filter(pk__in=ids, emailed_at=at).values_list(
                "pk", flat=True
            )
        )
        return [n for n in notifications if n.pk in mine]
    return list(notifications)


def email_claim_release(*, notification_ids, at) -> None:
    """Undo `email_claim` after the e-mail failed, so they go out later."""
    Notification.objects.filter(pk__in=notification_ids, emailed_at=at).update(
        emailed_at=None
    )
