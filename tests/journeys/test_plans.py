"""90-day plans: opened on join with the right dates and people, closed on
leaving, reopened (never doubled) on rejoining; steps completed by the right
people; reminders exactly once, on the day after a step was due."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from communities import services as communities
from communities.models import Membership
from journeys.models import Owner, Plan, PlanStep, StepKind, StepReminder, TourStop
from journeys.services.plans import StepError, check_step_complete
from journeys.services.reminders import reminders_send
from journeys.services.tours import TourError, check_tour_mark_read, tour_add
from notifications.models import Notification
from tests.communities.factories import MembershipFactory
from tests.journeys.conftest import START
from tests.knowledge.factories import ItemFactory

pytestmark = pytest.mark.django_db


def steps_of(plan):
    return {step.kind: step for step in plan.steps.all()}


def test_joining_opens_a_dated_plan_with_people_in_it(org):
    communities.community_join(acting_user=org.newcomer, community=org.lean)

    plan = Plan.objects.get(user=org.newcomer, community=org.lean)
    assert plan.started_on == date(2026, 3, 2)
    assert plan.closed_at is None
    steps = steps_of(plan)
    assert {kind: s.due_on for kind, s in steps.items()} == {
        StepKind.TOUR: date(2026, 3, 9),
        StepKind.CHECKIN: date(2026, 3, 16),
        StepKind.NETWORKER: date(2026, 4, 1),
        StepKind.PEER: date(2026, 5, 1),
        StepKind.STORY: date(2026, 5, 31),
    }
    assert steps[StepKind.CHECKIN].owner == Owner.STEWARD
    assert steps[StepKind.CHECKIN].owner_user == org.steward
    assert steps[StepKind.CHECKIN].person == org.steward
    for kind in (StepKind.TOUR, StepKind.NETWORKER, StepKind.PEER, StepKind.STORY):
        assert steps[kind].owner == Owner.NEWCOMER
        assert steps[kind].owner_user == org.newcomer
    assert all(s.done_at is None for s in steps.values())


def test_the_networker_comes_from_another_open_community_never_a_private_one(org):
    """Skunkworks shares more topics with Lean than Quality does, but it is
    private: its networker is never suggested, to anyone."""
    communities.community_join(acting_user=org.newcomer, community=org.lean)

    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.NETWORKER)
    assert step.person == org.networker
    assert step.via_community == org.quality


def test_no_networker_is_suggested_when_only_a_private_community_has_one(org):
    org.quality.tags.clear()

    communities.community_join(acting_user=org.newcomer, community=org.lean)

    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.NETWORKER)
    assert step.person is None
    assert step.via_community is None


def test_a_networker_already_in_the_community_is_not_suggested(org):
    MembershipFactory(user=org.networker, community=org.lean)

    communities.community_join(acting_user=org.newcomer, community=org.lean)

    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.NETWORKER)
    assert step.person is None


def test_the_peer_joined_around_the_same_time_or_shares_interests(org, clock):
    old_hand = org.member  # joined at START by the factory, no shared interest
    Membership.objects.filter(user=old_hand).update(
        joined_at=START - timedelta(days=400)
    )
    recent = MembershipFactory(
        community=org.lean, joined_at=START - timedelta(days=20)
    ).user
    sharing = MembershipFactory(
        community=org.lean,
        joined_at=START - timedelta(days=300),
        user__interests=["lean"],
    ).user

    communities.community_join(acting_user=org.newcomer, community=org.lean)

    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.PEER)
    assert step.person == sharing  # shared interests rank first
    step.plan.delete()
    sharing.interests.clear()
    Membership.objects.filter(user=org.newcomer).delete()
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.PEER)
    assert step.person == recent
    assert old_hand != step.person


def test_approving_a_request_opens_the_plan(org):
    communities.community_request_join(
        acting_user=org.newcomer, community=org.skunkworks
    )
    assert not Plan.objects.filter(user=org.newcomer).exists()

    membership = Membership.objects.get(user=org.newcomer, community=org.skunkworks)
    communities.membership_approve(acting_user=org.steward, membership=membership)

    assert Plan.objects.filter(user=org.newcomer, community=org.skunkworks).exists()


def test_leaving_closes_the_plan_and_rejoining_reopens_it_without_a_second(org, clock):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    clock.set(START + timedelta(days=10))
    communities.community_leave(acting_user=org.newcomer, community=org.lean)
    plan = Plan.objects.get(user=org.newcomer, community=org.lean)
    assert plan.closed_at == START + timedelta(days=10)

    clock.set(START + timedelta(days=20))
    communities.community_join(acting_user=org.newcomer, community=org.lean)

    plans = Plan.objects.filter(user=org.newcomer, community=org.lean)
    assert plans.count() == 1
    assert plans.get().closed_at is None
    assert PlanStep.objects.filter(plan__user=org.newcomer).count() == 5


def test_a_removed_member_s_plan_closes(org):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    membership = Membership.objects.get(user=org.newcomer, community=org.lean)

    communities.membership_remove(acting_user=org.steward, membership=membership)

    assert Plan.objects.get(user=org.newcomer).closed_at is not None


def test_a_failed_join_leaves_no_plan(org):
    """The plan is written in the join's transaction: no membership, no plan."""
    org.lean.archived_at = START
    org.lean.save()
    with pytest.raises(communities.CommunityArchivedError):
        communities.community_join(acting_user=org.newcomer, community=org.lean)
    assert not Plan.objects.exists()


