"""/admin/ for knowledge: edits go through knowledge.services, so what the
site derives from an item (HTML, tags, search vector, counters) stays true."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse

from knowledge.models import Item
from tests.admin_forms import change_form_data
from tests.knowledge.factories import HelpfulMarkFactory, ItemFactory, ReplyFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_editing_an_item_rerenders_html_tags_and_search_vector(admin_client):
    item = ItemFactory(title="Old title", body="plain", tags=["old-tag"])
    url = reverse("admin:knowledge_item_change", args=[item.pk])
    data = change_form_data(
        admin_client.get(url),
        title="Kanban that lasts",
        body="We use **kanban** boards.",
        tags="Shift Handover, Lean",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.body_html == "<p>We use <strong>kanban</strong> boards.</p>"
    assert sorted(item.tags.names()) == ["lean", "shift-handover"]
    assert item.tag_names == "lean shift-handover"
    assert item.edited_at is not None
    assert Item.objects.filter(search_vector=SearchQuery("kanban")).get() == item
    assert not Item.objects.filter(search_vector=SearchQuery("old")).exists()


def test_counters_and_links_are_read_only_in_the_item_admin(admin_client):
    item = ItemFactory()
    HelpfulMarkFactory(item=item)
    Item.objects.filter(pk=item.pk).update(helpful_count=1)
    url = reverse("admin:knowledge_item_change", args=[item.pk])
    form = admin_client.get(url).context["adminform"].form
    assert set(form.fields) == {"kind", "activity", "title", "body", "tags"}
    admin_client.post(url, change_form_data(admin_client.get(url), helpful_count="9"))
    item.refresh_from_db()
    assert item.helpful_count == 1
    assert admin_client.get(reverse("admin:knowledge_item_add")).status_code == 403


def test_hiding_a_reply_from_the_admin_keeps_the_count(admin_client):
    item = ItemFactory(kind="question")
    reply = ReplyFactory(item=item)
    Item.objects.filter(pk=item.pk).update(reply_count=1, accepted_reply=reply)
    response = admin_client.post(
        reverse("admin:knowledge_reply_changelist"),
        {"action": "hide", "_selected_action": [reply.pk]},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.reply_count, item.accepted_reply) == (0, None)


def test_editing_a_reply_rerenders_it(admin_client):
    reply = ReplyFactory(body="old")
    url = reverse("admin:knowledge_reply_change", args=[reply.pk])
    response = admin_client.post(
        url, change_form_data(admin_client.get(url), body="*new*")
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body_html == "<p><em>new</em></p>" and reply.edited_at


def test_helpful_marks_are_read_only_in_the_admin(admin_client):
    mark = HelpfulMarkFactory()
    url = reverse("admin:knowledge_helpfulmark_change", args=[mark.pk])
    assert admin_client.get(url).status_code == 200  # viewable
    assert admin_client.post(url, {}).status_code == 403
    delete = reverse("admin:knowledge_helpfulmark_delete", args=[mark.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_an_experiment_keeps_its_kind_in_the_admin(admin_client):
    """An experiment's kind is read-only there, and no other item can be
    turned into one (it would have no hypothesis)."""
    from tests.knowledge.roles import build_world
    from tests.knowledge.test_experiments import _experiment

    world = build_world()
    experiment = _experiment(world)
    url = reverse("admin:knowledge_item_change", args=[experiment.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "kind" not in form.fields
    admin_client.post(url, change_form_data(admin_client.get(url), title="Renamed"))
    experiment.refresh_from_db()
    assert (experiment.kind, experiment.title) == ("experiment", "Renamed")

    story = admin_client.get(
        reverse("admin:knowledge_item_change", args=[world.open_item.pk])
    )
    kinds = [
        value
        for value, _label in story.context["adminform"].form.fields["kind"].choices
    ]
    assert "experiment" not in kinds
    assert (
        admin_client.get(reverse("admin:knowledge_experiment_changelist")).status_code
        == 200
    )
    assert (
        admin_client.get(
            reverse("admin:knowledge_adoptioncheckin_changelist")
        ).status_code
        == 200
    )
