"""The digest links on a community's page (registered with
members.sections, page "community", from DigestsConfig.ready())."""

from communities.access import can_view_content


def latest_digest_panel(request, community, membership):
    """Links to the community's latest digest and its archive, for those who
    may read its content. No query of its own: /digests/latest/ finds the
    digest when followed, so the community page stays at its pinned cost."""
    if not can_view_content(request.user, community, membership):
        return None
    return {
        "template": "digests/_community_panel.html",
        "community": community,
    }
