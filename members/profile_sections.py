"""Sections that higher apps add to a member's profile page.

members may not import the apps above it, so they register a provider from
their AppConfig.ready():

    from members import profile_sections
    profile_sections.register(mentoring_offer_section)

A provider is `fn(request, member) -> dict | None`; the dict holds "template"
and the context it needs (already queried, through the app's selectors and
communities.access for anything private). Sections appear in registration order
inside the profile template's `profile_sections` block.
"""

_providers = []


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request, member) -> list[dict]:
    found = []
    for provider in _providers:
        section = provider(request, member)
        if section:
            found.append(section)
    return found
