"""Revisions: every edit keeps the version before it; the history shows who
changed what; those who may edit restore a version, exactly."""

import pytest
from django.urls import reverse

from knowledge import revisions, services
from knowledge.models import Item, Revision
from tests.knowledge.conftest import login
from tests.knowledge.factories import ReplyFactory
from tests.knowledge.roles import READERS, ROLES, build_world
from tests.members.factories import UserFactory


def history_url(item):
    return reverse(
        "knowledge:item_history", kwargs={"slug": item.community.slug, "pk": item.pk}
    )


def restore_url(item, number):
    return reverse(
        "knowledge:item_revision_restore",
        kwargs={"slug": item.community.slug, "pk": item.pk, "number": number},
    )


def edit(item, user, **changes):
    fields = {
        "kind": item.kind,
        "title": item.title,
        "body": item.body,
        "tags": item.tag_names.split(),
    }
    fields.update(changes)
    return services.item_update(item=item, acting_user=user, **fields)


def test_first_edit_keeps_the_original_and_the_new_version(story, member, steward):
    original = (story.kind, story.title, story.body, story.tag_names)
    edit(story, steward, title="Fixing the night handover", body="A new text.")
    first, second = Revision.objects.filter(item=story).order_by("number")
    assert (first.kind, first.title, first.body, first.tag_names) == original
    assert first.author == member and first.created_at == story.created_at
    assert (second.title, second.body, second.author) == (
        "Fixing the night handover",
        "A new text.",
        steward,
    )


def test_an_edit_that_changes_nothing_adds_no_version(story, member):
    edit(story, member, title="New title")
    edit(story, member)
    assert Revision.objects.filter(item=story).count() == 2


def test_restore_brings_back_exactly_and_is_itself_a_new_version(
    story, member, steward
):
    before = Item.objects.get(pk=story.pk)
    edit(
        story,
        member,
        kind="lesson",
        title="Other",
        body="Gone  \n\n* list",
        tags=["x"],
    )
    edit(story, member, body="Third text")
    revisions.check_revision_restore(
        acting_user=steward,
        community_slug=story.community.slug,
        item_id=story.pk,
        number=1,
    )
    after = Item.objects.get(pk=story.pk)
    for field in ("kind", "title", "body", "body_html", "tag_names"):
        assert getattr(after, field) == getattr(before, field), field
    assert sorted(after.tags.names()) == sorted(before.tags.names())
    newest = Revision.objects.filter(item=story).order_by("-number").first()
    assert newest.number == 4 and newest.restored_from.number == 1
    assert newest.author == steward
    # The versions in between are all still there.
    bodies = list(
        Revision.objects.filter(item=story).order_by("number").values_list("body")
    )
    assert [b for (b,) in bodies][1:3] == ["Gone  \n\n* list", "Third text"]


def test_restoring_the_version_shown_is_refused_with_a_message(client, story, member):
    edit(story, member, body="Second")
    login(client, member)
    response = client.post(restore_url(story, 2), follow=True)
    assert "already shown" in response.content.decode()
    assert Revision.objects.filter(item=story).count() == 2


def test_history_shows_who_changed_what_with_a_safe_diff(
    client, story, member, steward
):
    edit(story, steward, body="We wrote a one-page checklist.\n<script>x()</script>")
    html = login(client, member).get(history_url(story)).content.decode()
    assert "Sue Steward" in html and "Mia Member" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html
    assert 'class="diff-added"' in html
    assert "Restore version 1" in html  # the author may restore


def test_history_of_an_unedited_item_says_so(client, story, member):
    html = login(client, member).get(history_url(story)).content.decode()
    assert "Not edited yet" in html


def test_item_page_links_to_the_history_once_edited(client, story, member):
    edit(story, member, body="Changed")
    html = login(client, member).get(story.get_absolute_url()).content.decode()
    assert history_url(story) in html


# --- Replies -------------------------------------------------------------------


def test_reply_edits_keep_versions_and_restore(client, story, member, other_member):
    reply = ReplyFactory(item=story, author=member, body="First answer")
    services.reply_update(reply=reply, acting_user=member, body="Second answer")
    url = reverse(
        "knowledge:reply_revision_restore",
        kwargs={
            "slug": story.community.slug,
            "pk": story.pk,
            "reply_pk": reply.pk,
            "number": 1,
        },
    )
    history = reverse(
        "knowledge:reply_history",
        kwargs={"slug": story.community.slug, "pk": story.pk, "reply_pk": reply.pk},
    )
    assert "Second answer" in login(client, other_member).get(history).content.decode()
    assert client.post(url).status_code == 403
    login(client, member).post(url)
    reply.refresh_from_db()
    assert reply.body == "First answer"
    assert list(
        Revision.objects.filter(reply=reply).order_by("number").values_list("body")
    ) == [("First answer",), ("Second answer",), ("First answer",)]
    # Item history and reply history are separate.
    assert not Revision.objects.filter(item=story, reply__isnull=True).exists()


