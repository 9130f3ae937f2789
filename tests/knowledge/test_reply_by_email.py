"""Reply by e-mail: signed per-recipient reply addresses, and the one service
(behind the LMTP server and the Mailgun webhook) that turns an e-mailed reply
into a reply on the item, or refuses and logs it."""

import hashlib
import hmac
import smtplib
import threading
import time
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from knowledge.inbound import inbound_reply_receive
from knowledge.inbound_text import reply_text_strip
from knowledge.lmtp import lmtp_controller
from knowledge.models import InboundMailLog, Reply
from notifications.emails import notification_message
from notifications.models import Notification
from notifications.reply_addresses import (
    ReplyAddressError,
    reply_address,
    reply_token,
    reply_token_read,
    token_of,
)
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.conftest import free_port
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

DOMAIN = "reply.practica.test"
# A fixed clock: 5 Dec 2026 09:14 UTC.
NOW = 1796454840
Outcome = InboundMailLog.Outcome


@pytest.fixture(autouse=True)
def reply_settings(settings):
    settings.REPLY_BY_EMAIL_DOMAIN = DOMAIN
    settings.REPLY_BY_EMAIL_MAX_AGE_DAYS = 30
    settings.MAILGUN_WEBHOOK_SIGNING_KEY = "mailgun-signing-key"
    return settings


@pytest.fixture
def scene(db):
    community = CommunityFactory(name="Platform Guild")
    asker = UserFactory(display_name="Ada Asker", email="ada@example.com")
    mia = UserFactory(display_name="Mia Member", email="Mia@Example.com")
    MembershipFactory(user=asker, community=community)
    MembershipFactory(user=mia, community=community)
    item = ItemFactory(
        community=community, author=asker, kind="question", title="How to deploy?"
    )
    return {"community": community, "asker": asker, "mia": mia, "item": item}


def receive(address, *, sender="Mia Member <mia@example.com>", text, mid="<m1@x>"):
    return inbound_reply_receive(
        channel="lmtp", sender=sender, recipient=address, message_id=mid, text=text
    )


def address_for(member, item, **kwargs):
    return reply_address(member_id=member.pk, item_id=item.pk, **kwargs)


# --- Addresses ----------------------------------------------------------------


def test_token_round_trip_is_compact_and_survives_lowercasing_or_uppercasing():
    token = reply_token(member_id=123456, item_id=987654, issued_at=NOW)
    assert token == token.lower() and len(token) <= 40
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert reply_token_read(token, now=NOW + 60) == (123456, 987654, NOW)
    assert reply_token_read(token.upper(), now=NOW + 60) == (123456, 987654, NOW)
    address = reply_address(member_id=1, item_id=2)
    assert address.startswith("reply+") and address.endswith(f"@{DOMAIN}")
    assert len(address.split("@")[0]) <= 64  # RFC 5321 local part
    assert token_of(address.upper()) == token_of(address)


def test_tampered_foreign_and_expired_tokens_are_refused():
    token = reply_token(member_id=5, item_id=7, issued_at=NOW)
    tampered = ("b" if token[3] != "b" else "c").join([token[:3], token[4:]])
    for bad in (tampered, token[:-2], "", "notbase32!!", "a" * 80):
        with pytest.raises(ReplyAddressError) as refused:
            reply_token_read(bad, now=NOW)
        assert refused.value.reason == "forged"
    with pytest.raises(ReplyAddressError) as refused:
        reply_token_read(token, now=NOW + 31 * 86400)
    assert refused.value.reason == "expired"
    assert reply_token_read(token, now=NOW + 29 * 86400)[0] == 5
    # Another site's key signs differently.
    with pytest.raises(ReplyAddressError):
        from django.test import override_settings

        with override_settings(SECRET_KEY="another-site"):
            reply_token_read(token, now=NOW)
    assert token_of(f"reply+{token}@elsewhere.test") == ""
    assert token_of(f"other+{token}@{DOMAIN}") == ""


def test_no_domain_means_no_addresses(settings):
    settings.REPLY_BY_EMAIL_DOMAIN = ""
    assert reply_address(member_id=1, item_id=2) == ""


# --- The service ----------------------------------------------------------------


