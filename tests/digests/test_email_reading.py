"""The digest e-mail, redesigned for reading (issue 13) and carrying each
reader's own reply-by-e-mail addresses (issue 12): headings per community and
section in both parts, newest and most helpful first, older unanswered
questions in a short list of their own, correct plurals, times in the
reader's zone, never the reader as her own expert; all of it with each
community's part still rendered once per batch (and zone)."""

import re

import pytest
from django.core import mail

from communities.models import Membership
from digests import compose
from digests.deliver import digest_batch_send
from knowledge.inbound import inbound_reply_receive
from knowledge.models import FollowLevel, ItemKind, Reply
from knowledge.watching import follow_set
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
DOMAIN = "reply.practica.test"
ADDRESS = re.compile(r"reply\+[a-z2-7]+@" + re.escape(DOMAIN))


@pytest.fixture
def guild():
    c = CommunityFactory(name="Platform Guild")
    mia = UserFactory(
        display_name="Mia Member",
        email="mia@example.com",
        time_zone="Asia/Tokyo",
        expertise=["kubernetes"],
    )
    otto = UserFactory(
        display_name="Otto Other",
        email="otto@example.com",
        time_zone="Europe/Berlin",
        expertise=["kubernetes"],
    )
    asker = UserFactory(display_name="Asha Asker")
    for person in (mia, otto, asker):
        MembershipFactory(user=person, community=c, joined_at=at(-300))
    story = ItemFactory(
        community=c,
        author=asker,
        title="Blue-green deploys",
        created_at=at(1, 1),
        helpful_count=3,
        tags=["kubernetes"],
    )
    quiet = ItemFactory(
        community=c, author=asker, title="A quiet lesson", created_at=at(2)
    )
    fresh = ItemFactory(
        community=c,
        author=asker,
        kind=ItemKind.QUESTION,
        title="Which ingress controller?",
        created_at=at(3),
        tags=["kubernetes"],
    )
    ancient = ItemFactory(
        community=c,
        author=asker,
        kind=ItemKind.QUESTION,
        title="Where is the wiki?",
        created_at=at(-164),
        tags=["kubernetes"],
    )
    # Mia's own story on the period's busiest tag makes her "who knows what".
    helpful = ItemFactory(
        community=c, author=mia, title="Our cluster", created_at=at(-50)
    )
    helpful.tags.set(["kubernetes"])
    HelpfulMarkFactory(item=helpful, user=asker)
    return {
        "community": c,
        "mia": mia,
        "otto": otto,
        "story": story,
        "quiet": quiet,
        "fresh": fresh,
        "ancient": ancient,
    }


def send(*members):
    return digest_batch_send(
        period="weekly", start=START, member_ids=[m.pk for m in members]
    )


def parts_to(member):
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    return message.body, message.alternatives[0][0]


def test_both_parts_have_a_clear_hierarchy(guild):
    send(guild["mia"])
    text, html = parts_to(guild["mia"])
    assert "Your week in Practica\n=====================" in text
    assert "Platform Guild\n==============" in text
    assert "What we learned\n---------------" in text
    assert "New questions: can you help?\n----------------------------" in text
    assert "Still waiting for an answer\n---------------------------" in text
    assert re.search(r"<h1[^>]*>Your week in Practica</h1>", html)
    assert re.search(r"<h2[^>]*><a [^>]*>Platform Guild</a></h2>", html)
    assert re.search(r"<h3[^>]*>What we learned</h3>", html)
    assert re.search(r"<h3[^>]*>Still waiting for an answer</h3>", html)
    # No marker of the per-reader pass is left behind.
    assert "[[" not in text and "[[" not in html


def test_newest_and_most_helpful_first_old_questions_at_the_end(guild):
    send(guild["mia"])
    text, html = parts_to(guild["mia"])
    for part in (text, html):
        order = [
            part.index("Blue-green deploys"),  # 3 helpful
            part.index("A quiet lesson"),
            part.index("Which ingress controller?"),  # asked this week
            part.index("Still waiting for an answer"),
            part.index("Where is the wiki?"),  # 164 days ago
        ]
        assert order == sorted(order)
    assert "asked 171 days ago" in text  # at the end of the week


