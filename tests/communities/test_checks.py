"""The checked entry points (check_*): each fetches with its permission check,
so any interface calling it (page, API, task) refuses whom the page refuses,
and a refusal changes nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities.models import Community, Membership
from communities.services.errors import MembershipError
from communities.services.lifecycle import (
    check_community_archive,
    check_community_create,
    check_community_reopen,
    check_community_update,
)
from communities.services.membership import (
    check_community_join,
    check_community_leave,
    check_community_request_join,
    check_invitation_accept,
    check_invitation_decline,
)
from communities.services.stewards import (
    check_community_invite,
    check_membership_approve,
    check_membership_decline,
    check_membership_demote,
    check_membership_promote,
    check_membership_remove,
)
from tests.communities.factories import MembershipFactory
from tests.members.factories import UserFactory

Status = Membership.Status

EDIT = {
    "name": "Renamed",
    "slug": "renamed",
    "purpose": "New purpose.",
    "description": "",
    "tags": [],
    "visibility": "open",
}


def _snapshot():
    return (
        list(Community.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
    )


# --- Creating ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_create_refuses_anonymous_and_deactivated_people(db, who):
    acting_user = (
        AnonymousUser() if who == "anonymous" else UserFactory(is_active=False)
    )
    with pytest.raises(PermissionDenied):
        check_community_create(acting_user=acting_user, name="Lean", purpose="p")
    assert not Community.objects.exists()


def test_create_lets_a_member_create(db):
    creator = UserFactory()
    community = check_community_create(acting_user=creator, name="Lean", purpose="p")
    assert Membership.objects.get(community=community, user=creator).is_steward


# --- Stewards' writes on the community itself --------------------------------

STEWARD_COMMUNITY_CHECKS = {
    "update": lambda **kw: check_community_update(**kw, **EDIT),
    "archive": check_community_archive,
    "reopen": check_community_reopen,
}


@pytest.mark.parametrize("check", STEWARD_COMMUNITY_CHECKS)
@pytest.mark.parametrize(
    "who, where, refusal",
    [
        ("member", "open", PermissionDenied),
        ("outsider", "open", PermissionDenied),
        ("member", "private", PermissionDenied),
        ("outsider", "private", Http404),
        ("pending", "private", Http404),
    ],
)
def test_community_writes_refuse_non_stewards(world, check, who, where, refusal):
    community = getattr(world, where)
    before = _snapshot()
    with pytest.raises(refusal):
        STEWARD_COMMUNITY_CHECKS[check](
            acting_user=getattr(world, who), community_slug=community.slug
        )
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["steward", "staff"])
def test_stewards_and_staff_archive_and_edit(world, who):
    acting_user = getattr(world, who)
    archived = check_community_archive(
        acting_user=acting_user, community_slug=world.private.slug
    )
    assert archived.is_archived
    check_community_reopen(acting_user=acting_user, community_slug=world.private.slug)
    edited = check_community_update(
        acting_user=acting_user, community_slug=world.private.slug, **EDIT
    )
    assert (edited.name, edited.slug) == ("Renamed", "renamed")


def test_an_unknown_community_is_404(world):
    with pytest.raises(Http404):
        check_community_archive(acting_user=world.staff, community_slug="nowhere")


# --- A member's own moves -------------------------------------------------------

OWN_CHECKS = {
    "join": check_community_join,
    "request": check_community_request_join,
    "leave": check_community_leave,
    "accept": check_invitation_accept,
    "decline": check_invitation_decline,
}


@pytest.mark.parametrize("check", OWN_CHECKS)
def test_own_moves_refuse_anonymous(world, check):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        OWN_CHECKS[check](acting_user=AnonymousUser(), community_slug=world.open.slug)
    assert _snapshot() == before


@pytest.mark.parametrize("check", OWN_CHECKS)
def test_own_moves_refuse_deactivated_members(world, check):
    world.member.is_active = False
    world.member.save()
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        OWN_CHECKS[check](acting_user=world.member, community_slug=world.open.slug)
    assert _snapshot() == before


def test_join_hides_a_private_community_from_outsiders(world):
    with pytest.raises(Http404):
        check_community_join(
            acting_user=world.outsider, community_slug="people-leaders"
        )
    assert not Membership.objects.filter(user=world.outsider).exists()


def test_request_to_join_a_private_community_reaches_its_stewards(world):
    membership = check_community_request_join(
        acting_user=world.outsider, community_slug=world.private.slug
    )
    assert membership.status == Status.PENDING


def test_leave_is_404_for_someone_with_no_membership(world):
    with pytest.raises(Http404):
        check_community_leave(
            acting_user=world.outsider, community_slug="shift-handover"
        )


def test_leave_through_the_check(world):
    membership = check_community_leave(
        acting_user=world.member, community_slug=world.open.slug
    )
    assert membership.status == Status.LEFT


def test_accepting_without_an_invitation_is_refused(world):
    with pytest.raises(MembershipError, match="no invitation"):
        check_invitation_accept(
            acting_user=world.outsider, community_slug=world.open.slug
        )


def test_invitation_answers_through_the_checks(world):
    invitee = UserFactory()
    check_community_invite(
        acting_user=world.steward, community_slug=world.private.slug, invitee=invitee
    )
    accepted = check_invitation_accept(
        acting_user=invitee, community_slug=world.private.slug
    )
    assert accepted.is_active
    other = UserFactory()
    check_community_invite(
        acting_user=world.steward, community_slug=world.open.slug, invitee=other
    )
    declined = check_invitation_decline(
        acting_user=other, community_slug=world.open.slug
    )
    assert declined.status == Status.DECLINED


# --- Stewards acting on memberships -------------------------------------------


@pytest.mark.parametrize(
    "who, where, refusal",
    [
        ("member", "open", PermissionDenied),
        ("outsider", "open", PermissionDenied),
        ("outsider", "private", Http404),
    ],
)
def test_invite_refuses_non_stewards(world, who, where, refusal):
    invitee = UserFactory()
    with pytest.raises(refusal):
        check_community_invite(
            acting_user=getattr(world, who),
            community_slug=getattr(world, where).slug,
            invitee=invitee,
        )
    assert not Membership.objects.filter(user=invitee).exists()


MEMBERSHIP_CHECKS = {
    "approve": check_membership_approve,
    "decline": check_membership_decline,
    "promote": check_membership_promote,
    "demote": check_membership_demote,
    "remove": check_membership_remove,
}


@pytest.mark.parametrize("check", MEMBERSHIP_CHECKS)
@pytest.mark.parametrize(
    "who, refusal",
    [("member", PermissionDenied), ("pending", Http404)],
)
def test_membership_writes_refuse_non_stewards(world, check, who, refusal):
    target = Membership.objects.get(user=world.pending, community=world.private)
    before = _snapshot()
    with pytest.raises(refusal):
        MEMBERSHIP_CHECKS[check](
            acting_user=getattr(world, who),
            community_slug=world.private.slug,
            membership_id=target.pk,
        )
    assert _snapshot() == before


@pytest.mark.parametrize("check", MEMBERSHIP_CHECKS)
def test_membership_writes_hide_a_private_community_from_outsiders(world, check):
    target = Membership.objects.get(user=world.pending, community=world.private)
    with pytest.raises(Http404):
        MEMBERSHIP_CHECKS[check](
            acting_user=world.outsider,
            community_slug=world.private.slug,
            membership_id=target.pk,
        )


@pytest.mark.parametrize("check", MEMBERSHIP_CHECKS)
def test_a_steward_cannot_reach_a_membership_of_another_community(world, check):
    elsewhere = MembershipFactory()
    before = _snapshot()
    with pytest.raises(Http404):
        MEMBERSHIP_CHECKS[check](
            acting_user=world.steward,
            community_slug=world.open.slug,
            membership_id=elsewhere.pk,
        )
    assert _snapshot() == before


def test_a_steward_approves_promotes_and_removes_through_the_checks(world):
    target = Membership.objects.get(user=world.pending, community=world.private)
    kwargs = {
        "acting_user": world.steward,
        "community_slug": world.private.slug,
        "membership_id": target.pk,
    }
    assert check_membership_approve(**kwargs).is_active
    assert check_membership_promote(**kwargs).is_steward
    assert not check_membership_demote(**kwargs).is_steward
    assert check_membership_remove(**kwargs).status == Status.REMOVED