def test_a_valid_reply_becomes_a_reply_through_the_web_forms_service(scene):
    mia, item = scene["mia"], scene["item"]
    log = receive(
        address_for(mia, item),
        text="Use the blue-green pipeline.\n\nOn Fri, Ada wrote:\n> How to deploy?\n",
    )
    assert log.outcome == Outcome.ACCEPTED, log.reason
    reply = Reply.objects.get()
    assert log.reply == reply and log.member == mia and log.item_id == item.pk
    assert reply.author == mia and reply.body == "Use the blue-green pipeline."
    assert "<p>Use the blue-green pipeline.</p>" in reply.body_html
    item.refresh_from_db()
    assert item.reply_count == 1 and item.first_reply_at is not None
    # As on the web: the asker hears of it.
    note = Notification.objects.get(recipient=scene["asker"])
    assert "Mia Member answered your question" in note.message


def test_forged_and_expired_addresses_are_refused_and_logged(scene):
    mia, item = scene["mia"], scene["item"]
    good = address_for(mia, item)
    token = token_of(good)
    forged = f"reply+{token[:-1]}{'a' if token[-1] != 'a' else 'b'}@{DOMAIN}"
    expired = address_for(mia, item, issued_at=int(time.time()) - 31 * 86400)
    other_member = reply_address(member_id=scene["asker"].pk, item_id=item.pk)
    cases = [
        (forged, Outcome.FORGED),
        (f"reply+zzzz@{DOMAIN}", Outcome.FORGED),
        ("someone@elsewhere.test", Outcome.FORGED),
        (expired, Outcome.EXPIRED),
        # A genuine address of someone else, sent from Mia's mailbox.
        (other_member, Outcome.WRONG_SENDER),
    ]
    for n, (address, outcome) in enumerate(cases):
        log = receive(address, text="Hello", mid=f"<f{n}@x>")
        assert (log.outcome, log.pk is not None) == (outcome, True), address
        assert log.reason and log.reply is None
    assert not Reply.objects.exists()
    assert InboundMailLog.objects.count() == len(cases)


def test_a_replay_is_refused(scene):
    address = address_for(scene["mia"], scene["item"])
    assert receive(address, text="First!", mid="<a@x>").outcome == Outcome.ACCEPTED
    again = receive(address, text="First!", mid="<a@x>")
    assert again.outcome == Outcome.REPLAYED and "Message-ID" in again.reason
    resent = receive(address, text="First!", mid="<b@x>")
    assert resent.outcome == Outcome.REPLAYED and "same address" in resent.reason
    # Something new through the same address is a new reply.
    assert receive(address, text="Also...", mid="<c@x>").outcome == Outcome.ACCEPTED
    assert Reply.objects.count() == 2


def test_no_longer_allowed_is_refused(scene):
    mia, item, community = scene["mia"], scene["item"], scene["community"]
    address = address_for(mia, item)
    Membership.objects.filter(user=mia).update(status=Membership.Status.LEFT)
    log = receive(address, text="Still here?", mid="<1@x>")
    assert log.outcome == Outcome.NOT_ALLOWED
    Membership.objects.filter(user=mia).update(status=Membership.Status.ACTIVE)
    item.hidden_at = timezone.now()
    item.save(update_fields=["hidden_at"])
    assert receive(address, text="Hidden?", mid="<2@x>").outcome == Outcome.NOT_ALLOWED
    item.hidden_at = None
    item.save(update_fields=["hidden_at"])
    community.archived_at = timezone.now()
    community.save(update_fields=["archived_at"])
    assert (
        receive(address, text="Archived?", mid="<3@x>").outcome == Outcome.NOT_ALLOWED
    )
    gone = address_for(mia, item)
    item.delete()
    assert receive(gone, text="Deleted?", mid="<4@x>").outcome == Outcome.NOT_ALLOWED
    mia.is_active = False
    mia.save(update_fields=["is_active"])
    assert not Reply.objects.exists()


