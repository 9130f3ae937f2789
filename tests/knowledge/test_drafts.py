"""Drafts: kept for their author alone, invisible everywhere else, published
through the same path as any new item."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digests.build import digest_content
from knowledge import attachments, drafts
from knowledge.models import Attachment, Draft, Item
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.knowledge.files import jpeg
from tests.knowledge.roles import ROLES, build_world
from tests.members.factories import UserFactory

SECRET_WORD = "quokkadraft"


def draft_create_url(community):
    return reverse("knowledge:draft_create", kwargs={"slug": community.slug})


def make_draft(user, community, **fields):
    data = {
        "kind": "story",
        "title": f"Half-written {SECRET_WORD}",
        "body": f"Notes about {SECRET_WORD}",
        "tags": SECRET_WORD,
    }
    data.update(fields)
    return drafts.check_draft_save(
        acting_user=user, community_slug=community.slug, **data
    )


def test_save_draft_from_the_new_item_form(client, member, community):
    login(client, member)
    response = client.post(
        draft_create_url(community),
        {"kind": "question", "title": "Unfinished", "body": "So far", "tags": "a, b"},
    )
    draft = Draft.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    )
    assert (draft.kind, draft.title, draft.body, draft.tags) == (
        "question",
        "Unfinished",
        "So far",
        "a, b",
    )
    assert not Item.objects.exists() and not Notification.objects.exists()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Unfinished" in page and "So far" in page and "Asking a question" in page


def test_the_editor_offers_save_draft(client, member, community):
    html = login(client, member).get(
        reverse("knowledge:item_create", kwargs={"slug": community.slug})
    )
    assert draft_create_url(community) in html.content.decode()


def test_an_empty_draft_is_refused_and_keeps_what_was_typed(client, member, community):
    login(client, member)
    response = client.post(
        draft_create_url(community), {"kind": "story", "title": " ", "tags": "kept"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write a title or some text" in html and "kept" in html
    assert not Draft.objects.exists()


def test_saving_again_updates_the_same_draft(client, member, community):
    draft = make_draft(member, community)
    login(client, member).post(
        draft.get_absolute_url(),
        {"kind": "story", "title": "Better title", "body": "More", "save_draft": "1"},
    )
    draft.refresh_from_db()
    assert Draft.objects.count() == 1 and draft.title == "Better title"


def test_publishing_a_draft_makes_the_item_then_and_lets_the_draft_go(
    client, member, community
):
    draft = make_draft(member, community)
    draft.created_at = timezone.now() - dt.timedelta(days=3)
    draft.save()
    login(client, member)
    response = client.post(
        draft.get_absolute_url(),
        {"kind": "story", "title": "Done", "body": "Finished text", "tags": "lean"},
    )
    item = Item.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == item.get_absolute_url()
    )
    assert (item.title, item.body, item.tag_names) == ("Done", "Finished text", "lean")
    assert item.created_at > timezone.now() - dt.timedelta(minutes=1)
    assert not Draft.objects.exists()


def test_files_attached_while_drafting_are_published_with_the_item(
    client, member, other_member, community
):
    login(client, member)
    client.post(
        draft_create_url(community),
        {"kind": "story", "title": "With a photo", "body": "See", "attachment": jpeg()},
    )
    draft = Draft.objects.get()
    attachment = Attachment.objects.get()
    assert attachments.markdown_reference(attachment) in draft.body
    url = attachment.get_absolute_url()
    assert login(client, other_member).get(url).status_code == 404
    login(client, member).post(
        draft.get_absolute_url(),
        {"kind": "story", "title": "With a photo", "body": draft.body},
    )
    attachment.refresh_from_db()
    assert attachment.item == Item.objects.get()
    assert login(client, other_member).get(url).status_code == 200


def test_drafts_are_invisible_to_everyone_else_everywhere(
    client, member, other_member, steward, staff, community
):
    make_draft(member, community)
    start = timezone.now() - dt.timedelta(days=1)
    content = digest_content(community=community, period="weekly", start=start)
    assert SECRET_WORD not in str(content) and "Half-written" not in str(content)
    pages = [
        reverse("knowledge:feed", kwargs={"slug": community.slug}),
        reverse("knowledge:search") + f"?q={SECRET_WORD}",
        reverse("knowledge:tag", kwargs={"tag": SECRET_WORD}),
        reverse("members:profile", kwargs={"username": member.username}),
        reverse("communities:detail", kwargs={"slug": community.slug}),
        reverse("home"),
    ]
    for viewer in (other_member, steward, staff, member):
        login(client, viewer)
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 404), url
            html = response.content.decode()
            # The page may echo the searched word or tag; never the draft.
            assert "Half-written" not in html and "Notes about" not in html, url
    assert not Item.objects.exists()
    assert not Notification.objects.exists()


def test_a_draft_for_a_community_left_cannot_be_published(client, member, private):
    from communities.services.membership import community_leave

    draft = make_draft(member, private)
    community_leave(acting_user=member, community=private)
    login(client, member)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "can no longer post" in page and SECRET_WORD in page
    response = client.post(
        draft.get_absolute_url(), {"kind": "story", "title": "T", "body": "B"}
    )
    assert response.status_code == 403
    assert not Item.objects.exists()
    upload = client.post(
        draft.get_absolute_url(),
        {"kind": "story", "title": "T", "upload": "1", "attachment": jpeg()},
    )
    assert upload.status_code == 403 and not Attachment.objects.exists()


def test_deleting_a_draft_asks_first(client, member, community):
    draft = make_draft(member, community)
    url = reverse("knowledge:draft_delete", kwargs={"pk": draft.pk})
    login(client, member)
    page = client.get(url).content.decode()
    assert "Delete this draft?" in page and Draft.objects.exists()
    assert client.post(url).status_code == 302
    assert not Draft.objects.exists()


def test_my_drafts_lists_mine_only_with_an_empty_state(
    client, member, other_member, community
):
    make_draft(member, community)
    url = reverse("knowledge:drafts")
    assert SECRET_WORD in login(client, member).get(url).content.decode()
    theirs = login(client, other_member).get(url).content.decode()
    assert SECRET_WORD not in theirs and "No drafts." in theirs


# --- Permission tables --------------------------------------------------------

CREATE = {
    "open": {
        "anonymous": 302,
        "outsider": 403,
        "member": 302,
        "private_member": 403,
        "steward": 302,
        "manager": 403,
        "staff": 403,
    },
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 302,
        "steward": 302,
        "manager": 404,
        "staff": 403,
    },
}


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_save_draft_permission_table(client, db, role, where):
    world = build_world()
    community = world.open if where == "open" else world.private
    response = world.login(client, role).post(
        draft_create_url(community), {"kind": "story", "title": "T"}
    )
    assert response.status_code == CREATE[where][role]
    created = CREATE[where][role] == 302 and role != "anonymous"
    assert Draft.objects.exists() == created


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_someone_elses_draft_is_404_for_everyone(client, db, role, where):
    """Drafts are their author's alone: staff and stewards included."""
    world = build_world()
    community = world.open if where == "open" else world.private
    draft = make_draft(world.author, community)
    client = world.login(client, role)
    expected = 302 if role == "anonymous" else 404
    delete = reverse("knowledge:draft_delete", kwargs={"pk": draft.pk})
    assert client.get(draft.get_absolute_url()).status_code == expected
    assert client.get(delete).status_code == expected
    publish = {"kind": "story", "title": "T", "body": "B"}
    assert client.post(draft.get_absolute_url(), publish).status_code == expected
    assert client.post(delete).status_code == expected
    assert (
        Draft.objects.filter(pk=draft.pk).exists()
        and not Item.objects.filter(title="T").exists()
    )
    mine = client.get(reverse("knowledge:drafts"))
    assert mine.status_code == (302 if role == "anonymous" else 200)
    assert SECRET_WORD not in mine.content.decode()


