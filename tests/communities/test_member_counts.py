"""The active-member counters (MemberCount) equal a count from scratch after
every service that changes who is active in a community or what leadership
role an active member has; the community page's member overview and the
home panel read them, and show every change at once."""

import pytest
from django.db.models import Count
from django.urls import reverse

from communities import services
from communities.models import MemberCount, Membership
from communities.services.counts import member_counts_recount
from communities.services.provisioning import group_members_change, group_provision
from communities.services.undo import check_membership_undo, membership_undo_token
from members.models import LeadershipRole, User
from members.services import (
    deactivate_member,
    leadership_role_set,
    profile_update,
    reactivate_member,
)
from privacy.erasure import member_erase
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = Membership.Status


def _from_scratch() -> dict:
    rows = (
        Membership.objects.filter(status=Status.ACTIVE)
        .values_list("community_id", "user__leadership_role")
        .annotate(n=Count("pk"))
    )
    return {(community, role): n for community, role, n in rows}


def _counters() -> dict:
    return {
        (row.community_id, row.leadership_role): row.active
        for row in MemberCount.objects.filter(active__gt=0)
    }


def _assert_true():
    assert _counters() == _from_scratch()


def test_counters_follow_every_membership_service(staff):
    steward = UserFactory(leadership_role=LeadershipRole.EXECUTIVE)
    community = services.community_create(
        acting_user=steward, name="Lean", purpose="Flow."
    )
    _assert_true()
    assert _counters() == {(community.pk, LeadershipRole.EXECUTIVE): 1}
    private = services.community_create(
        acting_user=steward, name="Safety", purpose="Care.", visibility="private"
    )
    ana, bo, cy = (
        UserFactory(leadership_role=LeadershipRole.NETWORKER),
        UserFactory(leadership_role=LeadershipRole.LINE_LEADER),
        UserFactory(),
    )

    services.community_join(acting_user=ana, community=community)
    services.community_join(acting_user=ana, community=community)  # twice: once
    services.community_join(acting_user=bo, community=community)
    _assert_true()
    assert _counters()[(community.pk, LeadershipRole.NETWORKER)] == 1

    request = services.community_request_join(acting_user=cy, community=private)
    _assert_true()  # a request is not a member
    services.membership_approve(acting_user=steward, membership=request)
    _assert_true()

    bo_membership = Membership.objects.get(user=bo, community=community)
    services.membership_promote(acting_user=steward, membership=bo_membership)
    services.membership_demote(acting_user=steward, membership=bo_membership)
    _assert_true()

    services.community_leave(acting_user=ana, community=community)
    _assert_true()
    assert (community.pk, LeadershipRole.NETWORKER) not in _counters()
    services.community_join(acting_user=ana, community=community)  # back again
    _assert_true()

    invited = services.community_invite(
        acting_user=steward, community=private, invitee=ana
    )
    _assert_true()
    services.invitation_accept(acting_user=ana, community=private)
    _assert_true()

    removed = services.membership_remove(acting_user=steward, membership=invited)
    _assert_true()
    token = membership_undo_token(
        acting_user=steward, membership=removed, before=(Status.ACTIVE, "member")
    )
    check_membership_undo(acting_user=steward, token=token)
    _assert_true()
    assert _counters()[(private.pk, LeadershipRole.NETWORKER)] == 1

    leadership_role_set(actor=staff, member=ana, role=LeadershipRole.EXECUTIVE)
    _assert_true()
    assert _counters()[(community.pk, LeadershipRole.EXECUTIVE)] == 2

    deactivate_member(member=ana)
    _assert_true()
    reactivate_member(member=ana)
    _assert_true()

    group = group_provision(display_name="Lean")
    dee = UserFactory(leadership_role=LeadershipRole.NETWORKER)
    group_members_change(group=group, add=[dee, cy])
    _assert_true()
    group_members_change(group=group, remove=[dee])
    _assert_true()

    member_erase(member=ana)
    _assert_true()
    member_erase(member=cy)
    _assert_true()
    assert _counters() == {
        (community.pk, LeadershipRole.EXECUTIVE): 1,
        (community.pk, LeadershipRole.LINE_LEADER): 1,
        (private.pk, LeadershipRole.EXECUTIVE): 1,
    }


def test_recount_repairs_counters_written_around_the_services():
    community = CommunityFactory()
    Membership.objects.create(
        user=UserFactory(), community=community, status=Status.ACTIVE
    )
    MemberCount.objects.update(active=0)
    assert _counters() != _from_scratch()
    member_counts_recount(community_ids=[community.pk])
    _assert_true()
    MemberCount.objects.all().delete()
    member_counts_recount()
    _assert_true()


def _shown(page) -> list:
    return [User.objects.get(pk=pk) for pk in page.context["people"].shown_user_ids]


def test_overview_and_home_show_a_join_and_a_leave_at_once(client, member):
    community = CommunityFactory(name="Lean")
    MembershipFactory(community=community, steward=True)
    client.force_login(member)
    page = client.get(community.get_absolute_url())
    assert page.context["people"].total == 1
    assert member not in _shown(page)

    services.community_join(acting_user=member, community=community)
    page = client.get(community.get_absolute_url())
    assert page.context["people"].total == 2
    assert member in _shown(page)
    home = client.get(reverse("home"))
    assert "2 members" in home.content.decode()

    services.community_leave(acting_user=member, community=community)
    other = UserFactory()
    client.force_login(other)
    page = client.get(community.get_absolute_url())
    assert page.context["people"].total == 1
    assert member not in _shown(page)


def test_overview_follows_a_new_role_a_new_name_and_a_deactivation(
    client, member, staff
):
    community = CommunityFactory()
    MembershipFactory(community=community, steward=True)
    MembershipFactory(community=community, user=member)
    client.force_login(staff)

    def groups():
        people = client.get(community.get_absolute_url()).context["people"]
        return people.total, {role: (n, ids) for role, n, ids in people.groups}

    _total, shown = groups()
    assert shown[LeadershipRole.NONE][1].count(member.pk) == 1

    leadership_role_set(actor=staff, member=member, role=LeadershipRole.NETWORKER)
    _total, shown = groups()
    assert shown[LeadershipRole.NETWORKER] == (1, [member.pk])
    assert member.pk not in shown[LeadershipRole.NONE][1]

    profile_update(member=member, display_name="Mia Renamed")
    assert "Mia Renamed" in client.get(community.get_absolute_url()).content.decode()

    deactivate_member(member=member)
    total, shown = groups()
    assert total == 1
    assert all(member.pk not in ids for _n, ids in shown.values())