def test_outsiders_of_a_private_community_cannot_reply(db):
    secret = CommunityFactory(private=True)
    item = ItemFactory(community=secret)
    outsider = UserFactory(email="out@example.com")
    log = receive(
        address_for(outsider, item), sender="out@example.com", text="Let me in"
    )
    assert log.outcome == Outcome.NOT_ALLOWED
    member = UserFactory(email="in@example.com")
    MembershipFactory(user=member, community=secret)
    log = receive(address_for(member, item), sender="in@example.com", text="Hi")
    assert log.outcome == Outcome.ACCEPTED


def test_an_empty_reply_is_refused(scene):
    log = receive(
        address_for(scene["mia"], scene["item"]),
        text="\n\nOn Fri, 4 Dec 2026, Ada wrote:\n> How to deploy?\n-- \nMia\n",
    )
    assert log.outcome == Outcome.EMPTY and not Reply.objects.exists()


def test_a_too_long_reply_is_refused_with_the_reason(scene):
    log = receive(address_for(scene["mia"], scene["item"]), text="x" * 20001)
    assert log.outcome == Outcome.INVALID and "20000" in log.reason


# --- Quoting ----------------------------------------------------------------------

GMAIL = """Thanks, that fixed it. We now pin the image digest.

On Sat, Dec 5, 2026 at 9:14 AM Practica <reply+abc@reply.practica.test>
wrote:

> Ada Asker answered your question "How to deploy?"
>
> Open in Practica: https://practica.example.com/...
"""

OUTLOOK = """Agreed - let's try it on Monday.

Mia Member
Platform team

________________________________
From: Practica <practica@practica.example.com>
Sent: Saturday, December 5, 2026 9:14 AM
To: Mia Member <mia@example.com>
Subject: Ada Asker answered your question

Ada Asker answered your question "How to deploy?"
"""

OUTLOOK_CLASSIC = """Agreed.

-----Original Message-----
From: Practica
Sent: Saturday, December 5, 2026 9:14 AM
"""

APPLE = """Short answer: yes.

Longer one: only behind the flag.

Sent from my iPhone

> On 5 Dec 2026, at 09:14, Practica <reply+abc@reply.practica.test> wrote:
>
> Ada Asker answered your question
"""

INLINE_AND_SIGNATURE = """> Should we pin versions?
Yes, always.
> And the base image?
That too.

-- \nMia Member | Platform team
"""


@pytest.mark.parametrize(
    "text,expected",
    [
        (GMAIL, "Thanks, that fixed it. We now pin the image digest."),
        (OUTLOOK, "Agreed - let's try it on Monday.\n\nMia Member\nPlatform team"),
        (OUTLOOK_CLASSIC, "Agreed."),
        (APPLE, "Short answer: yes.\n\nLonger one: only behind the flag."),
        (INLINE_AND_SIGNATURE, "Yes, always.\nThat too."),
        ("Plain answer.\r\nSecond line.\r\n", "Plain answer.\nSecond line."),
        ("Am 05.12.2026 um 09:14 schrieb Practica:\n> Hallo", ""),
    ],
    ids=["gmail", "outlook", "outlook-classic", "apple", "inline", "crlf", "german"],
)
def test_quoting_is_stripped(text, expected):
    assert reply_text_strip(text) == expected


# --- Reply-To on notification e-mails ---------------------------------------------


def test_reply_to_only_when_configured_and_about_an_item_one_may_reply_on(
    scene, settings
):
    mia, item = scene["mia"], scene["item"]
    about_item = Notification.objects.create(
        recipient=mia, kind="knowledge.reply", message="x", url=item.get_absolute_url()
    )
    message = notification_message(notification=about_item)
    [reply_to] = message.reply_to
    assert token_of(reply_to) and reply_token_read(token_of(reply_to))[:2] == (
        mia.pk,
        item.pk,
    )
    assert "Reply-To" in message.message()
    # Not about an item: no Reply-To.
    other = Notification.objects.create(recipient=mia, kind="x", message="x", url="/")
    assert notification_message(notification=other).reply_to == []
    # A recipient who may not reply there (an outsider of a private one).
    secret_item = ItemFactory(community=CommunityFactory(private=True))
    outsider_note = Notification.objects.create(
        recipient=mia, kind="x", message="x", url=secret_item.get_absolute_url()
    )
    assert notification_message(notification=outsider_note).reply_to == []
    settings.REPLY_BY_EMAIL_DOMAIN = ""
    assert notification_message(notification=about_item).reply_to == []
    assert "Reply-To" not in notification_message(notification=about_item).message()


