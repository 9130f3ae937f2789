"""Search and tag pages stay cheap on a large organisation: search ranks a
capped set of the newest matches and says so, tag pages page on the tag links'
own (tag, item_created_at) index, and "who knows most" weighs a bounded number
of the tag's latest items. The timings themselves live in bench/."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import selectors, services
from knowledge.models import Item, ItemTag
from tests.knowledge.conftest import login
from tests.pages import page_link, walk

pytestmark = pytest.mark.django_db


def make(member, community, title, *, tags=("lean",), body="Body", days_ago=0):
    item = services.item_create(
        author=member,
        community=community,
        kind="story",
        title=title,
        body=body,
        tags=tags,
    )
    if days_ago:
        # Old items (imported, seeded) carry their original date on the links.
        moment = timezone.now() - dt.timedelta(days=days_ago)
        Item.objects.filter(pk=item.pk).update(created_at=moment)
        ItemTag.objects.filter(content_object=item).update(item_created_at=moment)
        item.refresh_from_db()
    return item


def test_tag_links_copy_the_item_created_at(member, community):
    item = make(member, community, "Kanban", tags=["lean", "flow"])
    services.item_update(
        item=item,
        acting_user=member,
        kind="story",
        title="Kanban",
        body="x",
        tags=["lean", "pull"],
    )
    moments = set(
        ItemTag.objects.filter(content_object=item).values_list(
            "item_created_at", flat=True
        )
    )
    assert moments == {item.created_at}


def test_search_over_the_cap_lists_the_newest_matches_and_says_so(
    client, member, community, monkeypatch
):
    monkeypatch.setattr(selectors.search, "SEARCH_CAP", 3)
    oldest = make(member, community, "Lean huddle 0", days_ago=9)
    newer = [make(member, community, f"Lean huddle {i}", days_ago=i) for i in (3, 2, 1)]
    response = login(client, member).get(reverse("knowledge:search"), {"q": "huddle"})
    shown = {item.pk for item in response.context["page"].object_list}
    assert shown == {item.pk for item in newer} and oldest.pk not in shown
    assert response.context["capped"]
    assert "3+ results" in response.content.decode()


def test_search_under_the_cap_counts_exactly(client, member, community, monkeypatch):
    monkeypatch.setattr(selectors.search, "SEARCH_CAP", 3)
    for i in range(3):
        make(member, community, f"Lean huddle {i}")
    response = login(client, member).get(reverse("knowledge:search"), {"q": "huddle"})
    assert not response.context["capped"]
    assert "3 results" in response.content.decode()


def test_search_tag_filter_lists_newest_first_and_hides_private(
    client, member, other_member, community, private
):
    old = make(member, community, "Old pricing note", tags=["pricing"], days_ago=5)
    new = make(member, community, "New pricing note", tags=["pricing"])
    make(member, private, "Secret pricing", tags=["pricing"])
    make(member, community, "Untagged pricing", tags=["other"])
    response = login(client, other_member).get(
        reverse("knowledge:search"), {"tag": "pricing"}
    )
    assert [i.pk for i in response.context["page"].object_list] == [new.pk, old.pk]
    assert "Secret pricing" not in response.content.decode()


def test_ranked_search_ranks_the_newest_candidates_best_first(
    member, other_member, community, private, monkeypatch
):
    """Ranked in the walk that finds them, with or without a tag: the
    newest SEARCH_CAP matches, the title match first, the oldest left out,
    nothing private for an outsider."""
    monkeypatch.setattr(selectors.search, "SEARCH_CAP", 3)
    oldest = make(member, community, "Huddle board", tags=["lean"], days_ago=9)
    body_only = make(member, community, "Monday", body="A huddle.", days_ago=3)
    title = make(member, community, "Huddle notes", days_ago=2)
    body_too = make(member, community, "Friday", body="Huddle again.", days_ago=1)
    make(member, private, "Huddle secrets")
    for tag in ("", "lean"):
        found = selectors.search_items(viewer=other_member, q="huddle", tag=tag)
        assert found.capped and found.ids[0] == title.pk
        assert set(found.ids) == {body_only.pk, title.pk, body_too.pk}
        assert oldest.pk not in found.ids
    # Equal ranks: newest first.
    found = selectors.search_items(viewer=other_member, q="friday or monday")
    assert found.ids == [body_too.pk, body_only.pk] and not found.capped


def test_tag_page_orders_by_item_date_not_by_id(client, member, community):
    backdated = make(member, community, "Written last, dated old", days_ago=30)
    recent = make(member, community, "Dated today")
    # Created after `recent`, so a higher id, but dated between the two.
    middle = make(member, community, "Dated last week", days_ago=7)
    response = login(client, member).get(
        reverse("knowledge:tag", kwargs={"tag": "lean"})
    )
    assert [i.pk for i in response.context["page"]] == [
        recent.pk,
        middle.pk,
        backdated.pk,
    ]


def test_tag_page_keyset_continues_after_the_cursor(
    client, member, community, settings
):
    settings.PAGE_SIZE = 2
    items = [make(member, community, f"Lean {i}", days_ago=10 - i) for i in range(5)]
    client = login(client, member)
    pages = walk(client, reverse("knowledge:tag", kwargs={"tag": "lean"}))
    seen = [[i.pk for i in page.context["page"]] for page in pages]
    newest_first = [i.pk for i in reversed(items)]
    assert seen == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    back = walk(client, page_link(pages[-1], "prev"), rel="prev")
    assert [[i.pk for i in page.context["page"]] for page in back] == seen[1::-1]


def test_experts_weigh_only_the_latest_items_of_the_tag(member, steward, community):
    old = make(steward, community, "Old lean story", days_ago=10)
    new = make(member, community, "New lean story")
    Item.objects.filter(pk=old.pk).update(helpful_count=5)
    Item.objects.filter(pk=new.pk).update(helpful_count=1)
    bounded = selectors.tag_expertise_scores(
        tags=["lean"], viewer=member, recent_items=1
    )
    assert bounded == {(member.pk, "lean"): {"helpful": 1, "accepted": 0}}
    everything = selectors.tag_expertise_scores(tags=["lean"], viewer=member)
    assert everything[(steward.pk, "lean")]["helpful"] == 5


def test_bounded_experts_count_accepted_answers_and_skip_hidden_ones(
    member, steward, community, make_item
):
    question = make_item(
        author=member, community=community, kind="question", tags=["lean"]
    )
    reply = services.reply_create(item=question, author=steward, body="Pull")
    services.answer_accept(item=question, reply=reply, acting_user=member)
    scores = selectors.tag_expertise_scores(
        tags=["lean"], viewer=member, recent_items=10
    )
    assert scores[(steward.pk, "lean")] == {"helpful": 0, "accepted": 1}
    services.reply_hide(reply=reply, acting_user=steward)
    scores = selectors.tag_expertise_scores(
        tags=["lean"], viewer=member, recent_items=10
    )
    assert (steward.pk, "lean") not in scores


def test_bounded_experts_leave_out_private_communities_for_outsiders(
    other_member, steward, private
):
    secret = make(steward, private, "Secret lean")
    Item.objects.filter(pk=secret.pk).update(helpful_count=3)
    assert (
        selectors.tag_expertise_scores(
            tags=["lean"], viewer=other_member, recent_items=10
        )
        == {}
    )
