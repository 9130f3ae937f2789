"""Sections that apps add to pages they do not own: the home page, a
community's page and a member's profile.

Apps import only the apps below them (members <- communities <- knowledge <-
mentoring <- dashboards), so the page's own code cannot call up to the apps
that have something to show on it. Each app registers a provider instead,
from its AppConfig.ready():

    from members import sections
    sections.register("community", community_feed_panel, order=20)

A provider is `fn(request, **context) -> dict | None`, called with the page's
context as keywords:

    "home"       (nothing)
    "community"  community=, membership= (the viewer's, or None)
    "profile"    member=

It returns None when it has nothing for this request, else a dict holding
"template" and the context that template needs, already queried through the
app's selectors (and communities.access for anything private). The page
includes the templates in `order`, lowest first; providers with the same
order keep the order in which they were registered.
"""

from collections.abc import Callable
from dataclasses import dataclass

PAGES = ("home", "community", "profile")
DEFAULT_ORDER = 100


@dataclass(frozen=True)
class _Entry:
    provider: Callable
    order: int


_entries: dict[str, list[_Entry]] = {page: [] for page in PAGES}


def register(page: str, provider: Callable, *, order: int = DEFAULT_ORDER):
    """Add `provider` to `page`. Registering the same provider again changes
    nothing, so a ready() that runs twice does not show a section twice."""
    if page not in PAGES:
        raise ValueError(f"Unknown page {page!r}: one of {', '.join(PAGES)}.")
    entries = _entries[page]
    if not any(entry.provider is provider for entry in entries):
        entries.append(_Entry(provider, order))
        entries.sort(key=lambda entry: entry.order)  # stable: ties keep order
    return provider


def unregister(page: str, provider: Callable) -> None:
    _entries[page] = [e for e in _entries[page] if e.provider is not provider]


def providers_for(page: str) -> list[Callable]:
    return [entry.provider for entry in _entries[page]]


def sections_for(page: str, request, **context) -> list[dict]:
    """What every provider of `page` has to show for this request, in order;
    providers that return None are left out."""
    found = []
    for entry in _entries[page]:
        section = entry.provider(request, **context)
        if section:
            found.append(section)
    return found
