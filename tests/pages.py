"""Following a list page's pagination links the way a browser does."""

import html
import re


def page_link(response, rel: str = "next") -> str | None:
    """The URL of the pagination link with this rel ("next" or "prev") on
    `response`'s page, or None when there is none."""
    found = re.search(rf'<a href="([^"]*)"[^>]*rel="{rel}"', response.content.decode())
    if found is None:
        return None
    href = html.unescape(found.group(1))
    return response.request["PATH_INFO"] + href if href.startswith("?") else href


def walk(client, url: str, rel: str = "next"):
    """Every page from `url` on, following `rel` links: the responses."""
    pages = []
    while url:
        assert len(pages) < 100, "pagination loops"
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response)
        url = page_link(response, rel)
    return pages
