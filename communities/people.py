"""The people part of a community's page (its stewards and its members by
leadership role), rendered once for everyone who may open the page.

It shows nothing about the viewer, so one rendering per community (and
language, time zone and template text: members.fragment_cache.fragment_key)
serves every viewer. It is cached under two versions the services bump: the
community's members (communities.services.counts.members_changed: a join, a
leave, an approval, a removal, a steward promoted or demoted, a leadership
role moved, a deactivation or an erasure) and PROFILE_VERSION (a name, job,
place, leadership role or photo changed). Writes around the services (the
admin) show within members.versioned_cache.DEFAULT_TIMEOUT.

Who may see it is decided before it is looked up: the page's
communities.access.access_community 404s a private community for outsiders,
and the key is the community's own, so an outsider is never served it.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from communities import selectors
from communities.services.counts import members_version
from members.fragment_cache import fragment_key
from members.selectors import PROFILE_VERSION
from members.versioned_cache import cached

TEMPLATE = "communities/_people.html"


@dataclass(frozen=True)
class People:
    html: SafeString
    total: int
    # The stewards' names, for the newcomer's welcome ("Your stewards are").
    steward_names: list[str]
    # (leadership role, count, the ids of the members shown) per role.
    groups: list[tuple[str, int, list[int]]] = field(default_factory=list)

    @property
    def shown_user_ids(self) -> list[int]:
        return [user_id for _role, _count, ids in self.groups for user_id in ids]


def community_people(community) -> People:
    """The community's stewards and member overview, rendered: one cache
    read when nothing changed, else three queries (stewards, the role
    counters, the overview's sample)."""

    def compute() -> dict:
        stewards = selectors.community_stewards(community)
        overview = selectors.member_overview(community)
        html = render_to_string(
            TEMPLATE,
            {"community": community, "stewards": stewards, "overview": overview},
        )
        return {
            "html": html,
            "total": overview.total,
            "steward_names": [m.user.display_name for m in stewards],
            "groups": [
                (g.role, g.count, [m.user_id for m in g.members])
                for g in overview.groups
            ],
        }

    value = cached(
        fragment_key(TEMPLATE, (community.pk, community.slug)),
        [members_version(community.pk), PROFILE_VERSION],
        compute,
    )
    return People(
        html=mark_safe(value["html"]),  # noqa: S308 - rendered by our template
        total=value["total"],
        steward_names=value["steward_names"],
        groups=value["groups"],
    )