# --- Reminders --------------------------------------------------------------


def test_reminders_go_once_to_each_owner_on_the_day_after_the_due_date(org, clock):
    communities.community_join(acting_user=org.newcomer, community=org.lean)

    assert reminders_send(today=date(2026, 3, 9)) == 0  # the tour is due today
    assert reminders_send(today=date(2026, 3, 10)) == 1  # now it is overdue
    assert reminders_send(today=date(2026, 3, 10)) == 0  # run again: nothing
    assert reminders_send(today=date(2026, 3, 11)) == 0  # nor the next day
    tour = Notification.objects.get(kind="journeys.step_overdue")
    assert tour.recipient == org.newcomer
    assert "/journeys/lean/" in tour.url

    assert reminders_send(today=date(2026, 3, 17)) == 1  # the check-in
    checkin = Notification.objects.filter(kind="journeys.step_overdue").latest("pk")
    assert checkin.recipient == org.steward
    assert "Nia Newcomer" in checkin.message
    assert checkin.url.endswith("/journeys/lean/newcomers/")
    assert reminders_send(today=date(2026, 6, 30)) == 3  # networker, peer, story
    assert reminders_send(today=date(2026, 6, 30)) == 0
    assert StepReminder.objects.count() == 5


def test_done_steps_and_closed_plans_get_no_reminder(org):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    plan = Plan.objects.get(user=org.newcomer)
    check_step_complete(
        acting_user=org.steward, step_id=steps_of(plan)[StepKind.TOUR].pk
    )
    assert reminders_send(today=date(2026, 3, 10)) == 0

    communities.community_leave(acting_user=org.newcomer, community=org.lean)
    assert reminders_send(today=date(2026, 12, 1)) == 0


def test_a_story_posted_in_the_community_ticks_its_step_before_reminding(org, clock):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    clock.set(START + timedelta(days=80))
    ItemFactory(community=org.lean, author=org.newcomer, kind="story")

    reminders_send(today=date(2026, 6, 30))

    story = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.STORY)
    assert story.done_at is not None
    assert story.completed_by == org.newcomer
    assert not StepReminder.objects.filter(step=story).exists()


def test_a_reminder_for_a_steward_who_left_goes_to_another_steward(org, clock):
    MembershipFactory(user=org.steward2, community=org.lean, steward=True)
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.CHECKIN)
    named = step.owner_user
    other = org.steward2 if named == org.steward else org.steward
    communities.community_leave(acting_user=named, community=org.lean)

    reminders_send(today=date(2026, 3, 17))

    reminder = StepReminder.objects.get(step=step)
    assert reminder.recipient == other


