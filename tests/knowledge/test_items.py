"""Item pages: who may read, post, edit, hide and restore."""

import pytest
from django.urls import reverse

from knowledge.forms import story_template
from knowledge.models import Item
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

# Hiding acts only once confirmed (members.confirm).
CONFIRMED = {"confirmed": "yes"}


def create_url(community, kind=""):
    url = reverse("knowledge:item_create", kwargs={"slug": community.slug})
    return f"{url}?kind={kind}" if kind else url


def action_url(name, item, **extra):
    return reverse(
        f"knowledge:{name}",
        kwargs={"slug": item.community.slug, "pk": item.pk, **extra},
    )


# --- Reading -----------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_member_reads_an_item_under_its_community(client, member, story):
    response = login(client, member).get(story.get_absolute_url())
    assert response.status_code == 200
    assert story.get_absolute_url().startswith("/communities/shift-leads/")
    assert b"How we fixed the night handover" in response.content


def test_any_signed_in_member_reads_open_communities(client, other_member, story):
    response = login(client, other_member).get(story.get_absolute_url())
    assert response.status_code == 200
    assert b"Only active members of Shift Leads reply" in response.content


def test_wrong_title_slug_redirects_to_canonical_url(client, member, story):
    url = reverse(
        "knowledge:item",
        kwargs={"slug": "shift-leads", "pk": story.pk, "title_slug": "old-title"},
    )
    response = login(client, member).get(url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_item_under_the_wrong_community_is_404(client, member, story, private):
    url = reverse(
        "knowledge:item",
        kwargs={"slug": private.slug, "pk": story.pk, "title_slug": "x"},
    )
    assert login(client, member).get(url).status_code == 404


def test_outsider_gets_404_on_private_item(client, other_member, secret):
    assert login(client, other_member).get(secret.get_absolute_url()).status_code == 404


def test_staff_reads_private_item(client, staff, secret):
    assert login(client, staff).get(secret.get_absolute_url()).status_code == 200


def test_pending_member_cannot_read_private_item(client, secret, private):
    pending = MembershipFactory(community=private, pending=True).user
    assert login(client, pending).get(secret.get_absolute_url()).status_code == 404


# --- Creating ----------------------------------------------------------------


def test_member_publishes_a_story(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {
            "kind": "story",
            "title": "Night shift",
            "body": "It *worked*.",
            "tags": "lean, safety",
        },
    )
    item = Item.objects.get(title="Night shift")
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert item.author == member
    assert item.tag_names == "lean safety"


def test_non_member_cannot_post_in_open_community(client, other_member, community):
    client = login(client, other_member)
    assert client.get(create_url(community)).status_code == 403
    response = client.post(
        create_url(community), {"kind": "story", "title": "x", "body": "y"}
    )
    assert response.status_code == 403
    assert not Item.objects.exists()


def test_outsider_gets_404_posting_in_private_community(client, other_member, private):
    assert login(client, other_member).get(create_url(private)).status_code == 404


def test_archived_community_is_read_only(client, member, archived, make_item):
    item = make_item(author=member, community=archived)
    client = login(client, member)
    assert client.get(create_url(archived)).status_code == 403
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert b"archived" in response.content
    assert client.get(action_url("item_edit", item)).status_code == 403
    assert (
        client.post(action_url("reply_create", item), {"body": "hi"}).status_code == 403
    )


def test_story_kind_prefills_the_story_template(client, member, community):
    response = login(client, member).get(create_url(community, "story"))
    assert response.status_code == 200
    assert "## What we did" in response.content.decode()


def test_question_kind_starts_blank(client, member, community):
    response = login(client, member).get(create_url(community, "question"))
    assert "## What we did" not in response.content.decode()
    assert 'value="question" selected' in response.content.decode()


def test_insert_template_button_keeps_what_was_typed(client, member, community):
    response = login(client, member).post(
        create_url(community),
        {
            "kind": "lesson",
            "title": "My typed title",
            "body": "My notes",
            "tags": "lean",
            "insert_template": "story",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "My typed title" in html
    assert "My notes" in html and "## Outcome" in html
    assert not Item.objects.exists()


def test_bad_input_keeps_what_was_typed(client, member, community):
    too_many = ", ".join(f"t{n}" for n in range(12))
    response = login(client, member).post(
        create_url(community),
        {"kind": "story", "title": "", "body": "Kept body text", "tags": too_many},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "At most 10 tags" in html
    assert "Kept body text" in html and "t11" in html
    assert not Item.objects.exists()


def test_unknown_kind_is_a_form_error(client, member, community):
    response = login(client, member).post(
        create_url(community), {"kind": "rumour", "title": "T", "body": "B"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_story_template_constant_has_all_five_parts():
    for part in ("Context", "Challenge", "What we did", "Outcome", "Lesson"):
        assert f"## {part}" in story_template()


# --- Editing, hiding, restoring ----------------------------------------------


def test_author_edits_own_item(client, member, story):
    response = login(client, member).post(
        action_url("item_edit", story),
        {"kind": "practice", "title": "Better title", "body": "b", "tags": ""},
    )
    story.refresh_from_db()
    assert response.status_code == 302
    assert story.title == "Better title" and story.edited_at


def test_edit_form_shows_current_values(client, member, story):
    html = login(client, member).get(action_url("item_edit", story)).content.decode()
    assert "How we fixed the night handover" in html
    assert "lean, shift-handover" in html


def test_other_member_cannot_edit(client, other_member, community, story):
    MembershipFactory(user=other_member, community=community)
    client = login(client, other_member)
    assert client.get(action_url("item_edit", story)).status_code == 403
    client.post(
        action_url("item_edit", story), {"kind": "story", "title": "X", "body": "Y"}
    )
    story.refresh_from_db()
    assert story.title != "X"


def test_steward_edits_in_their_community(client, steward, story):
    response = login(client, steward).post(
        action_url("item_edit", story),
        {"kind": "story", "title": "Tidied", "body": "b"},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Tidied" and story.author != steward


def test_steward_of_another_community_cannot_edit(client, story):
    elsewhere = MembershipFactory(steward=True).user
    assert (
        login(client, elsewhere).get(action_url("item_edit", story)).status_code == 403
    )


def test_author_hides_and_cannot_restore(client, member, story, other_member):
    client = login(client, member)
    response = client.post(action_url("item_hide", story), CONFIRMED)
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.is_hidden
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200 and b"Ask a steward" in page.content
    assert client.post(action_url("item_restore", story)).status_code == 403
    client.force_login(other_member)
    assert client.get(story.get_absolute_url()).status_code == 404


def test_steward_restores_hidden_item(client, member, steward, story):
    login(client, member).post(action_url("item_hide", story), CONFIRMED)
    client.force_login(steward)
    assert client.get(story.get_absolute_url()).status_code == 200
    client.post(action_url("item_restore", story))
    story.refresh_from_db()
    assert not story.is_hidden


def test_staff_restores_hidden_item(client, member, staff, story):
    login(client, member).post(action_url("item_hide", story), CONFIRMED)
    client.force_login(staff)
    client.post(action_url("item_restore", story))
    story.refresh_from_db()
    assert not story.is_hidden


def test_other_member_cannot_hide(client, other_member, story):
    assert (
        login(client, other_member)
        .post(action_url("item_hide", story), CONFIRMED)
        .status_code
        == 403
    )
    story.refresh_from_db()
    assert not story.is_hidden


def test_hiding_asks_first_and_only_a_confirmed_post_hides(client, member, story):
    client = login(client, member)
    assert client.get(action_url("item_hide", story)).status_code == 200
    assert client.post(action_url("item_hide", story)).status_code == 200
    story.refresh_from_db()
    assert not story.is_hidden


def test_item_page_query_count_is_flat(
    client, member, story, django_assert_max_num_queries
):
    from knowledge import services

    client = login(client, member)

    def add(n):
        for i in range(n):
            user = UserFactory()
            MembershipFactory(user=user, community=story.community)
            services.reply_create(item=story, author=user, body=f"Reply {i}")
            services.helpful_set(item=story, acting_user=user, helpful=True)

    # 12: one more for the files attached to the item and its replies;
    # 13: and the viewer's follow of the item (its follow form).
    add(2)
    # 12, "how others handle this": the stored ids, then the rows (2); follow (1).
    with django_assert_max_num_queries(15):
        assert client.get(story.get_absolute_url()).status_code == 200
    add(12)
    with django_assert_max_num_queries(15):
        assert client.get(story.get_absolute_url()).status_code == 200