def test_plurals_are_right(guild):
    lone = CommunityFactory(name="Lone Guild")
    reader = UserFactory(email="lone@example.com")
    MembershipFactory(user=reader, community=lone)
    item = ItemFactory(community=lone, title="Only one", created_at=at(1))
    HelpfulMarkFactory(item=item)
    send(reader)
    text, html = parts_to(reader)
    for part in (text, html):
        assert "1 new item" in part and "1 new items" not in part
        assert "0 replies" in part and "1 active member" in part
        assert "helpful to 1 person" in part


def test_times_are_in_the_readers_zone_with_the_zone_named(guild):
    send(guild["mia"], guild["otto"])
    # Posted at 01:00 UTC on Tuesday 3 Nov 2026.
    mia_text, mia_html = parts_to(guild["mia"])
    otto_text, otto_html = parts_to(guild["otto"])
    assert "Tue 3 Nov, 10:00 JST" in mia_text and "Tue 3 Nov, 10:00 JST" in mia_html
    assert "Tue 3 Nov, 02:00 CET" in otto_text
    assert "Tue 3 Nov, 02:00 CET" in otto_html


def test_the_reader_is_never_her_own_expert(guild):
    send(guild["mia"], guild["otto"])
    mia_text, mia_html = parts_to(guild["mia"])
    otto_text, otto_html = parts_to(guild["otto"])
    for text, html, me, other in (
        (mia_text, mia_html, "Mia Member", "Otto Other"),
        (otto_text, otto_html, "Otto Other", "Mia Member"),
    ):
        lines = [line for line in text.splitlines() if "Who could answer" in line]
        assert lines and all(me not in line for line in lines)
        assert all(other in line for line in lines)
        assert html.count("Who could answer") == len(lines)
    # "Who knows what" names Mia to Otto, not to herself.
    assert "* Mia Member: kubernetes" in otto_text and "Mia Member</a>:" in otto_html
    assert "Who knows what" in mia_text and "Who knows what" in mia_html
    assert "* Mia Member:" not in mia_text and "Mia Member</a>:" not in mia_html


def test_a_sole_knower_is_not_shown_an_empty_who_knows_what(guild):
    guild["story"].tags.clear()  # Asha's helpful story no longer counts
    send(guild["mia"], guild["otto"])
    mia_text, mia_html = parts_to(guild["mia"])
    otto_text, otto_html = parts_to(guild["otto"])
    assert "* Mia Member: kubernetes" in otto_text and "Who knows what" in otto_html
    assert "Who knows what" not in mia_text and "Who knows what" not in mia_html


def test_each_communitys_part_is_rendered_once_whatever_the_zones(guild, monkeypatch):
    """Times are written per reader: readers in Tokyo and Berlin share one
    rendering of the community's part."""
    rendered = []
    original = compose.digest_section

    def counting(digest, **kwargs):
        rendered.append(digest.community_id)
        return original(digest, **kwargs)

    monkeypatch.setattr(compose, "digest_section", counting)
    tokyo_too = UserFactory(email="t2@example.com", time_zone="Asia/Tokyo")
    MembershipFactory(user=tokyo_too, community=guild["community"])
    send(guild["mia"], guild["otto"], tokyo_too)
    assert len(mail.outbox) == 3
    assert rendered == [guild["community"].pk]
    assert "10:00 JST" in parts_to(tokyo_too)[0]
    assert "02:00 CET" in parts_to(guild["otto"])[0]


# --- Reply by e-mail in the digest ------------------------------------------------


def test_no_reply_addresses_when_reply_by_email_is_off(guild, settings):
    settings.REPLY_BY_EMAIL_DOMAIN = ""
    send(guild["mia"])
    text, html = parts_to(guild["mia"])
    assert "Reply by e-mail" not in text and "Reply by e-mail" not in html
    assert "reply+" not in text + html


def _address_under(text: str, title: str) -> str:
    """The reply address listed under the item called `title`."""
    after = text[text.index(title) :]
    return ADDRESS.search(after).group(0)