def test_the_author_opens_publishes_and_deletes(client, db):
    world = build_world()
    client = world.login(client, "anonymous")
    client.force_login(world.author)
    for community in (world.open, world.private):
        draft = make_draft(world.author, community)
        assert client.get(draft.get_absolute_url()).status_code == 200
        response = client.post(
            draft.get_absolute_url(), {"kind": "story", "title": "T", "body": "B"}
        )
        assert response.status_code == 302
    assert Item.objects.filter(title="T").count() == 2


# --- Query counts ---------------------------------------------------------------

MY_DRAFTS_QUERIES = 5


@pytest.mark.parametrize("size", [2, 30])
def test_my_drafts_queries_do_not_grow(
    client, member, community, private, size, django_assert_num_queries
):
    for n in range(size):
        make_draft(member, community if n % 2 else private, title=f"Draft {n}")
    other = UserFactory()
    MembershipFactory(user=other, community=community)
    make_draft(other, community, title="Not mine")  # never shows
    login(client, member)
    with django_assert_num_queries(MY_DRAFTS_QUERIES):
        response = client.get(reverse("knowledge:drafts"))
    html = response.content.decode()
    assert html.count('class="item-title"') == min(size, 20)
    assert "Not mine" not in html


def test_a_draft_counts_for_nothing_until_published(client, community):
    """No activity, no welcome step, no counter moves while drafting: all of
    it happens when the draft is published."""
    from communities.models import Community, Membership

    newcomer = UserFactory()
    MembershipFactory(user=newcomer, community=community)
    before = Community.objects.get(pk=community.pk).last_activity_at
    draft = make_draft(newcomer, community)
    membership = Membership.objects.get(user=newcomer, community=community)
    assert membership.introduced_at is None
    assert Community.objects.get(pk=community.pk).last_activity_at == before
    assert not Item.objects.filter(author=newcomer).exists()
    login(client, newcomer).post(
        draft.get_absolute_url(), {"kind": "story", "title": "Hello", "body": "Me."}
    )
    membership.refresh_from_db()
    assert membership.introduced_at is not None
    assert Community.objects.get(pk=community.pk).last_activity_at > before
