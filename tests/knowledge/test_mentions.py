"""@mentions: rendered as profile links, told once, only to those who may
read the content; role groups limited; the typeahead lists only people the
author may mention."""

import uuid

import pytest
from django.urls import reverse

from communities.models import Membership
from knowledge import mentions, services, watching
from knowledge.models import FollowLevel, ItemKind, Mention
from members.markup import markdown_to_html, markdown_to_html_with_mentions
from members.models import LeadershipRole
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def told(user):
    return list(
        Notification.objects.filter(recipient=user, kind="knowledge.mention")
        .order_by("id")
        .values_list("message", flat=True)
    )


def person(handle, community=None, **kwargs):
    user = UserFactory(username=handle, display_name=handle.title(), **kwargs)
    if community is not None:
        MembershipFactory(user=user, community=community)
    return user


def publish(author, community, body, title="A story"):
    return services.item_create(
        author=author, community=community, kind=ItemKind.STORY, title=title, body=body
    )


# --- Rendering --------------------------------------------------------------------


def test_mentions_render_as_profile_links_outside_code_only(member, community):
    ana = person("ana", community)
    item = publish(member, community, "Ask @ana or @nobody; `@ana` in code, x@ana.io")
    profile = reverse("members:profile", kwargs={"username": "ana"})
    assert f'<a href="{profile}" rel="nofollow noopener noreferrer">@ana</a>' in (
        item.body_html
    )
    assert item.body_html.count(profile) == 1
    assert "<code>@ana</code>" in item.body_html
    assert "@nobody" in item.body_html and "x@ana.io" in item.body_html
    item.refresh_from_db()
    assert profile in item.body_html
    assert told(ana)


def test_the_sanitiser_stays_strict():
    html, found = markdown_to_html_with_mentions(
        '<a class="mention" href="javascript:alert(1)" onclick="x()">@ana</a> @ana',
        {"ana": "/members/ana/"},
    )
    assert "class=" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert set(found) == {"ana"}
    assert "class=" not in markdown_to_html('<a class="mention" href="/x">x</a>')


# --- Telling once, only those who may read it ------------------------------------


def test_a_mention_tells_once_even_after_edits(member, community):
    ana = person("ana", community)
    bo = person("bo", community)
    item = publish(member, community, "Thanks @ana, and again @ana!")
    assert told(ana) == [f"{member.display_name} mentioned you in “A story”"]
    services.item_update(
        item=item,
        acting_user=member,
        kind=item.kind,
        title=item.title,
        body="Thanks @ana and @bo",
        tags=(),
    )
    assert len(told(ana)) == 1
    assert len(told(bo)) == 1
    assert Mention.objects.filter(item=item, reply=None).count() == 2


def test_replies_tell_once_and_not_twice_with_watching(member, community):
    ana = person("ana", community)
    item = publish(member, community, "Question.")
    watching.follow_set(user=ana, kind="item", target=item, level=FollowLevel.WATCHING)
    reply = services.reply_create(item=item, author=member, body="@ana can you?")
    assert told(ana) == [f"{member.display_name} mentioned you in “A story”"]
    services.reply_update(reply=reply, acting_user=member, body="@ana, can you?")
    assert len(told(ana)) == 1
    # The mention is the one notice: the watch fan-out leaves them out.
    assert watching.watchers(item=item, reply=reply) == []


def test_the_asker_mentioned_in_a_reply_is_told_once(member, community):
    ana = person("ana", community)
    item = publish(ana, community, "Question.")
    services.reply_create(item=item, author=member, body="@ana here you go")
    kinds = Notification.objects.filter(recipient=ana).values_list("kind", flat=True)
    assert list(kinds) == ["knowledge.reply"]


