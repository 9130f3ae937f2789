"""Search: the stored vector is kept current and ranked (title A, tags B,
body C)."""

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import Item
from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db


def make(member, community, title, body, tags=()):
    return services.item_create(
        author=member,
        community=community,
        kind="story",
        title=title,
        body=body,
        tags=tags,
    )


def test_title_match_ranks_above_body_only_match(client, member, community):
    body_only = make(
        member, community, "Monday notes", "We discussed escalation paths."
    )
    tag_only = make(member, community, "Friday notes", "Nothing.", tags=["escalation"])
    title = make(member, community, "Escalation paths that work", "Short.")
    response = login(client, member).get(
        reverse("knowledge:search"), {"q": "escalation"}
    )
    ranked = [item.pk for item in response.context["page"].object_list]
    assert ranked == [title.pk, tag_only.pk, body_only.pk]


def test_search_vector_follows_edits(client, member, community):
    item = make(member, community, "Old words", "Nothing here.")
    services.item_update(
        item=item,
        acting_user=member,
        kind="story",
        title="Kaizen board",
        body="x",
        tags=[],
    )
    client = login(client, member)
    found = client.get(reverse("knowledge:search"), {"q": "kaizen"})
    assert [i.pk for i in found.context["page"].object_list] == [item.pk]
    gone = client.get(reverse("knowledge:search"), {"q": "old words"})
    assert list(gone.context["page"].object_list) == []
    assert Item.objects.filter(pk=item.pk, search_vector="kaizen").exists()


def test_headline_highlights_only_with_marks(client, member, community):
    make(
        member,
        community,
        "Safety",
        "Before <b>shift</b> <script>x</script> handover we meet.",
    )
    html = (
        login(client, member)
        .get(reverse("knowledge:search"), {"q": "handover"})
        .content.decode()
    )
    assert "<mark>handover</mark>" in html
    assert "<script>x" not in html and "<b>shift" not in html
