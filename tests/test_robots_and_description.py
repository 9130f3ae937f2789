"""What crawlers and link previews read (Lighthouse's SEO audits): a valid
robots.txt that keeps them from the machine endpoints only, and a meta
description on every page."""

import re
from urllib.robotparser import RobotFileParser

import pytest

from tests.communities.factories import CommunityFactory
from tests.members.factories import UserFactory


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_from_the_machine_endpoints_only(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    for path in ("/", "/accounts/login/", "/communities/lean/", "/search/?q=x"):
        assert robots.can_fetch("AnyBot", path), path
    for path in ("/admin/", "/api/v1/items/", "/o/token/", "/scim/v2/Users"):
        assert not robots.can_fetch("AnyBot", path), path


@pytest.mark.django_db
def test_robots_txt_refuses_writes(client):
    assert client.post("/robots.txt").status_code == 405


DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


@pytest.mark.django_db
def test_pages_have_a_meta_description(client):
    CommunityFactory(slug="lean")
    pages = ["/", "/accounts/login/"]
    found = [DESCRIPTION.search(client.get(url).content.decode()) for url in pages]
    client.force_login(UserFactory())
    for url in ["/", "/communities/", "/communities/lean/", "/search/?q=lean"]:
        found.append(DESCRIPTION.search(client.get(url).content.decode()))
    assert all(match and len(match.group(1)) > 40 for match in found), found
