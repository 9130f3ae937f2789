"""The server never answers 500 to a malformed request: every URL Practica
defines, with real and unknown ids, junk query strings and junk form posts,
as a member and as staff. New views are covered as soon as they are routed."""

import itertools
import re

import pytest
from django.urls import URLResolver, get_resolver

from knowledge.models import ItemKind
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ItemFactory, ReplyFactory
from tests.members.factories import UserFactory
from tests.mentoring.factories import GoalFactory, PairFactory

# Several bad parameters per request keeps the walk fast; each query string
# mixes paging, filter, period and export junk.
JUNK_QUERIES = [
    "?page=abc&before=garbage&tab=zzz&sort=evil&role=nope&period=abc&mentor=abc",
    "?page=99999999999999999999&start=2020-13-45&end=x&format=csv&table=nope"
    "&after=99999999999999999_1&rpage=x&ppage=0&unanswered_page=-3",
    "?page=-1&before=2020-01-01_x&q=%00&kind=zz&community=abc&author=zz&open=maybe",
    "?q=" + "x" * 3000 + "&tag=%27%22%3C&expertise=%00&period=custom&start=&end=",
    "?period=custom&start=0001-01-01&end=0001-01-03&before=0001-01-01_1&page=0",
]
JUNK_POST = {
    "title": "x" * 500, "body": "", "done": "maybe", "rating": "abc",
    "progress": "-5", "date": "notadate", "user": "abc", "role": "zz",
    "status": "zz", "note": "x" * 5000, "tags": ",,," + "t" * 300, "next": "//evil",
}  # fmt: skip
# A NUL character anywhere: PostgreSQL cannot hold it, so it must never reach a query.
NUL_POST = {key: f"a\x00{key}" for key in JUNK_POST}
SKIP_PREFIXES = ("admin/", "accounts/")


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _urls(values):
    for pattern in _patterns(get_resolver()):
        if pattern.startswith(SKIP_PREFIXES) or "^" in pattern:
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
        for combo in itertools.product(*(values.get(n, ["1"]) for n in names)):
            url = "/" + pattern
            for name, value in zip(names, combo, strict=True):
                url = re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            yield url


@pytest.fixture
def world(db):
    community = CommunityFactory(slug="guild", tags=["lean"])
    member = UserFactory(username="mia")
    MembershipFactory(user=member, community=community, steward=True)
    question = ItemFactory(community=community, kind=ItemKind.QUESTION, author=member)
    reply = ReplyFactory(item=question)
    pair = PairFactory(mentor=member, active=True)
    goal = GoalFactory(pair=pair)
    ids = [str(question.pk), str(pair.pk), str(pair.request_id), "999999"]
    values = {
        "slug": ["guild", "missing"],
        "username": ["mia", "nobody"],
        "tag": ["lean", "no-such-tag"],
        "pk": ids,
        "reply_pk": [str(reply.pk), "999999"],
        "goal_pk": [str(goal.pk), "999999"],
        "title_slug": ["x"],
        "token": ["not-a-signed-token"],
    }
    return {"member": member, "values": values}


@pytest.mark.parametrize("who", ["member", "staff"])
def test_no_url_answers_500_to_junk(client, world, who):
    user = world["member"] if who == "member" else UserFactory(is_staff=True)
    client.force_login(user)
    client.raise_request_exception = False
    errors = []
    urls = list(_urls(world["values"]))
    assert len(urls) > 50  # the walk found Practica's routes
    for url in urls:
        for query in JUNK_QUERIES:
            if client.get(url + query).status_code >= 500:
                errors.append(f"GET {url}{query[:40]}")
        for data in ({}, JUNK_POST, NUL_POST):
            if client.post(url, data).status_code >= 500:
                errors.append(f"POST {url} {sorted(data)[:2]}")
    assert errors == []


def test_a_nul_character_gets_a_400_that_says_why(client, world):
    client.force_login(world["member"])
    for response in (
        client.get("/communities/", {"q": "lean\x00"}),
        client.get("/search/", {"tag": "a\x00b"}),
        client.post("/communities/guild/", {"title": "x\x00"}),
    ):
        assert response.status_code == 400
        assert "null character" in response.content.decode()
