"""Following communities, tags, items and people: who may, what reaches
them at each level, and that nothing reaches anyone who may not see it."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from communities.models import Membership
from digests.deliver import digest_batch_send, recipient_ids
from knowledge import services, watching
from knowledge.models import Follow, FollowLevel, ItemKind, WatchFanout
from members.models import NotificationEmails, OutboxJob, User
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.digests.factories import START, at
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory
from tests.pages import walk

pytestmark = pytest.mark.django_db

FOLLOW_URL = reverse("knowledge:follow")
FOLLOWING_URL = reverse("knowledge:following")


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Publish through services and run the jobs enqueued on commit (the
    watch fan-out), as a request would."""

    def publish(**kwargs):
        kwargs.setdefault("kind", ItemKind.STORY)
        kwargs.setdefault("title", "A story")
        kwargs.setdefault("body", "Body.")
        with django_capture_on_commit_callbacks(execute=True):
            return services.item_create(**kwargs)

    return publish


@pytest.fixture
def reply(django_capture_on_commit_callbacks):
    def answer(*, item, author, body="Here is how."):
        with django_capture_on_commit_callbacks(execute=True):
            return services.reply_create(item=item, author=author, body=body)

    return answer


def follow(user, level=FollowLevel.WATCHING, **target):
    kind, value = next(iter(target.items()))
    watching.follow_set(user=user, kind=kind, target=value, level=level)


def kinds_for(user):
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def member_of(community, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, community=community)
    return user


# --- Permission table ------------------------------------------------------------


@pytest.fixture
def table(roles, community, private, member):
    """Everyone in the table, and an item in each community."""
    return {
        "people": roles,
        "community": community,
        "private": private,
        "open_item": ItemFactory(community=community, author=member, title="Open"),
        "private_item": ItemFactory(community=private, author=member, title="Secret"),
    }


# What POST /follow/ answers, per target, for each row of the table.
EXPECTED = {
    #                 anonymous outsider member private-m steward manager staff
    "open community": (302, 302, 302, 302, 302, 302, 302),
    "private community": (302, 404, 404, 302, 302, 404, 403),
    "open item": (302, 302, 302, 302, 302, 302, 302),
    "private item": (302, 404, 404, 302, 302, 404, 403),
    "tag": (302, 302, 302, 302, 302, 302, 302),
    "person": (302, 302, 302, 302, 302, 302, 302),
}


def _target(table, name):
    return {
        "open community": ("community", table["community"].slug),
        "private community": ("community", table["private"].slug),
        "open item": ("item", str(table["open_item"].pk)),
        "private item": ("item", str(table["private_item"].pk)),
        "tag": ("tag", "shift-handover"),
        "person": ("person", table["people"]["outsider"].username),
    }[name]


@pytest.mark.parametrize("target", list(EXPECTED))
def test_follow_permission_table(client, table, target):
    for index, (role, user) in enumerate(table["people"].items()):
        client.logout()
        if user is not None:
            client.force_login(user)
        kind, key = _target(table, target)
        if kind == "person" and user is not None and key == user.username:
            key = table["people"]["member"].username
        response = client.post(
            FOLLOW_URL, {"kind": kind, "key": key, "level": "watching"}
        )
        assert response.status_code == EXPECTED[target][index], (target, role)
        if user is None:
            assert reverse("account_login") in response["Location"]
            continue
        followed = Follow.objects.filter(user=user, **{kind: _lookup(table, kind, key)})
        assert followed.exists() == (response.status_code == 302), (target, role)


def _lookup(table, kind, key):
    if kind == "community":
        return (
            table["community"] if key == table["community"].slug else table["private"]
        )
    if kind == "item":
        return int(key)
    if kind == "person":
        return Follow._meta.get_field("person").related_model.objects.get(username=key)
    return key


