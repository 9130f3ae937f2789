"""Nothing is rendered per member: each community's part once per process
(across batches), the wrapper once per language, and the reader's own text
(name, notifications) is escaped into it. A digest rebuilt after a hide is
rendered again: hidden content never reaches a later batch."""

import pytest
from django.conf import settings
from django.core import mail

from digests import compose
from digests.deliver import digest_batch_send
from digests.redact import digests_redact_hidden
from knowledge.services import item_hide
from notifications.models import Notification
from notifications.services import notify
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guild():
    community = CommunityFactory(name="Platform Guild")
    readers = [
        UserFactory(email=f"reader{n}@example.com", display_name=f"Reader {n}")
        for n in range(3)
    ]
    for reader in readers:
        MembershipFactory(user=reader, community=community, joined_at=at(-300))
    story = ItemFactory(
        community=community, title="Blue-green deploys", created_at=at(1)
    )
    ItemFactory(community=community, title="Canary releases", created_at=at(2))
    return {"community": community, "readers": readers, "story": story}


@pytest.fixture
def rendered(monkeypatch):
    calls = []
    original = compose.digest_section

    def counting(digest, **kwargs):
        calls.append(digest.community_id)
        return original(digest, **kwargs)

    monkeypatch.setattr(compose, "digest_section", counting)
    return calls


def send(*members):
    return digest_batch_send(
        period="weekly", start=START, member_ids=[m.pk for m in members]
    )


def parts_to(member):
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    return message.body, message.alternatives[0][0]


def test_each_part_is_rendered_once_across_batches(guild, rendered):
    first, second, third = guild["readers"]
    send(first)
    send(second, third)
    assert rendered == [guild["community"].pk]
    for reader in guild["readers"]:
        text, html = parts_to(reader)
        assert "Blue-green deploys" in text and "Blue-green deploys" in html
        assert f"Hello {reader.display_name}," in text


def test_a_hidden_item_never_reaches_a_later_batch(guild, rendered):
    first, second, _third = guild["readers"]
    send(first)
    assert "Blue-green deploys" in parts_to(first)[0]
    steward = UserFactory()
    item_hide(item=guild["story"], acting_user=steward)
    assert digests_redact_hidden() == 1  # the stored digest is built again

    send(second)

    text, html = parts_to(second)
    assert "Blue-green deploys" not in text and "Blue-green deploys" not in html
    assert "Canary releases" in text and "Canary releases" in html
    assert rendered == [guild["community"].pk, guild["community"].pk]


def test_the_readers_own_text_is_escaped_in_html_only(guild):
    reader = UserFactory(email="zoe@example.com", display_name="Zoë <b>&</b>")
    MembershipFactory(user=reader, community=guild["community"])
    note = notify(
        recipient=reader,
        kind="knowledge.reply",
        message='Ines replied to "<script>" & more',
        url="/communities/platform/1-x/",
    )
    Notification.objects.filter(pk=note.pk).update(created_at=at(3))

    send(reader)

    text, html = parts_to(reader)
    assert "Hello Zoë <b>&</b>," in text
    assert "Hello Zoë &lt;b&gt;&amp;&lt;/b&gt;," in html
    assert 'Ines replied to "<script>" & more' in text
    assert "Ines replied to &quot;&lt;script&gt;&quot; &amp; more" in html
    assert "<script>" not in html
    link = settings.SITE_URL.rstrip("/") + "/communities/platform/1-x/"
    assert f'<a href="{link}" style="color:#0b6e99">Ines' in html
    assert "& more (" in text and f"\n  {link}\n" in text
    assert "[[" not in text and "[[" not in html


def test_more_notifications_than_folded_are_counted(guild):
    reader = guild["readers"][0]
    for n in range(23):
        note = notify(recipient=reader, kind="x.y", message=f"Note number {n}")
        Notification.objects.filter(pk=note.pk).update(created_at=at(3, n))

    send(reader)

    text, html = parts_to(reader)
    assert text.count("* Note number") == 20
    assert "...and 3 more in the app" in text
    assert "and 3 more in the app" in html
