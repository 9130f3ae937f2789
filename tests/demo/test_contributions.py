"""demo.contributions: edited items with a history, once."""

import io

import pytest

from demo import contributions
from knowledge import services
from knowledge.models import Attachment, Draft, Item, Revision
from tests.knowledge.roles import build_world

pytestmark = pytest.mark.django_db


def test_demo_edits_leave_a_history_and_run_once():
    world = build_world()
    contributions.seed(io.StringIO())
    item = world.open_item
    item.refresh_from_db()
    versions = list(Revision.objects.filter(item=item).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].author == world.people["steward"]
    assert "follow-up" in item.tag_names and "two more steps" in item.body
    contributions.seed(io.StringIO())
    assert Revision.objects.filter(item=item).count() == 3


def test_demo_attaches_a_small_diagram_to_two_practices():
    world = build_world()
    for n in range(2):
        services.item_create(
            author=world.author,
            community=world.open,
            kind="practice",
            title=f"Practice {n}",
            body="Steps.",
        )
    contributions.seed(io.StringIO())
    attachments = list(Attachment.objects.select_related("item"))
    assert len(attachments) == 2
    for attachment in attachments:
        assert attachment.is_image and attachment.size < 20_000
        assert attachment.get_absolute_url() in attachment.item.body
        assert Item.objects.get(pk=attachment.item_id).body_html.count("<img") == 1
    assert Draft.objects.count() == 1
    contributions.seed(io.StringIO())
    assert Attachment.objects.count() == 2 and Draft.objects.count() == 1