# --- The LMTP server ----------------------------------------------------------------


def _mail(*, to, sender="Mia Member <mia@example.com>", body, mid):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Ada Asker answered your question"
    message["Message-ID"] = mid
    message.set_content(body)
    return message


@pytest.mark.django_db(transaction=True)
def test_lmtp_server_end_to_end(scene):
    port = free_port()
    controller = lmtp_controller(host="127.0.0.1", port=port)
    controller.start()
    try:
        address = address_for(scene["mia"], scene["item"])
        with smtplib.LMTP("127.0.0.1", port) as client:
            message = _mail(to=address, body=GMAIL, mid="<lmtp-1@example.com>")
            client.send_message(message, "mia@example.com", [address])
            # The same message again (a mail system's retry) is "delivered".
            client.send_message(message, "mia@example.com", [address])
            forged = address.replace("reply+", "reply+a")
            with pytest.raises(smtplib.SMTPDataError) as refused:
                client.send_message(
                    _mail(to=forged, body="Hi", mid="<lmtp-2@example.com>"),
                    "mia@example.com",
                    [forged],
                )
            assert refused.value.smtp_code == 550
            assert refused.value.smtp_error.startswith(b"5.7.1 Reply refused (forged):")
            # One recipient per transaction: the mail system sends again.
            client.mail("mia@example.com")
            assert client.rcpt(address)[0] == 250
            assert client.rcpt(forged)[0] == 452
            client.rset()
    finally:
        controller.stop()
    [reply] = Reply.objects.all()
    assert reply.author == scene["mia"]
    assert reply.body == "Thanks, that fixed it. We now pin the image digest."
    outcomes = list(
        InboundMailLog.objects.order_by("id").values_list("outcome", flat=True)
    )
    assert outcomes == [Outcome.ACCEPTED, Outcome.REPLAYED, Outcome.FORGED]


@pytest.mark.django_db(transaction=True)
def test_receive_replies_command_serves_until_stopped(scene):
    from knowledge.management.commands import receive_replies

    port = free_port()
    thread = threading.Thread(
        target=call_command, args=["receive_replies", "--port", str(port)]
    )
    thread.start()
    try:
        address = address_for(scene["mia"], scene["item"])
        for _attempt in range(50):
            try:
                client = smtplib.LMTP("127.0.0.1", port)
                break
            except OSError:
                time.sleep(0.1)
        with client:
            client.send_message(
                _mail(to=address, body="Over LMTP.", mid="<cmd@x>"),
                "mia@example.com",
                [address],
            )
    finally:
        receive_replies.stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert Reply.objects.get().body == "Over LMTP."


# --- The Mailgun webhook -----------------------------------------------------------