# --- Completing steps ---------------------------------------------------------


def test_who_may_mark_a_step_done(org):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    steps = steps_of(Plan.objects.get(user=org.newcomer))

    with pytest.raises(Http404):
        check_step_complete(acting_user=org.member, step_id=steps["checkin"].pk)
    with pytest.raises(Http404):
        check_step_complete(acting_user=org.outsider, step_id=steps["checkin"].pk)
    with pytest.raises(PermissionDenied):  # the tour ticks itself
        check_step_complete(acting_user=org.newcomer, step_id=steps["tour"].pk)

    assert check_step_complete(acting_user=org.newcomer, step_id=steps["peer"].pk)
    assert check_step_complete(acting_user=org.steward, step_id=steps["checkin"].pk)
    assert check_step_complete(acting_user=org.staff, step_id=steps["networker"].pk)
    assert not check_step_complete(acting_user=org.steward, step_id=steps["peer"].pk)
    done = PlanStep.objects.get(pk=steps["checkin"].pk)
    assert done.completed_by == org.steward
    with pytest.raises(StepError):  # no story posted yet
        check_step_complete(acting_user=org.newcomer, step_id=steps["story"].pk)


def test_reading_the_whole_tour_completes_the_tour_step(org):
    a = ItemFactory(community=org.lean, title="How we run a gemba walk")
    b = ItemFactory(community=org.lean, title="Our first kaizen")
    for item in (a, b):
        tour_add(acting_user=org.steward, community=org.lean, item=item)
    communities.community_join(acting_user=org.newcomer, community=org.lean)

    check_tour_mark_read(acting_user=org.newcomer, community_slug="lean", item_id=a.pk)
    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.TOUR)
    assert step.done_at is None
    check_tour_mark_read(acting_user=org.newcomer, community_slug="lean", item_id=b.pk)
    step.refresh_from_db()
    assert step.done_at is not None
    assert step.completed_by == org.newcomer
    with pytest.raises(Http404):  # no plan there
        check_tour_mark_read(
            acting_user=org.member, community_slug="lean", item_id=a.pk
        )


def test_the_tour_holds_five_items_of_its_own_community(org):
    items = [ItemFactory(community=org.lean) for _ in range(6)]
    for item in items[:5]:
        tour_add(acting_user=org.steward, community=org.lean, item=item)
    with pytest.raises(TourError):
        tour_add(acting_user=org.steward, community=org.lean, item=items[5])
    with pytest.raises(TourError):
        tour_add(
            acting_user=org.steward,
            community=org.lean,
            item=ItemFactory(community=org.quality),
        )
    assert TourStop.objects.filter(community=org.lean).count() == 5


def test_all_steps_done_completes_the_plan(org):
    communities.community_join(acting_user=org.newcomer, community=org.lean)
    plan = Plan.objects.get(user=org.newcomer)
    for step in plan.steps.all():
        check_step_complete(acting_user=org.steward, step_id=step.pk)
    plan.refresh_from_db()
    assert plan.completed_at is not None


def test_a_second_reminder_of_the_same_step_is_refused_by_the_log(org):
    """Two runs at once: the unique reminder row lets one of them tell."""
    from journeys.services.reminders import _remind

    communities.community_join(acting_user=org.newcomer, community=org.lean)
    step = PlanStep.objects.select_related("plan__user", "plan__community").get(
        plan__user=org.newcomer, kind=StepKind.TOUR
    )
    assert _remind(step) is True
    assert _remind(step) is False
    assert Notification.objects.filter(kind="journeys.step_overdue").count() == 1


def test_even_a_member_of_the_private_community_is_not_suggested_its_networker(org):
    """The plan is read by the stewards too, who may not see Skunkworks."""
    MembershipFactory(user=org.newcomer, community=org.skunkworks, joined_at=START)

    communities.community_join(acting_user=org.newcomer, community=org.lean)

    step = PlanStep.objects.get(plan__user=org.newcomer, kind=StepKind.NETWORKER)
    assert (step.person, step.via_community) == (org.networker, org.quality)