def test_someone_who_cannot_see_it_is_not_told_and_the_author_learns_it(
    member_client, member, private, staff
):
    outsider = person("olga")
    insider = person("ines", private)
    former = person("fred", private)
    Membership.objects.filter(user=former).update(status=Membership.Status.LEFT)
    url = reverse("knowledge:item_create", kwargs={"slug": private.slug})
    body = f"Ping @olga @ines @fred @{staff.username}"
    data = {"kind": "story", "title": "Secret plan", "body": body, "tags": ""}
    data["submission_token"] = str(uuid.uuid4())
    response = member_client.post(url, data, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not told, because they cannot see this community: Olga, Fred." in page
    assert told(outsider) == [] and told(former) == []
    assert told(insider) and told(staff)  # staff may read every community
    assert not Mention.objects.filter(user__in=[outsider, former]).exists()


def test_a_muted_community_hears_no_mention(member, community):
    ana = person("ana", community)
    watching.follow_set(
        user=ana, kind="community", target=community, level=FollowLevel.MUTED
    )
    publish(member, community, "@ana look")
    assert told(ana) == []


def test_hidden_reply_tells_nobody(member, community, steward):
    ana = person("ana", community)
    item = publish(member, community, "Q")
    reply = services.reply_create(item=item, author=member, body="first")
    services.reply_hide(reply=reply, acting_user=steward)
    services.reply_update(reply=reply, acting_user=steward, body="@ana")
    assert told(ana) == []


def test_at_most_so_many_people_by_name(member, community, monkeypatch):
    monkeypatch.setattr(mentions, "PEOPLE_PER_TEXT", 2)
    people = [person(f"p{n}", community) for n in range(4)]
    item = publish(member, community, " ".join(f"@p{n}" for n in range(4)))
    assert [bool(told(p)) for p in people] == [True, True, False, False]
    assert item.mention_report.beyond_limit == 2
    assert "2 more were not" in " ".join(item.mention_report.messages())


# --- Role groups ---------------------------------------------------------------


def test_group_mentions_need_a_role_and_say_so(member, community, steward):
    item = publish(member, community, "Hello @stewards")
    assert told(steward) == []
    [(handle, reason)] = item.mention_report.refused_groups
    assert handle == "stewards" and "leadership role" in reason
    leader = person("lea", community, leadership_role=LeadershipRole.EXECUTIVE)
    publish(leader, community, "Hello @stewards", title="From a leader")
    assert told(steward) == ["Lea mentioned @stewards in “From a leader”"]


def test_leadership_groups_reach_their_role_in_the_community(community, steward):
    line = [
        person(f"line{n}", community, leadership_role=LeadershipRole.LINE_LEADER)
        for n in range(2)
    ]
    elsewhere = person("line-x", leadership_role=LeadershipRole.LINE_LEADER)
    networker = person("net", community, leadership_role=LeadershipRole.NETWORKER)
    publish(steward, community, "@line-leaders and @networkers: ideas?")
    assert all(told(p) for p in line) and told(networker)
    assert told(elsewhere) == []
    assert "@line-leaders" in told(line[0])[0]


def test_a_group_too_large_tells_nobody(community, steward, monkeypatch):
    monkeypatch.setattr(mentions, "GROUP_REACH_LIMIT", 2)
    execs = [
        person(f"ex{n}", community, leadership_role=LeadershipRole.EXECUTIVE)
        for n in range(3)
    ]
    item = publish(steward, community, "@executives please read")
    assert not any(told(p) for p in execs)
    [(handle, reason)] = item.mention_report.refused_groups
    assert handle == "executives" and "more than 2 people" in reason


# --- The typeahead endpoint ------------------------------------------------------


def suggest_url(community, q="a"):
    return reverse("knowledge:mention_suggest", kwargs={"slug": community.slug}) + (
        f"?q={q}"
    )


SUGGEST_EXPECTED = {
    #             anonymous outsider member private-m steward manager staff
    "community": (302, 403, 200, 200, 200, 200, 403),
    "private": (302, 404, 404, 200, 200, 404, 403),
}


@pytest.mark.parametrize("where", list(SUGGEST_EXPECTED))
def test_suggest_permission_table(client, roles, request, where):
    community = request.getfixturevalue(where)
    for index, (role, user) in enumerate(roles.items()):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(suggest_url(community))
        assert response.status_code == SUGGEST_EXPECTED[where][index], (where, role)


def test_suggestions_list_only_readers_and_groups_for_leaders(
    client, member, private, steward
):
    ana = person("ana-insider", private)
    person("ana-outsider")
    MembershipFactory(
        user=person("ana-left"), community=private, status=Membership.Status.LEFT
    )
    client.force_login(member)
    results = client.get(suggest_url(private, "AN")).json()["results"]
    assert [r["handle"] for r in results] == [ana.username]
    assert client.get(suggest_url(private, "stew")).json()["results"] == []
    client.force_login(steward)
    results = client.get(suggest_url(private, "stew")).json()["results"]
    assert [(r["handle"], r["kind"]) for r in results] == [("stewards", "group")]
    assert client.get(suggest_url(private, "")).json()["results"] == []


def test_suggestions_match_name_or_handle_start_and_are_limited(
    client, member, community
):
    for n in range(12):
        person(f"zed-{n:02}", community)
    person("someone", community).__class__.objects.filter(username="someone").update(
        display_name="Zelda Z"
    )
    client.force_login(member)
    results = client.get(suggest_url(community, "ze")).json()["results"]
    assert len(results) == 8
    assert results[0]["name"] == "Zed-00"
    assert (
        client.get(suggest_url(community, "zeld")).json()["results"][0]["handle"]
        == "someone"
    )


@pytest.mark.parametrize("size", [5, 60])
def test_suggest_queries_do_not_grow(
    client, member, community, size, django_assert_num_queries
):
    for n in range(size):
        person(f"kim-{n:03}", community)
    client.force_login(member)
    # session, user, community, membership, suggestions
    with django_assert_num_queries(5):
        response = client.get(suggest_url(community, "kim"))
    assert len(response.json()["results"]) == min(size, 8)


def test_the_typeahead_script_is_a_static_file_on_every_signed_in_page(
    member_client, community
):
    html = member_client.get(community.get_absolute_url()).content.decode()
    assert '<script src="/static/js/mentions.js" defer></script>' in html
    assert "<script>" not in html
