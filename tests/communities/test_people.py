"""The people part of a community's page (stewards, members by leadership
role) is rendered once and served from the cache to everyone who may open
the page (communities.people): every change to who is shown, or to how a
shown person looks, shows at once, and a private community's people never
reach an outsider."""

import pytest
from django.urls import reverse

from communities import selectors, services
from communities.services.stewards import (
    membership_demote,
    membership_promote,
    membership_remove,
)
from members.avatars import avatar_html
from members.models import LeadershipRole
from members.services import avatar_remove, leadership_role_set, profile_update
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory
from tests.members.test_avatar_upload import _give_photo

pytestmark = pytest.mark.django_db


def _aside(response) -> str:
    """The page's people part, as served."""
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<aside class="community-aside"')
    return html[start : html.index("</aside>", start)]


def _stewards(aside: str) -> str:
    return aside[: aside.index('id="members-title"')]


def _group(aside: str, role) -> str:
    """The people listed under one leadership role."""
    start = aside.index(f'<h3 class="role-title">{role.label} ')
    return aside[start : aside.index("</ul>", start)]


@pytest.fixture
def lean(db):
    community = CommunityFactory(name="Lean")
    steward = MembershipFactory(
        community=community, steward=True, user=UserFactory(display_name="Sam Steward")
    ).user
    return community, steward


def test_one_rendering_serves_every_viewer(
    client, lean, member, other_member, monkeypatch
):
    """The second viewer is served the first one's rendering: nothing of
    the people part is read again."""
    community, _steward = lean
    MembershipFactory(community=community, user=member)
    client.force_login(member)
    first = _aside(client.get(community.get_absolute_url()))
    client.force_login(other_member)
    calls = []
    for name in ("member_overview", "community_stewards"):
        monkeypatch.setattr(
            selectors, name, lambda *a, name=name, **k: calls.append(name)
        )
    second = _aside(client.get(community.get_absolute_url()))
    assert calls == []
    assert second == first
    assert "Mia Member" in first
    assert "Sam Steward" in first


def test_a_join_and_a_leave_show_at_once(client, lean, member, other_member):
    community, _steward = lean
    client.force_login(other_member)
    page = client.get(community.get_absolute_url())
    assert "Mia Member" not in _aside(page)
    assert "1 member" in page.content.decode()

    services.community_join(acting_user=member, community=community)
    page = client.get(community.get_absolute_url())
    assert "Mia Member" in _aside(page)
    assert "2 members" in page.content.decode()

    services.community_leave(acting_user=member, community=community)
    page = client.get(community.get_absolute_url())
    assert "Mia Member" not in _aside(page)
    assert "1 member" in page.content.decode()


def test_a_steward_promoted_demoted_or_removed_shows_at_once(
    client, lean, member, other_member
):
    community, steward = lean
    membership = MembershipFactory(community=community, user=member)
    client.force_login(other_member)
    assert "Mia Member" not in _stewards(
        _aside(client.get(community.get_absolute_url()))
    )

    membership_promote(acting_user=steward, membership=membership)
    assert "Mia Member" in _stewards(_aside(client.get(community.get_absolute_url())))

    membership.refresh_from_db()
    membership_demote(acting_user=steward, membership=membership)
    aside = _aside(client.get(community.get_absolute_url()))
    assert "Mia Member" not in _stewards(aside)
    assert "Mia Member" in aside

    membership.refresh_from_db()
    membership_remove(acting_user=steward, membership=membership)
    assert "Mia Member" not in _aside(client.get(community.get_absolute_url()))


def test_the_last_steward_is_told_at_once(client, lean, member):
    """Whether the viewer is the only steward comes from the cached part's
    steward count: a second steward lifts the note at once."""
    community, steward = lean
    membership = MembershipFactory(community=community, user=member)
    client.force_login(steward)
    note = "You are the only steward"
    assert note in client.get(community.get_absolute_url()).content.decode()
    membership_promote(acting_user=steward, membership=membership)
    assert note not in client.get(community.get_absolute_url()).content.decode()