def test_a_hidden_reply_history_is_for_its_author_and_stewards(
    client, story, member, other_member, steward
):
    reply = ReplyFactory(item=story, author=member, body="Oops")
    services.reply_update(reply=reply, acting_user=member, body="Oops, fixed")
    services.reply_hide(reply=reply, acting_user=steward)
    history = reverse(
        "knowledge:reply_history",
        kwargs={"slug": story.community.slug, "pk": story.pk, "reply_pk": reply.pk},
    )
    assert login(client, other_member).get(history).status_code == 404
    assert login(client, member).get(history).status_code == 200
    assert login(client, steward).get(history).status_code == 200


# --- Permission tables --------------------------------------------------------

HISTORY = READERS
# 302 after a restore (back to the history); anonymous are sent to log in.
RESTORE = {
    "open": {
        "anonymous": 302,
        "outsider": 403,
        "member": 403,
        "private_member": 403,
        "steward": 302,
        "manager": 403,
        "staff": 302,
    },
    "private": {
        "anonymous": 302,
        "outsider": 404,
        "member": 404,
        "private_member": 403,
        "steward": 302,
        "manager": 404,
        "staff": 302,
    },
}


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_history_permission_table(client, db, role, where):
    world = build_world()
    item = world.open_item if where == "open" else world.private_item
    edit(item, world.author, body="Changed once")
    response = world.login(client, role).get(history_url(item))
    assert response.status_code == HISTORY[where][role]
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_restore_permission_table(client, db, role, where):
    world = build_world()
    item = world.open_item if where == "open" else world.private_item
    edit(item, world.author, body="Changed once")
    response = world.login(client, role).post(restore_url(item, 1))
    assert response.status_code == RESTORE[where][role]
    item.refresh_from_db()
    restored = RESTORE[where][role] == 302 and role != "anonymous"
    assert item.body == ("First line.\nSecond line." if restored else "Changed once")


def test_the_author_restores_their_own_item(client, story, member):
    edit(story, member, body="Changed")
    assert login(client, member).post(restore_url(story, 1)).status_code == 302
    story.refresh_from_db()
    assert story.body == "We wrote a one-page checklist."


def test_restore_of_an_unknown_version_is_404(client, story, member):
    edit(story, member, body="Changed")
    assert login(client, member).post(restore_url(story, 9)).status_code == 404


def test_restore_is_post_only(client, story, member):
    edit(story, member, body="Changed")
    assert login(client, member).get(restore_url(story, 1)).status_code == 405


# --- Query counts ---------------------------------------------------------------

HISTORY_QUERIES = 8


@pytest.mark.parametrize("edits", [2, 25])
def test_history_queries_do_not_grow(
    client, story, member, edits, django_assert_num_queries
):
    editors = [UserFactory() for _ in range(3)]
    for n in range(edits):
        edit(story, editors[n % 3], body=f"Version text {n}")
    login(client, member)
    with django_assert_num_queries(HISTORY_QUERIES):
        response = client.get(history_url(story))
    assert response.status_code == 200
    shown = min(edits + 1, 10)
    assert response.content.decode().count('class="revision"') == shown


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_reply_history_and_restore_permission_table(client, db, role, where):
    world = build_world()
    item = world.open_item if where == "open" else world.private_item
    reply = services.reply_create(item=item, author=world.author, body="First")
    services.reply_update(reply=reply, acting_user=world.author, body="Second")
    kwargs = {"slug": item.community.slug, "pk": item.pk, "reply_pk": reply.pk}
    client = world.login(client, role)
    history = client.get(reverse("knowledge:reply_history", kwargs=kwargs))
    assert history.status_code == HISTORY[where][role]
    restore = reverse(
        "knowledge:reply_revision_restore", kwargs={**kwargs, "number": 1}
    )
    assert client.post(restore).status_code == RESTORE[where][role]
    reply.refresh_from_db()
    restored = RESTORE[where][role] == 302 and role != "anonymous"
    assert reply.body == ("First" if restored else "Second")