def test_each_reader_gets_her_own_addresses_and_each_replies_as_her(guild, settings):
    settings.REPLY_BY_EMAIL_DOMAIN = DOMAIN
    send(guild["mia"], guild["otto"])
    mia_text, mia_html = parts_to(guild["mia"])
    otto_text, otto_html = parts_to(guild["otto"])
    mia_addresses = set(ADDRESS.findall(mia_text))
    otto_addresses = set(ADDRESS.findall(otto_text))
    # Every item listed: 2 learned, 1 new question, 1 still waiting.
    assert len(mia_addresses) == len(otto_addresses) == 4
    assert not mia_addresses & otto_addresses
    assert set(ADDRESS.findall(mia_html)) == mia_addresses
    assert set(ADDRESS.findall(otto_html)) == otto_addresses
    assert "mailto:reply+" in mia_html

    for member, text in ((guild["mia"], mia_text), (guild["otto"], otto_text)):
        address = _address_under(text, "Which ingress controller?")
        log = inbound_reply_receive(
            channel="lmtp",
            sender=member.email,
            recipient=address,
            message_id=f"<{member.pk}@example.com>",
            text=f"Traefik, says {member.display_name}.\n\n> quoted",
        )
        assert log.outcome == "accepted", log.reason
    replies = Reply.objects.filter(item=guild["fresh"]).order_by("id")
    assert [(r.author, r.body) for r in replies] == [
        (guild["mia"], "Traefik, says Mia Member."),
        (guild["otto"], "Traefik, says Otto Other."),
    ]
    # One reader's address is no use to another.
    stolen = _address_under(mia_text, "Blue-green deploys")
    log = inbound_reply_receive(
        channel="lmtp",
        sender=guild["otto"].email,
        recipient=stolen,
        message_id="<stolen@example.com>",
        text="Me too",
    )
    assert log.outcome == "wrong_sender"


def test_no_address_where_the_reader_may_not_reply(guild, settings):
    """A follower of an open community who is not a member reads it but may
    not reply; a member who left a private one gets nothing of it."""
    settings.REPLY_BY_EMAIL_DOMAIN = DOMAIN
    follower = UserFactory(email="fan@example.com")
    follow_set(
        user=follower,
        kind="community",
        target=guild["community"],
        level=FollowLevel.WATCHING,
    )
    secret = CommunityFactory(name="Secret Squad", private=True)
    ItemFactory(community=secret, title="Secret plan", created_at=at(1))
    MembershipFactory(user=follower, community=secret, status=Membership.Status.LEFT)
    send(follower)
    text, html = parts_to(follower)
    assert "Blue-green deploys" in text
    assert "Secret plan" not in text + html
    assert "reply+" not in text + html and "Reply by e-mail" not in text


@pytest.mark.parametrize("domain", ["", DOMAIN])
def test_a_part_settled_once_per_zone_reads_as_settled_per_reader(
    guild, settings, domain
):
    """Readers the part does not name share one settling per zone and
    language (their addresses put in afterwards); named ones get their own.
    Either way each reads exactly what the walk over the whole part gives."""
    from digests.build import digest_build

    settings.REPLY_BY_EMAIL_DOMAIN = domain
    digest = digest_build(community=guild["community"], period="weekly", start=START)
    section = compose.digest_section(digest, base_url="https://practica.test")
    assert {guild["mia"].pk, guild["otto"].pk} <= section["named"]
    readers = [guild["mia"], guild["otto"]] + [
        UserFactory(time_zone=zone)
        for zone in ("Asia/Tokyo", "Asia/Tokyo", "Europe/Berlin", "Asia/Tokyo")
    ]
    for may_reply in (True, False):
        for member in readers:
            reader = compose.Reader(
                member_id=member.pk, zone=compose.zone_of(member), issued_at=1
            )
            walked = compose.Reader(
                member_id=member.pk, zone=compose.zone_of(member), issued_at=1
            )
            expected = tuple(
                compose._settle(
                    section[part],
                    reader=walked,
                    experts=section["experts"],
                    may_reply=may_reply,
                    escape=escape,
                )
                for part, escape in (("html", compose.html_lib.escape), ("text", str))
            )
            got = compose.personalise(section, reader=reader, may_reply=may_reply)
            assert got == expected
    # The four unnamed readers: two zones, with and without addresses (the
    # named ones were settled each on her own).
    assert len(section["settled"]) == (4 if domain else 2)
    if domain:
        assert "reply+" in "".join(
            compose.personalise(
                section,
                reader=compose.Reader(
                    member_id=readers[2].pk, zone=compose.zone_of(readers[2])
                ),
                may_reply=True,
            )
        )
