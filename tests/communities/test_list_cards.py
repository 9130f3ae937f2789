"""The community list's cards come from the fragment cache
(communities.list_cards): a change shows at once, and a private
community's figures and topics never reach someone who may not look inside."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from communities.list_cards import _shown
from communities.services.lifecycle import community_update
from communities.services.membership import check_community_join
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("communities:list")


def _card(html: str, name: str) -> str:
    """The card (<li>) that holds `name`."""
    for card in re.findall(r'<li class="community-card.*?</li>', html, re.S):
        if name in card:
            return card
    raise AssertionError(f"no card for {name}")


def test_every_shown_value_is_in_the_key():
    from dataclasses import dataclass

    @dataclass
    class Row:
        pk: int = 1
        slug: str = "lean"
        name: str = "Lean"
        purpose: str = "Flow"
        is_private: bool = False
        is_archived: bool = False
        is_mine: bool = False
        my_status: str | None = None
        show_details: bool = True
        size: int = 3
        activity_ago: str = "2 hours ago"
        topics: tuple = (("lean", "lean"),)

    before = _shown(Row())
    for name, value in {
        "pk": 2,
        "slug": "lean-2",
        "name": "Lean 2",
        "purpose": "Pull",
        "is_private": True,
        "is_archived": True,
        "is_mine": True,
        "my_status": "pending",
        "show_details": False,
        "size": 4,
        "activity_ago": "3 hours ago",
        "topics": (("kanban", "kanban"),),
    }.items():
        assert _shown(replace(Row(), **{name: value})) != before, name


def test_edits_and_joins_show_at_once(client, world):
    client.force_login(world.outsider)
    html = client.get(URL).content.decode()
    card = _card(html, "Shift Handover Practice")
    assert "Join" in card and "Your community" not in card
    community_update(
        community=world.open,
        acting_user=world.steward,
        name="Shift Handover Guild",
        slug=world.open.slug,
        purpose="Handing over well.",
        tags=["handover"],
        visibility="open",
    )
    html = client.get(URL).content.decode()
    card = _card(html, "Shift Handover Guild")
    assert "Handing over well." in card and "?tag=handover" in card
    assert '<option value="handover">' in html
    before = re.search(r"(\d+) members?", card).group(1)
    check_community_join(acting_user=world.outsider, community_slug=world.open.slug)
    card = _card(client.get(URL).content.decode(), "Shift Handover Guild")
    assert "Your community" in card and "Join" not in card
    assert re.search(r"(\d+) members?", card).group(1) == str(int(before) + 1)


def test_a_private_communitys_figures_and_topics_never_reach_an_outsider(client, world):
    secret = CommunityFactory(name="Audit Circle", private=True, tags=["audit-x"])
    MembershipFactory(community=secret, user=world.member)
    client.force_login(world.member)
    html = client.get(URL).content.decode()  # the member's cards are cached
    card = _card(html, "Audit Circle")
    assert "?tag=audit-x" in card and "1 member" in card
    assert f'href="{secret.get_absolute_url()}"' in card
    assert '<option value="audit-x">' in html

    client.force_login(world.outsider)
    html = client.get(URL).content.decode()
    card = _card(html, "Audit Circle")
    assert "audit-x" not in html
    assert "member" not in card
    assert f'href="{secret.get_absolute_url()}"' not in card
    assert "Ask to join" in card


def test_buttons_submit_the_pages_forms_so_no_card_holds_a_csrf_token(client, world):
    client.force_login(world.outsider)
    html = client.get(URL).content.decode()
    cards = re.search(r'<ul class="community-list".*?</ul>', html, re.S).group(0)
    assert "csrfmiddlewaretoken" not in cards
    for form in ("community-join", "community-request"):
        assert re.search(
            rf'<form id="{form}" method="post" hidden>'
            r'<input type="hidden" name="csrfmiddlewaretoken"',
            html,
        )
    join = _card(html, "Shift Handover Practice")
    assert 'form="community-join"' in join
    assert f'formaction="{reverse("communities:join", args=[world.open.slug])}"' in join
    ask = _card(html, "People Leaders")
    assert 'form="community-request"' in ask
    assert re.search(
        r'<form id="community-request" method="post" hidden>.*?'
        r'name="next" value="/communities/"',
        html,
    )
