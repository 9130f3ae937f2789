"""demo.contributions: edited items with a history, once."""

import io

import pytest

from demo import contributions
from knowledge.models import Revision
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