def test_follow_is_post_only_with_csrf(table):
    from django.test import Client

    user = table["people"]["member"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    data = {"kind": "tag", "key": "lean", "level": "watching"}
    assert strict.get(FOLLOW_URL).status_code == 405
    assert strict.post(FOLLOW_URL, data).status_code == 403
    assert not Follow.objects.filter(user=user).exists()


def test_bad_input_is_a_message_not_an_error(member_client, member, community):
    bad_level = {"kind": "community", "key": community.slug, "level": "loud"}
    response = member_client.post(FOLLOW_URL, bad_level, follow=True)
    assert response.status_code == 200
    assert "Choose one of the levels offered." in response.content.decode()
    item_new = {"kind": "item", "key": "12345678", "level": "new_items"}
    assert member_client.post(FOLLOW_URL, item_new).status_code == 404
    assert (
        member_client.post(FOLLOW_URL, {"kind": "planet", "key": "x"}).status_code
        == 404
    )
    assert (
        member_client.post(FOLLOW_URL, {"kind": "item", "key": "x"}).status_code == 404
    )
    assert not Follow.objects.filter(user=member).exists()


def test_following_yourself_is_refused(member_client, member):
    data = {"kind": "person", "key": member.username, "level": "watching"}
    assert member_client.post(FOLLOW_URL, data).status_code == 403


@pytest.mark.parametrize(
    "role", ["outsider", "member", "private member", "steward", "manager", "staff"]
)
def test_following_page_permission_table(client, table, role):
    user = table["people"][role]
    client.force_login(user)
    response = client.get(FOLLOWING_URL)
    assert response.status_code == 200
    assert "You follow nothing yet." in response.content.decode()


def test_following_page_needs_login(client):
    response = client.get(FOLLOWING_URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_follow_changes_level_and_unfollows_and_goes_back(member_client, member, story):
    url = story.get_absolute_url()
    data = {"kind": "item", "key": story.pk, "level": "muted", "next": url}
    response = member_client.post(FOLLOW_URL, data)
    assert response["Location"] == url
    assert Follow.objects.get(user=member, item=story).level == FollowLevel.MUTED
    data["next"] = "https://evil.example/"
    data["level"] = ""
    response = member_client.post(FOLLOW_URL, data)
    assert response["Location"] == url  # an outside address is not followed
    assert not Follow.objects.filter(user=member, item=story).exists()


# --- Buttons on the pages ----------------------------------------------------------


def test_follow_forms_on_community_tag_item_and_profile_pages(
    member_client, member, community, story, other_member
):
    pages = {
        community.get_absolute_url(): f"Follow {community.name}",
        reverse("knowledge:tag", kwargs={"tag": "lean"}): "Follow lean",
        other_member.get_absolute_url(): f"Follow {other_member.display_name}",
    }
    for url, name in pages.items():
        html = member_client.get(url).content.decode()
        assert name in html, url
        assert 'name="csrfmiddlewaretoken"' in html
        assert f'action="{FOLLOW_URL}"' in html
    # The author watches their own item: the form says so.
    html = member_client.get(story.get_absolute_url()).content.decode()
    assert f"Save following of {story.title}" in html
    assert '<option value="watching" selected>' in html


def test_no_follow_form_on_your_own_profile(member_client, member):
    html = member_client.get(member.get_absolute_url()).content.decode()
    assert 'class="follow-form"' not in html


def test_staff_outside_a_private_community_see_no_follow_form(staff_client, private):
    html = staff_client.get(private.get_absolute_url()).content.decode()
    assert 'class="follow-form"' not in html


# --- Routing by level ------------------------------------------------------------


def test_levels_route_new_items_and_replies(post, reply, community, member):
    watcher = member_of(community)
    new_only = member_of(community)
    muted = member_of(community)
    follow(watcher, community=community)
    follow(new_only, FollowLevel.NEW_ITEMS, community=community)
    follow(muted, FollowLevel.MUTED, community=community)
    item = post(author=member, community=community)
    replier = member_of(community)
    reply(item=item, author=replier)
    assert kinds_for(watcher) == ["knowledge.watch.item", "knowledge.watch.reply"]
    assert kinds_for(new_only) == ["knowledge.watch.item"]
    assert kinds_for(muted) == []
    # The author watches their item: they hear of the reply once.
    assert kinds_for(member) == ["knowledge.reply"]
    # The replier now watches it too.
    assert Follow.objects.get(user=replier, item=item).level == FollowLevel.WATCHING


def test_tag_person_and_item_follows(post, reply, community, member):
    tag_fan, person_fan, item_fan = (member_of(community) for _ in range(3))
    follow(tag_fan, FollowLevel.NEW_ITEMS, tag="lean")
    follow(person_fan, person=member)
    item = post(author=member, community=community, tags=["lean"])
    untagged = post(author=UserFactory(), community=community, title="Other")
    follow(item_fan, item=untagged)
    reply(item=untagged, author=member)
    assert kinds_for(tag_fan) == ["knowledge.watch.item"]
    # Watching a person: their new items and their replies.
    assert kinds_for(person_fan) == ["knowledge.watch.item", "knowledge.watch.reply"]
    assert kinds_for(item_fan) == ["knowledge.watch.reply"]
    message = Notification.objects.get(recipient=tag_fan).message
    assert item.title in message and community.name in message


def test_a_muted_community_never_notifies(post, reply, community, member):
    muter = member_of(community)
    follow(muter, FollowLevel.MUTED, community=community)
    follow(muter, tag="lean")
    follow(muter, person=member)
    item = post(author=muter, community=community, tags=["lean"])
    post(author=member, community=community, tags=["lean"])
    reply(item=item, author=member)  # a reply to their own item
    services.helpful_set(item=item, acting_user=member, helpful=True)
    assert kinds_for(muter) == []


def test_muted_item_tag_and_person_silence_themselves(post, reply, community, member):
    fan = member_of(community)
    follow(fan, community=community)
    follow(fan, FollowLevel.MUTED, tag="noise")
    follow(fan, FollowLevel.MUTED, person=member)
    post(author=UserFactory(), community=community, tags=["noise"])
    post(author=member, community=community)
    mine = post(author=fan, community=community, title="Mine")
    follow(fan, FollowLevel.MUTED, item=mine)
    reply(item=mine, author=UserFactory())
    assert kinds_for(fan) == []


def test_private_items_reach_members_only_and_stop_after_leaving(
    post, reply, private, member, staff
):
    insider = member_of(private)
    leaver = member_of(private)
    outsider = UserFactory()
    for user in (insider, leaver, outsider, staff):
        follow(user, tag="secret")
        follow(user, person=member)
    follow(leaver, community=private)
    Membership.objects.filter(user=leaver, community=private).update(
        status=Membership.Status.LEFT
    )
    item = post(author=member, community=private, tags=["secret"])
    reply(item=item, author=member)
    assert kinds_for(insider) == ["knowledge.watch.item", "knowledge.watch.reply"]
    for user in (leaver, outsider, staff):
        assert kinds_for(user) == [], user


def test_fanout_runs_once(post, community, member):
    fan = member_of(community)
    follow(fan, community=community)
    item = post(author=member, community=community)
    assert watching.watch_fanout(item_id=item.pk) == 0
    assert kinds_for(fan) == ["knowledge.watch.item"]
    assert WatchFanout.objects.get(item=item, reply=None).recipients == 1


def test_hidden_item_reaches_nobody(community, member):
    fan = member_of(community)
    follow(fan, community=community)
    item = services.item_create(
        author=member, community=community, kind="story", title="T", body="B"
    )
    services.item_hide(item=item, acting_user=member)
    assert watching.watch_fanout(item_id=item.pk) == 0
    assert kinds_for(fan) == []


def test_immediate_email_preference_is_respected(post, community, member):
    loud = member_of(community, notification_emails=NotificationEmails.IMMEDIATELY)
    folded = member_of(community, notification_emails=NotificationEmails.DIGEST)
    never = member_of(community, notification_emails=NotificationEmails.OFF)
    for user in (loud, folded, never):
        follow(user, community=community)
    mail.outbox = []
    post(author=member, community=community, title="Night shift checklist")
    assert [m.to for m in mail.outbox] == [[loud.email]]
    assert "Night shift checklist" in mail.outbox[0].subject


@pytest.mark.parametrize("watchers", [3, 40])
def test_fanout_queries_do_not_grow_with_watchers(
    community, member, watchers, django_assert_num_queries
):
    for _ in range(watchers):
        follow(member_of(community), community=community)
    item = ItemFactory(community=community, author=member)
    # savepoint, item (and author), claim (one insert that skips a taken
    # one), watchers, one bulk insert, recipient count, release
    with django_assert_num_queries(7):
        assert watching.watch_fanout(item_id=item.pk) == watchers


@pytest.fixture
def news(community, private, member, other_member):
    """New items and replies not yet fanned out, in the order their jobs
    would run, and watchers of several kinds: one who wants e-mails at once,
    a private community's member, one who muted the replier; a hidden reply
    and a missing one, which reach nobody."""
    loud = member_of(community, notification_emails=NotificationEmails.IMMEDIATELY)
    insider = member_of(private)
    choosy = member_of(community)
    for user in (loud, insider, choosy):
        follow(user, community=community)
    follow(insider, community=private)
    follow(choosy, FollowLevel.MUTED, person=other_member)
    items = [
        ItemFactory(community=community, author=member, title="Open"),
        ItemFactory(community=private, author=member, title="Secret"),
        ItemFactory(community=community, author=other_member, title="Other"),
    ]
    replies = [
        ReplyFactory(item=items[0], author=other_member),
        ReplyFactory(item=items[1], author=insider),
        ReplyFactory(item=items[2], author=loud),
        ReplyFactory(item=items[0], author=loud, hidden_at=START),
    ]
    return [(item.pk, None) for item in items] + [
        *[(reply.item_id, reply.pk) for reply in replies],
        (items[0].pk, 9_999_999),
    ]


def told():
    return list(
        Notification.objects.order_by("pk").values_list(
            "recipient_id", "actor_id", "kind", "message", "url"
        )
    )


def emailed():
    """The recipients of each notification e-mail job, in job order."""
    recipient_of = dict(Notification.objects.values_list("pk", "recipient_id"))
    return [
        [recipient_of[pk] for pk in job.kwargs["notification_ids"]]
        for job in OutboxJob.objects.filter(
            task_name="notifications.send_notification_emails"
        ).order_by("pk")
    ]


def test_fanout_of_many_tells_what_each_job_would(news):
    """The batch writes the notifications (in the same order) and e-mail
    jobs the jobs one by one would; the jobs, and a second batch, then
    find every claim taken and tell nobody again."""
    with transaction.atomic():
        counts = [watching.watch_fanout(item_id=i, reply_id=r) for i, r in news]
        each, each_emailed = told(), emailed()
        transaction.set_rollback(True)
    # The private reply's only watcher wrote it; hidden and missing: nobody.
    assert counts == [3, 1, 2, 2, 0, 2, 0, 0]
    assert not Notification.objects.exists()
    assert watching.watch_fanout_many(pairs=news + news[:2]) == sum(counts)
    assert told() == each
    assert emailed() == each_emailed != []
    assert [
        (fanout.item_id, fanout.reply_id, fanout.recipients)
        for fanout in WatchFanout.objects.order_by("pk")
    ] == [(i, r, n) for (i, r), n in zip(news[:-2], counts[:-2], strict=True)]
    assert watching.watch_fanout_many(pairs=news) == 0
    assert not any(watching.watch_fanout(item_id=i, reply_id=r) for i, r in news)
    assert told() == each


@pytest.mark.parametrize("size", [1, 4])
def test_fanout_of_many_queries_do_not_grow_with_news(
    news, size, django_assert_num_queries
):
    pairs = news[:3] + news[3:][:size]
    # An e-mail job per fan-out that tells someone who wants one at once.
    User.objects.update(notification_emails=NotificationEmails.DIGEST)
    # savepoint, items, replies, claims, watchers (one statement), one bulk
    # insert, recipient counts, release
    with django_assert_num_queries(8):
        assert watching.watch_fanout_many(pairs=pairs)


# --- The Following page ---------------------------------------------------------


def test_following_page_lists_changes_and_hides_what_you_may_not_see(
    member_client, member, community, private, other_member
):
    open_item = ItemFactory(community=community, title="Open thing")
    secret_item = ItemFactory(community=private, title="Secret thing")
    follow(member, community=community)
    follow(member, FollowLevel.MUTED, community=private)
    follow(member, item=open_item)
    follow(member, item=secret_item)
    follow(member, FollowLevel.NEW_ITEMS, tag="lean")
    follow(member, person=other_member)
    html = member_client.get(FOLLOWING_URL).content.decode()
    for text in ("Shift Leads", "Key Accounts", "Open thing", "Secret thing", "#lean"):
        assert text in html
    assert other_member.display_name in html
    Membership.objects.filter(user=member, community=private).update(
        status=Membership.Status.LEFT
    )
    html = member_client.get(FOLLOWING_URL).content.decode()
    assert "Secret thing" not in html and "Key Accounts" not in html
    assert "Open thing" in html


def test_following_page_pages(member_client, member, settings):
    settings.PAGE_SIZE = 3
    for n in range(7):
        follow(member, tag=f"topic-{n}")
    pages = walk(member_client, FOLLOWING_URL)
    assert len(pages) == 3
    shown = [r["name"] for p in pages for r in p.context["rows"]]
    assert shown == [f"#topic-{n}" for n in reversed(range(7))]


@pytest.mark.parametrize("size", [2, 30])
def test_following_page_queries_do_not_grow(
    member_client, member, community, size, django_assert_num_queries
):
    for n in range(size):
        item = ItemFactory(community=community, title=f"Item {n}")
        follow(member, item=item)
        follow(member, person=UserFactory())
        follow(member, tag=f"t{n}")
    follow(member, community=community)
    # session, user, unread badge, count, page of follows (with their
    # communities, items and people)
    with django_assert_num_queries(5):
        assert member_client.get(FOLLOWING_URL).status_code == 200


# --- Digests ------------------------------------------------------------------


def test_digest_honours_muted_and_followed_communities():
    followed = CommunityFactory(name="Followed Guild")
    muted = CommunityFactory(name="Muted Guild")
    secret = CommunityFactory(name="Secret Squad", private=True)
    for community in (followed, muted, secret):
        ItemFactory(
            community=community, title=f"News of {community.name}", created_at=at(1)
        )
    reader = UserFactory()
    MembershipFactory(user=reader, community=muted)
    follow(reader, community=followed)
    follow(reader, FollowLevel.MUTED, community=muted)
    # A follow of a private community left behind brings nothing.
    Follow.objects.create(user=reader, community=secret, level=FollowLevel.WATCHING)
    assert reader.pk in set(recipient_ids(period="weekly"))
    digest_batch_send(period="weekly", start=START, member_ids=[reader.pk])
    [message] = mail.outbox
    assert "News of Followed Guild" in message.body
    assert "Muted Guild" not in message.body
    assert "Secret Squad" not in message.body


def test_a_follow_button_reads_each_kind_s_level_for_its_own_target():
    """follow_level's query is compiled once per kind
    (config.compiled_queries): each later call answers for its own user and
    target, as the ORM does."""
    from knowledge.selectors.follows import follow_level

    alice, bob = UserFactory(), UserFactory()
    one, two = CommunityFactory(), CommunityFactory()
    item = ItemFactory(community=one)
    follow(alice, community=one)
    follow(bob, level=FollowLevel.MUTED, community=two)
    follow(alice, level=FollowLevel.NEW_ITEMS, item=item)
    follow(alice, person=bob)
    follow(bob, level=FollowLevel.NEW_ITEMS, tag="lean")

    assert follow_level(user=alice, kind="community", target=one) == "watching"
    assert follow_level(user=alice, kind="community", target=two) == ""
    assert follow_level(user=bob, kind="community", target=two) == "muted"
    assert follow_level(user=bob, kind="community", target=one) == ""
    assert follow_level(user=alice, kind="item", target=item) == "new_items"
    assert follow_level(user=bob, kind="item", target=item) == ""
    assert follow_level(user=alice, kind="person", target=bob) == "watching"
    assert follow_level(user=bob, kind="person", target=alice) == ""
    assert follow_level(user=bob, kind="tag", target="lean") == "new_items"
    assert follow_level(user=alice, kind="tag", target="lean") == ""
    assert follow_level(user=bob, kind="tag", target="safety") == ""