def test_a_rename_a_new_role_and_a_photo_show_at_once(
    client, lean, member, other_member, staff
):
    community, _steward = lean
    MembershipFactory(community=community, user=member)
    client.force_login(other_member)
    aside = _aside(client.get(community.get_absolute_url()))
    assert "Mia Member" in aside

    profile_update(member=member, display_name="Mia Renamed", job_title="Welder")
    aside = _aside(client.get(community.get_absolute_url()))
    assert "Mia Member" not in aside
    assert "Mia Renamed" in aside
    assert "Welder" in aside

    leadership_role_set(actor=staff, member=member, role=LeadershipRole.LINE_LEADER)
    aside = _aside(client.get(community.get_absolute_url()))
    assert "Mia Renamed" in _group(aside, LeadershipRole.LINE_LEADER)
    assert "Mia Renamed" not in _group(aside, LeadershipRole.NONE)

    _give_photo(member)
    member.refresh_from_db()
    photo = avatar_html(member, 28)
    assert "<img" in photo
    assert photo in _aside(client.get(community.get_absolute_url()))

    avatar_remove(member=member)
    member.refresh_from_db()
    aside = _aside(client.get(community.get_absolute_url()))
    assert photo not in aside
    assert avatar_html(member, 28) in aside


def test_the_welcome_names_the_stewards_of_now(client, lean, member):
    community, steward = lean
    newcomer = services.community_join(acting_user=member, community=community)
    client.force_login(member)
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Your steward is" in page
    assert "<strong>Sam Steward</strong>" in page

    other = MembershipFactory(community=community, user=UserFactory(display_name="Ola"))
    membership_promote(acting_user=steward, membership=other)
    profile_update(member=steward, display_name="Sam Renamed")
    newcomer.refresh_from_db()
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Your stewards are" in page
    assert "<strong>Ola</strong>" in page
    assert "<strong>Sam Renamed</strong>" in page


def test_a_private_communitys_people_never_reach_an_outsider(
    client, member, other_member, staff
):
    """An insider's view fills the cache; an outsider, even with the cache
    warm, gets the 404 and none of the names, on the page and on the
    community list."""
    secret = CommunityFactory(name="Secret", private=True)
    MembershipFactory(
        community=secret, steward=True, user=UserFactory(display_name="Quiet Steward")
    )
    MembershipFactory(community=secret, user=member)
    client.force_login(member)
    assert "Quiet Steward" in _aside(client.get(secret.get_absolute_url()))
    assert "Mia Member" in _aside(client.get(secret.get_absolute_url()))

    client.force_login(other_member)
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert "Quiet Steward" not in body
    assert "Mia Member" not in body
    listing = client.get(reverse("communities:list")).content.decode()
    assert "Quiet Steward" not in listing


def test_another_communitys_people_are_never_served(client, lean, member):
    """The key is the community's own: two communities, two renderings."""
    community, _steward = lean
    other = CommunityFactory(name="Safety")
    MembershipFactory(community=other, user=UserFactory(display_name="Olga Other"))
    MembershipFactory(community=community, user=member)
    client.force_login(member)
    assert "Olga Other" not in _aside(client.get(community.get_absolute_url()))
    assert "Mia Member" not in _aside(client.get(other.get_absolute_url()))
    assert "Olga Other" in _aside(client.get(other.get_absolute_url()))


def test_new_topics_and_a_new_name_show_at_once(client, lean, member):
    """The header's topics are cached under COMMUNITY_NAMES_VERSION, which
    community_update bumps."""
    community, steward = lean
    community.tags.set(["kaizen"])
    client.force_login(member)
    page = client.get(community.get_absolute_url()).content.decode()
    assert "?tag=kaizen" in page

    services.community_update(
        community=community,
        acting_user=steward,
        name="Lean Renamed",
        slug=community.slug,
        purpose=community.purpose,
        tags=["five-s", "andon"],
        visibility=community.visibility,
    )
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Lean Renamed" in page
    assert "?tag=kaizen" not in page
    assert page.index("?tag=andon") < page.index("?tag=five-s")


def test_a_private_communitys_topics_never_reach_an_outsider(
    client, member, other_member
):
    secret = CommunityFactory(name="Secret", private=True, tags=["merger"])
    MembershipFactory(community=secret, user=member)
    client.force_login(member)
    assert "?tag=merger" in client.get(secret.get_absolute_url()).content.decode()
    client.force_login(other_member)
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 404
    assert "merger" not in response.content.decode()