def _mailgun_post(*, recipient, body, sender="Mia Member <mia@example.com>", key=None):
    timestamp, token = str(int(time.time())), "t" * 50
    key = key or "mailgun-signing-key"
    signature = hmac.new(
        key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "recipient": recipient,
        "sender": "bounces@example.com",
        "from": sender,
        "subject": "Re: your question",
        "body-plain": body,
        "stripped-text": body.split("\n\nOn ")[0],
        "Message-Id": "<mg-1@example.com>",
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


def test_webhook_with_a_valid_signature_posts_the_reply(client, scene):
    url = reverse("knowledge:inbound_mailgun")
    assert url == "/inbound/mailgun/"
    address = address_for(scene["mia"], scene["item"])
    response = client.post(url, _mailgun_post(recipient=address, body=GMAIL))
    assert response.status_code == 200
    assert Reply.objects.get().author == scene["mia"]
    # Mailgun posting it again: taken, nothing new.
    again = client.post(url, _mailgun_post(recipient=address, body=GMAIL))
    assert again.status_code == 200 and Reply.objects.count() == 1
    # A refused reply: 406, so Mailgun does not retry.
    forged = address.replace("reply+", "reply+a")
    data = _mailgun_post(recipient=forged, body="Hi")
    data["Message-Id"] = "<mg-2@example.com>"
    refused = client.post(url, data)
    assert refused.status_code == 406
    assert InboundMailLog.objects.filter(outcome=Outcome.FORGED).count() == 1


def test_webhook_refuses_a_bad_or_missing_signature(client, scene, settings):
    url = reverse("knowledge:inbound_mailgun")
    address = address_for(scene["mia"], scene["item"])
    bad = _mailgun_post(recipient=address, body="Hi", key="guessed")
    assert client.post(url, bad).status_code == 406
    settings.MAILGUN_WEBHOOK_SIGNING_KEY = ""
    unsigned = _mailgun_post(recipient=address, body="Hi")
    assert client.post(url, unsigned).status_code == 406
    assert not Reply.objects.exists()
    logs = InboundMailLog.objects.all()
    assert [log.reason for log in logs] == ["webhook signature invalid"] * 2
    # No CSRF token needed, but only POST; garbage never 500s.
    assert client.get(url).status_code == 405
    assert client.post(url, {"timestamp": "x"}).status_code == 406
    assert client.post(url, "\x00", content_type="text/plain").status_code in (
        400,
        406,
    )


def test_admin_lists_the_inbound_log(client, scene):
    receive("nobody@elsewhere.test", text="Hi")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(reverse("admin:knowledge_inboundmaillog_changelist"))
    assert page.status_code == 200 and b"nobody@elsewhere.test" in page.content
    assert mail.outbox == []


# --- Who may reply by e-mail: the web form's own rule ------------------------------

# Replying is for active members of the item's community (stewards included);
# staff and managers outside it may read, not reply. "anonymous" has no
# address: a made-up one is forged.
MAY_REPLY = {
    "open": {
        "anonymous": Outcome.FORGED,
        "outsider": Outcome.NOT_ALLOWED,
        "member": Outcome.ACCEPTED,
        "private_member": Outcome.NOT_ALLOWED,
        "steward": Outcome.ACCEPTED,
        "manager": Outcome.NOT_ALLOWED,
        "staff": Outcome.NOT_ALLOWED,
    },
    "private": {
        "anonymous": Outcome.FORGED,
        "outsider": Outcome.NOT_ALLOWED,
        "member": Outcome.NOT_ALLOWED,
        "private_member": Outcome.ACCEPTED,
        "steward": Outcome.ACCEPTED,
        "manager": Outcome.NOT_ALLOWED,
        "staff": Outcome.NOT_ALLOWED,
    },
}


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", list(MAY_REPLY["open"]))
def test_permission_table(db, where, role):
    from tests.knowledge.roles import build_world

    world = build_world()
    item = world.open_item if where == "open" else world.private_item
    if role == "anonymous":
        address, sender = f"reply+{'a' * 34}@{DOMAIN}", "anon@example.com"
    else:
        person = world.people[role]
        address, sender = address_for(person, item), person.email
    log = receive(address, sender=sender, text="By e-mail.")
    assert log.outcome == MAY_REPLY[where][role], log.reason
    assert Reply.objects.filter(item=item).exists() == (log.outcome == "accepted")


@pytest.mark.parametrize("size", [1, 8])
def test_webhook_query_count_does_not_grow_with_the_item(
    client, scene, size, django_assert_num_queries
):
    """An accepted reply costs the same queries with 1 or 8 earlier replies
    and watchers (the fan-out is an outbox job, counted here as enqueued)."""
    from tests.knowledge.factories import ReplyFactory

    item = scene["item"]
    for _ in range(size):
        watcher = UserFactory()
        MembershipFactory(user=watcher, community=scene["community"])
        ReplyFactory(item=item, author=watcher)
    data = _mailgun_post(recipient=address_for(scene["mia"], item), body="Pinned.")
    with django_assert_num_queries(QUERIES_PER_ACCEPTED_REPLY):
        response = client.post(reverse("knowledge:inbound_mailgun"), data)
    assert response.status_code == 200


# Token, member and sender checks, the replay check under two advisory locks,
# then check_reply_create as on the web (savepoints included, and the reply's
# constraint check for recommended answers in its full_clean).
QUERIES_PER_ACCEPTED_REPLY = 33
