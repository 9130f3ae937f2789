"""In-app notifications are written in the recipient's language (or the
organisation's, when they chose none), never in the language of whoever
triggered them: a German member's reply tells a French author in French and
an English watcher in English; a background job writes each member in theirs;
notify_many renders once per language and its query count stays flat."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from knowledge import adoptions, services, watching
from knowledge.models import FollowLevel, ItemKind
from members.models import NotificationEmails
from members.wording import in_sentence_lazy
from notifications.models import Notification
from notifications.services import notify, notify_many
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.clock import Clock
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def member_of(community, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, community=community)
    return user


def told(user, kind):
    return list(
        Notification.objects.filter(recipient=user, kind=kind).values_list(
            "message", flat=True
        )
    )


@pytest.fixture
def community(db):
    return CommunityFactory(name="Welders", slug="welders")


def test_a_german_members_reply_tells_each_reader_in_their_own_language(
    client, community, django_capture_on_commit_callbacks
):
    french = member_of(community, display_name="Chloé", language="fr")
    english = member_of(community, display_name="Emma", language="")
    german = member_of(community, display_name="Greta", language="de")
    item = services.item_create(
        author=french,
        community=community,
        kind=ItemKind.STORY,
        title="Night shift",
        body="Body.",
    )
    watching.follow_set(
        user=english, kind="item", target=item, level=FollowLevel.WATCHING
    )
    client.force_login(german)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "knowledge:reply_create",
                kwargs={"slug": community.slug, "pk": item.pk},
            ),
            {"body": "Bei uns auch."},
        )
    assert response.status_code == 302
    assert '<html lang="de">' in client.get(response["Location"]).content.decode()
    # The author hears by notify(), the watcher by the fan-out's notify_many().
    assert told(french, "knowledge.reply") == [
        f"Greta a répondu à «{NBSP}Night shift{NBSP}»"
    ]
    assert told(english, "knowledge.watch.reply") == ["Greta replied to “Night shift”"]


def test_labels_inside_a_message_are_in_the_recipients_language(community):
    french = member_of(community, language="fr")
    english = member_of(community, language="")
    german = member_of(community, language="de")
    other = CommunityFactory(name="Painters", slug="painters")
    MembershipFactory(user=german, community=other)
    for author in (french, english):
        item = services.item_create(
            author=author,
            community=community,
            kind=ItemKind.PRACTICE,
            title="Pair rounds",
            body="Body.",
        )
        with translation.override("de"):  # the adopter's request
            services.adoption_record(item=item, community=other, acting_user=german)
    assert told(french, "knowledge.adopted") == [
        f"Painters a adopté votre contribution «{NBSP}Pair rounds{NBSP}» (pratique)"
    ]
    assert told(english, "knowledge.adopted") == [
        "Painters adopted your practice “Pair rounds”"
    ]


def test_a_background_job_writes_each_member_in_their_language(community, monkeypatch):
    clock = Clock(monkeypatch, START)
    author = member_of(community)
    item = services.item_create(
        author=author,
        community=community,
        kind=ItemKind.STORY,
        title="Pair rounds",
        body="Body.",
    )
    french = member_of(CommunityFactory(name="Peintres"), language="fr")
    english = member_of(CommunityFactory(name="Painters"), language="")
    for adopter in (french, english):
        services.adoption_record(
            item=item,
            community=adopter.memberships.get().community,
            acting_user=adopter,
        )
    clock.day(30, START)
    # A worker left in another language by an earlier task changes nothing.
    with translation.override("de"):
        assert adoptions.adoption_checkins_notify() == 2
    assert told(french, "knowledge.adoption_checkin") == [
        f"Il y a 30 jours, Peintres a adopté «{NBSP}Pair rounds{NBSP}»{NBSP}: "
        f"cela a-t-il duré{NBSP}? Conservé, adapté ou abandonné{NBSP}?"
    ]
    assert told(english, "knowledge.adoption_checkin") == [
        "30 days ago Painters adopted “Pair rounds”: did it last? "
        "Kept, adapted or dropped?"
    ]


def test_notify_renders_in_the_organisations_language_when_theirs_is_missing():
    japanese = UserFactory(language="ja")  # not translated: English
    with translation.override("fr"):
        note = notify(
            recipient=japanese,
            kind="knowledge.reply",
            message=gettext_lazy("%(name)s replied to “%(title)s”"),
            params={"name": "Greta", "title": "Night shift"},
        )
    assert note.message == "Greta replied to “Night shift”"


@pytest.mark.parametrize("size", [2, 20])
def test_notify_many_renders_each_language_once_with_flat_queries(
    size, django_assert_num_queries
):
    languages = ["de", "fr", "", "ja"]
    people = {
        language: [
            UserFactory(language=language, notification_emails=NotificationEmails.OFF)
            for _ in range(size)
        ]
        for language in languages
    }
    recipients = [
        (user.pk, user.notification_emails, user.language)
        for users in people.values()
        for user in users
    ]
    # One bulk insert, whatever the number of members and languages.
    with translation.override("de"), django_assert_num_queries(1):
        count = notify_many(
            recipients=recipients,
            kind="knowledge.adopted",
            message=gettext_lazy("%(community)s adopted your %(kind)s “%(title)s”"),
            params={
                "community": "Painters",
                "kind": in_sentence_lazy(dict(ItemKind.choices)[ItemKind.PRACTICE]),
                "title": "Pair rounds",
            },
        )
    assert count == 4 * size
    expected = {
        "de": "Painters hat Ihren Beitrag „Pair rounds“ übernommen (Praxis)",
        "fr": (
            f"Painters a adopté votre contribution «{NBSP}Pair rounds{NBSP}» (pratique)"
        ),
        "": "Painters adopted your practice “Pair rounds”",
        "ja": "Painters adopted your practice “Pair rounds”",
    }
    for language, users in people.items():
        assert {
            message for user in users for message in told(user, "knowledge.adopted")
        } == {expected[language]}
