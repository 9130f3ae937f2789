"""The follow form on a community's page and a member's profile (registered
with members.sections from KnowledgeConfig.ready())."""

from django.utils.translation import gettext as _

from knowledge.follow_views import follow_button
from knowledge.watching import can_follow_community


def _section(request, template, label, **button):
    return {
        "template": template,
        "follow": follow_button(request, **button),
        "label": label,
    }


def community_follow_section(request, community, membership):
    """Nothing for those who may not follow it (a private community's
    non-members, staff included: they join to follow)."""
    if not can_follow_community(request.user, community):
        return None
    return _section(
        request,
        "knowledge/_follow_panel.html",
        _("Follow this community"),
        kind="community",
        target=community,
        key=community.slug,
        name=community.name,
    )


def profile_follow_section(request, member):
    user = request.user
    if not user.is_authenticated or member.pk == user.pk or not member.is_active:
        return None
    return _section(
        request,
        "knowledge/_follow_section.html",
        _("Follow this person"),
        kind="person",
        target=member,
        key=member.username,
        name=member.display_name,
    )
