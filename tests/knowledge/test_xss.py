"""Stored XSS payloads in titles, bodies, tags and replies render inert."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from knowledge import services
from tests.communities.factories import MembershipFactory
from tests.knowledge.conftest import login

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def nasty(member, community, other_member):
    item = services.item_create(
        author=member,
        community=community,
        kind="question",
        title=f"Title {PAYLOAD}",
        body=f"Body {PAYLOAD} [click](javascript:alert(1)) ![i](data:text/html,x) xss",
        tags=[f"tag{PAYLOAD}", "xss"],
    )
    MembershipFactory(user=other_member, community=community)
    services.reply_create(item=item, author=other_member, body=f"Reply {PAYLOAD}")
    return item


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def assert_inert(html):
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        # Only Practica's own script files (static/js, under the CSP).
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/js/"), attrs
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), (tag, attrs)


def test_item_page_is_inert(client, member, nasty):
    html = login(client, member).get(nasty.get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in html
    assert_inert(html)


@pytest.mark.parametrize(
    "url",
    [
        lambda item: reverse("knowledge:feed", kwargs={"slug": item.community.slug}),
        lambda item: reverse("knowledge:search") + "?q=xss",
        lambda item: reverse("knowledge:tag", kwargs={"tag": "xss"}),
        lambda item: reverse("notifications:list"),
        lambda item: "/",
    ],
)
def test_lists_are_inert(client, member, nasty, url):
    response = login(client, member).get(url(nasty))
    assert response.status_code == 200
    assert_inert(response.content.decode())


def test_tag_page_for_a_payload_tag_is_inert(client, member, nasty):
    tag = next(t for t in nasty.tag_list if t != "xss")
    response = login(client, member).get(reverse("knowledge:tag", kwargs={"tag": tag}))
    assert response.status_code == 200
    assert_inert(response.content.decode())
    assert nasty.get_absolute_url() in response.content.decode()
