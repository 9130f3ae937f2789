"""Membership flows at the service layer: every write, its notifications,
idempotency and the last-steward rule."""

import pytest
from django.utils import timezone

from communities import services
from communities.models import Community, Membership, Visibility
from notifications.models import Notification
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.members.factories import UserFactory

Status = Membership.Status
Role = Membership.Role

pytestmark = pytest.mark.django_db


def _m(user, community):
    return Membership.objects.get(user=user, community=community)


def _kinds(user):
    return list(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


class TestCreate:
    def test_creator_becomes_the_active_steward_and_slug_comes_from_name(self):
        creator = UserFactory()
        community = services.community_create(
            acting_user=creator,
            name="  Shift Handover Practice ",
            purpose="Handing over well.",
            description="We *care*.",
            tags=["Safety", "lean", " "],
        )
        assert community.slug == "shift-handover-practice"
        assert community.name == "Shift Handover Practice"
        assert community.description_html == "<p>We <em>care</em>.</p>"
        assert sorted(t.name for t in community.tags.all()) == ["lean", "safety"]
        membership = _m(creator, community)
        assert membership.is_steward and membership.joined_at is not None

    def test_a_free_slug_is_chosen_when_the_derived_one_is_taken(self):
        CommunityFactory(name="Other", slug="lean")
        community = services.community_create(
            acting_user=UserFactory(), name="Lean", purpose="p"
        )
        assert community.slug == "lean-2"

    def test_description_is_sanitised(self):
        community = services.community_create(
            acting_user=UserFactory(),
            name="Safe",
            purpose="p",
            description="<script>alert(1)</script>[x](javascript:alert(1))",
        )
        assert "<script>" not in community.description_html
        assert "javascript:" not in community.description_html


class TestJoin:
    def test_joining_an_open_community_is_immediate(self):
        community, user = CommunityFactory(), UserFactory()
        membership = services.community_join(acting_user=user, community=community)
        assert membership.is_active and membership.role == Role.MEMBER
        assert membership.is_newcomer

    def test_joining_twice_changes_nothing(self):
        community, user = CommunityFactory(), UserFactory()
        first = services.community_join(acting_user=user, community=community)
        second = services.community_join(acting_user=user, community=community)
        assert first.pk == second.pk
        assert second.joined_at == first.joined_at
        assert Membership.objects.filter(community=community).count() == 1

    def test_a_private_community_cannot_be_joined_directly(self):
        community = CommunityFactory(private=True)
        with pytest.raises(services.MembershipError, match="ask to join"):
            services.community_join(acting_user=UserFactory(), community=community)
        assert not Membership.objects.filter(community=community).exists()

    def test_rejoining_after_leaving_makes_you_a_newcomer_again(self):
        community, user = CommunityFactory(), UserFactory()
        old = timezone.now() - timezone.timedelta(days=400)
        MembershipFactory(
            user=user, community=community, status=Status.LEFT, joined_at=old
        )
        membership = services.community_join(acting_user=user, community=community)
        assert membership.is_active and membership.joined_at > old

    def test_removed_members_must_ask_instead(self):
        community, user = CommunityFactory(), UserFactory()
        MembershipFactory(user=user, community=community, status=Status.REMOVED)
        with pytest.raises(services.MembershipError, match="ask to join again"):
            services.community_join(acting_user=user, community=community)
        steward = MembershipFactory(community=community, steward=True).user
        membership = services.community_request_join(
            acting_user=user, community=community
        )
        assert membership.status == Status.PENDING
        assert _kinds(steward) == ["communities.request"]

    def test_nobody_joins_an_archived_community(self):
        community = CommunityFactory(archived_at=timezone.now())
        with pytest.raises(services.CommunityArchivedError):
            services.community_join(acting_user=UserFactory(), community=community)


class TestRequest:
    def test_request_is_pending_and_every_steward_is_told_once(self):
        community = CommunityFactory(private=True)
        stewards = [
            MembershipFactory(community=community, steward=True).user for _ in range(2)
        ]
        user = UserFactory()
        services.community_request_join(acting_user=user, community=community)
        services.community_request_join(acting_user=user, community=community)
        assert _m(user, community).status == Status.PENDING
        for steward in stewards:
            assert _kinds(steward) == ["communities.request"]
        assert Membership.objects.filter(community=community, user=user).count() == 1

    def test_approval_activates_and_tells_the_requester(self):
        community = CommunityFactory(private=True)
        steward = MembershipFactory(community=community, steward=True).user
        pending = MembershipFactory(community=community, pending=True)
        services.membership_approve(acting_user=steward, membership=pending)
        pending.refresh_from_db()
        assert pending.is_active and pending.joined_at is not None
        assert _kinds(pending.user) == ["communities.approved"]
        # Approving twice changes nothing and tells nobody again.
        services.membership_approve(acting_user=steward, membership=pending)
        assert _kinds(pending.user) == ["communities.approved"]

    def test_decline_tells_the_requester_who_may_ask_again(self):
        community = CommunityFactory(private=True)
        steward = MembershipFactory(community=community, steward=True).user
        pending = MembershipFactory(community=community, pending=True)
        services.membership_decline(acting_user=steward, membership=pending)
        pending.refresh_from_db()
        assert pending.status == Status.DECLINED
        assert _kinds(pending.user) == ["communities.declined"]
        again = services.community_request_join(
            acting_user=pending.user, community=community
        )
        assert again.status == Status.PENDING

    def test_requesting_an_open_community_joins_it(self):
        community, user = CommunityFactory(), UserFactory()
        membership = services.community_request_join(
            acting_user=user, community=community
        )
        assert membership.is_active


class TestInvite:
    def test_invitation_then_accept(self):
        community = CommunityFactory(private=True)
        steward = MembershipFactory(community=community, steward=True).user
        invitee = UserFactory()
        membership = services.community_invite(
            acting_user=steward, community=community, invitee=invitee
        )
        assert membership.status == Status.INVITED
        assert membership.invited_by == steward
        assert _kinds(invitee) == ["communities.invited"]
        services.community_invite(
            acting_user=steward, community=community, invitee=invitee
        )
        assert _kinds(invitee) == ["communities.invited"]  # not twice
        services.invitation_accept(acting_user=invitee, community=community)
        assert _m(invitee, community).is_active
        assert _kinds(steward) == ["communities.invitation_accepted"]

    def test_invitation_decline_tells_the_inviter(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True).user
        invitee = UserFactory()
        services.community_invite(
            acting_user=steward, community=community, invitee=invitee
        )
        services.invitation_decline(acting_user=invitee, community=community)
        assert _m(invitee, community).status == Status.DECLINED
        assert _kinds(steward) == ["communities.invitation_declined"]

    def test_inviting_a_requester_lets_them_in(self):
        community = CommunityFactory(private=True)
        steward = MembershipFactory(community=community, steward=True).user
        pending = MembershipFactory(community=community, pending=True)
        services.community_invite(
            acting_user=steward, community=community, invitee=pending.user
        )
        assert _m(pending.user, community).is_active

    def test_inviting_a_member_changes_nothing(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True).user
        member = MembershipFactory(community=community)
        services.community_invite(
            acting_user=steward, community=community, invitee=member.user
        )
        assert _m(member.user, community).is_active
        assert _kinds(member.user) == []

    def test_accepting_without_an_invitation_is_refused(self):
        with pytest.raises(services.MembershipError, match="no invitation"):
            services.invitation_accept(
                acting_user=UserFactory(), community=CommunityFactory()
            )

    def test_asking_to_join_when_invited_accepts(self):
        community = CommunityFactory(private=True)
        steward = MembershipFactory(community=community, steward=True).user
        invitee = UserFactory()
        services.community_invite(
            acting_user=steward, community=community, invitee=invitee
        )
        services.community_request_join(acting_user=invitee, community=community)
        assert _m(invitee, community).is_active


class TestLastSteward:
    def test_the_last_steward_cannot_leave(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        with pytest.raises(services.LastStewardError, match="last steward"):
            services.community_leave(acting_user=steward.user, community=community)
        steward.refresh_from_db()
        assert steward.is_steward

    def test_a_steward_may_leave_once_another_steward_exists(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        other = MembershipFactory(community=community)
        services.membership_promote(acting_user=steward.user, membership=other)
        services.community_leave(acting_user=steward.user, community=community)
        steward.refresh_from_db()
        assert steward.status == Status.LEFT and steward.role == Role.MEMBER

    def test_the_last_steward_cannot_be_demoted(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        with pytest.raises(services.LastStewardError):
            services.membership_demote(
                acting_user=UserFactory(is_staff=True), membership=steward
            )
        steward.refresh_from_db()
        assert steward.role == Role.STEWARD

    def test_the_last_steward_cannot_be_removed(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        with pytest.raises(services.LastStewardError):
            services.membership_remove(
                acting_user=UserFactory(is_staff=True), membership=steward
            )

    def test_pending_stewards_do_not_count(self):
        """A steward role on a non-active membership is no steward at all."""
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        MembershipFactory(community=community, role=Role.STEWARD, status=Status.LEFT)
        with pytest.raises(services.LastStewardError):
            services.membership_demote(acting_user=steward.user, membership=steward)

    def test_demote_with_two_stewards_and_notification(self):
        community = CommunityFactory()
        a = MembershipFactory(community=community, steward=True)
        b = MembershipFactory(community=community, steward=True)
        services.membership_demote(acting_user=a.user, membership=b)
        b.refresh_from_db()
        assert b.role == Role.MEMBER
        assert _kinds(b.user) == ["communities.demoted"]
        with pytest.raises(services.LastStewardError):
            services.membership_demote(acting_user=a.user, membership=a)


class TestStewardActions:
    def test_promote_requires_an_active_member(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        pending = MembershipFactory(community=community, pending=True)
        with pytest.raises(services.MembershipError, match="active members"):
            services.membership_promote(acting_user=steward.user, membership=pending)

    def test_promote_tells_the_new_steward_once(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        member = MembershipFactory(community=community)
        services.membership_promote(acting_user=steward.user, membership=member)
        services.membership_promote(acting_user=steward.user, membership=member)
        member.refresh_from_db()
        assert member.is_steward
        assert _kinds(member.user) == ["communities.promoted"]

    def test_remove_a_member(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        member = MembershipFactory(community=community)
        services.membership_remove(acting_user=steward.user, membership=member)
        member.refresh_from_db()
        assert member.status == Status.REMOVED
        assert _kinds(member.user) == ["communities.removed"]

    def test_archive_makes_the_community_read_only_and_reopen_undoes_it(self):
        community = CommunityFactory()
        steward = MembershipFactory(community=community, steward=True)
        member = MembershipFactory(community=community)
        services.community_archive(community=community, acting_user=steward.user)
        community.refresh_from_db()
        first = community.archived_at
        assert community.is_archived
        services.community_archive(community=community, acting_user=steward.user)
        community.refresh_from_db()
        assert community.archived_at == first
        for action in (
            lambda: services.membership_promote(
                acting_user=steward.user, membership=member
            ),
            lambda: services.community_invite(
                acting_user=steward.user, community=community, invitee=UserFactory()
            ),
            lambda: services.community_update(
                community=community,
                acting_user=steward.user,
                name="New",
                slug="new-x",
                purpose="p",
                visibility=Visibility.OPEN,
            ),
        ):
            with pytest.raises(services.CommunityArchivedError):
                action()
        services.community_reopen(community=community, acting_user=steward.user)
        community.refresh_from_db()
        assert not community.is_archived

    def test_update_renders_description_and_replaces_tags(self):
        community = CommunityFactory(tags=["old"])
        steward = MembershipFactory(community=community, steward=True)
        services.community_update(
            community=community,
            acting_user=steward.user,
            name="Renamed",
            slug="renamed",
            purpose="New purpose",
            description="**Bold**",
            tags=["new"],
            visibility=Visibility.PRIVATE,
        )
        community = Community.objects.get(pk=community.pk)
        assert (community.name, community.slug) == ("Renamed", "renamed")
        assert community.description_html == "<p><strong>Bold</strong></p>"
        assert [t.name for t in community.tags.all()] == ["new"]
        assert community.is_private


class TestWelcomeAndActivity:
    def test_welcome_step_complete_ticks_once_for_active_members_only(self):
        community = CommunityFactory()
        member = MembershipFactory(community=community)
        pending = MembershipFactory(community=community, pending=True)
        assert services.welcome_step_complete(
            user=member.user, community=community, step="introduce"
        )
        assert not services.welcome_step_complete(
            user=member.user, community=community, step="introduce"
        )
        assert not services.welcome_step_complete(
            user=pending.user, community=community, step="read"
        )
        member.refresh_from_db()
        assert member.introduced_at is not None and member.read_helpful_at is None

    def test_record_activity_only_moves_forward(self):
        community = CommunityFactory()
        later = timezone.now() + timezone.timedelta(hours=1)
        services.community_record_activity(community_id=community.pk, at=later)
        services.community_record_activity(
            community_id=community.pk, at=later - timezone.timedelta(days=1)
        )
        community.refresh_from_db()
        assert community.last_activity_at == later
