"""The "Contributions" section of a member's profile page (registered with
members.sections, page "profile", from KnowledgeConfig.ready())."""

from knowledge import selectors


def contributions_section(request, member):
    """Their latest items and accepted answers that the viewer may see:
    nothing from a private community reaches someone outside it."""
    items, answered = selectors.contributions_of(member=member, viewer=request.user)
    return {
        "template": "knowledge/_profile_contributions.html",
        "member": member,
        "items": items,
        "answered": answered,
        "is_me": member.pk == request.user.pk,
    }
