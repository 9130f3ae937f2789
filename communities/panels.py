"""Sections that higher apps add to a community's page.

communities may not import knowledge or mentoring, so those apps register a
provider here from their AppConfig.ready():

    from communities import panels
    panels.register(knowledge_feed_panel)

A provider is `fn(request, community, membership) -> dict | None`; the dict
holds "template" and the context it needs (already queried), and is included
on the community page in registration order, unless registered `before`
another provider.
"""

_providers = []


def register(provider, *, before=None):
    if provider in _providers:
        return provider
    if before in _providers:
        _providers.insert(_providers.index(before), provider)
    else:
        _providers.append(provider)
    return provider


def panels_for(request, community, membership) -> list[dict]:
    found = []
    for provider in _providers:
        panel = provider(request, community, membership)
        if panel:
            found.append(panel)
    return found
