"""The daily rollups give the figures a from-scratch count gives.

A constructed history (several communities, members with leader roles,
newcomers, hidden items and replies, shares, self-replies, accepted answers,
helpful marks and tags spread over a year) is counted both ways: by the
definitions in participation.py / exclusion.py / knowledge.py, which read
items and replies, and by rollup_figures.py, which reads the rollups. Custom
periods are whole days, so both count exactly the same rows. Periods that
cover whole months read them from the monthly rollups, so some periods here
start and end on either side of month boundaries.
"""

import io
import random
from collections import Counter
from datetime import UTC, date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dashboards import (
    exclusion,
    knowledge,
    participation,
    rollup_figures,
    rollups,
    triad,
)
from dashboards.models import (
    AcceptedAnswers,
    DailyCommunityContribution,
    DailyContribution,
    DailyHelpful,
    DailyTagUse,
    ItemFact,
    MonthlyContribution,
    MonthlyHelpful,
    MonthlyTagUse,
    RollupState,
)
from dashboards.periods import custom_period
from dashboards.scope import Scope
from dashboards.tasks import rollup_all as rollup_all_task
from dashboards.tasks import rollup_recent as rollup_recent_task
from knowledge import services
from knowledge.models import ItemKind
from members.models import LeadershipRole
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.dashboards.factories import days_ago, item, member_of, reply
from tests.knowledge.factories import HelpfulMarkFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

TAGS = ["pumps", "valves", "safety", "lean", "onboarding"]


def build_history(seed=3):
    rng = random.Random(seed)
    communities = [CommunityFactory(name=f"Community {i}") for i in range(3)]
    roles = [r.value for r in LeadershipRole]
    people = []
    for community in communities:
        for _ in range(6):
            user = UserFactory(
                leadership_role=rng.choice(roles),
                business_unit=rng.choice(["", "Plant", "Sales", "Quiet unit"]),
                location=rng.choice(["", "Lyon", "Porto", "Nowhere"]),
            )
            member_of(community, user=user, joined_days_ago=rng.choice([5, 40, 400]))
            people.append(user)
        MembershipFactory(community=community, pending=True)
    visitors = [UserFactory() for _ in range(3)]
    everyone = people + visitors
    items, shared = [], set()
    for _ in range(70):
        community = rng.choice(communities)
        author = rng.choice(everyone)
        days = rng.uniform(0.2, 380)
        kind = rng.choice([ItemKind.QUESTION, ItemKind.QUESTION, ItemKind.STORY])
        extra = {}
        if rng.random() < 0.1:
            extra["hidden_at"] = days_ago(rng.uniform(0, days))
        if rng.random() < 0.08 and items:
            origin = rng.choice(items)
            if (origin.pk, community.pk) not in shared:
                shared.add((origin.pk, community.pk))
                extra["shared_from"] = origin
        new = item(
            community,
            author,
            days=days,
            kind=kind,
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            **extra,
        )
        items.append(new)
        for _ in range(rng.randint(0, 3)):
            when = rng.uniform(0.05, days)
            # Some replies are the author's own: they are not answers.
            who = author if rng.random() < 0.2 else rng.choice(everyone)
            hidden = {"hidden_at": days_ago(when / 2)} if rng.random() < 0.1 else {}
            answer = reply(new, who, days=when, **hidden)
            if kind == ItemKind.QUESTION and rng.random() < 0.4:
                new.accepted_reply = answer
                new.save(update_fields=["accepted_reply"])
        for marker in rng.sample(everyone, rng.randint(0, 3)):
            mark = HelpfulMarkFactory(item=new, user=marker)
            mark.created_at = days_ago(rng.uniform(0, days))
            mark.save(update_fields=["created_at"])
    # One member wrote most accepted answers on "gaskets", across two
    # communities (the organisation's risk sums them).
    expert, other = UserFactory(), UserFactory()
    for n, (community, who) in enumerate(
        [(0, expert), (0, expert), (1, expert), (1, expert), (1, other)]
    ):
        asker = member_of(communities[community]).user
        asked = item(
            communities[community],
            asker,
            days=20 + n,
            kind=ItemKind.QUESTION,
            tags=["gaskets"],
        )
        asked.accepted_reply = reply(asked, who, days=19 + n)
        asked.save(update_fields=["accepted_reply"])
    # A unit and a location whose only member never contributes.
    member_of(
        communities[2],
        user=UserFactory(business_unit="Archive", location="Remote island"),
    )
    # Someone who keeps posting and nobody answers (the "unheard"), and one
    # whose five latest posts include an answered one.
    for answered in (False, True):
        speaker = member_of(communities[1], joined_days_ago=400).user
        for n in range(6):
            post = item(communities[1], speaker, days=10 + n * 7)
            if answered and n == 2:
                reply(post, rng.choice(people), days=1)
    return communities


def months_ago(n: int, day: int = 1) -> date:
    """The given day of the month n months before this one."""
    month = timezone.localdate().replace(day=1)
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month.replace(day=day)


def month_end(n: int) -> date:
    """The last day of the month n months before this one."""
    return months_ago(n - 1) - timedelta(days=1)


def periods():
    today = timezone.localdate()
    return [
        custom_period(today - timedelta(days=29), today),
        custom_period(today - timedelta(days=120), today - timedelta(days=31)),
        custom_period(today - timedelta(days=364), today),
        custom_period(today - timedelta(days=3), today - timedelta(days=3)),
        # Whole months with edge days on both sides.
        custom_period(months_ago(7, 10), months_ago(2, 20)),
        # Shorter than a month, across a month boundary: days only.
        custom_period(months_ago(3, 25), months_ago(2, 5)),
        # Exactly three whole months: no edge days.
        custom_period(months_ago(6), month_end(4)),
        # From the first of a month to today: whole months, then this
        # month's days so far.
        custom_period(months_ago(2), today),
    ]


def scopes(communities):
    return [Scope.organisation()] + [Scope.community(c) for c in communities]


def summary(p):
    return (
        p.members,
        p.contributing_members,
        p.newcomers,
        p.contributing_newcomers,
        p.contributions,
        [(r.role, r.present, r.active) for r in p.roles],
        (p.equity.contributors, p.equity.top_count, p.equity.top_share, p.equity.gini),
        [(w.start, w.end, w.contributions) for w in p.weeks],
    )


def everything(scope, period):
    """Every rolled-up figure of one dashboard, from one module or the other."""

    def both(name, module_live):
        return getattr(module_live, name), getattr(rollup_figures, name)

    figures = {}
    for name, live in (
        ("participation_summary", participation),
        ("unanswered_summary", exclusion),
    ):
        figures[name] = [f(scope, period) for f in both(name, live)]
    for name in ("newcomers_unanswered", "unanswered_questions"):
        figures[name] = [
            [i.pk for i in f(scope, period)] for f in both(name, exclusion)
        ]
    # The rolled-up list is counted apart from its pages: the same number.
    figures["unanswered_count"] = [
        exclusion.unanswered_questions(scope, period).count(),
        len(rollup_figures.unanswered_questions(scope, period)),
    ]
    figures["askers"] = [
        [
            (
                u.pk,
                u.questions,
                u.latest_question_id,
                u.latest_question_at,
                u.latest_question_title,
                u.latest_question_slug,
            )
            for u in f(scope, period)
        ]
        for f in both("askers_never_answered", exclusion)
    ]
    figures["helpful"] = [
        [(i.pk, i.marks) for i in f(scope, period)]
        for f in both("most_helpful", knowledge)
    ]
    figures["rising"] = [
        [(t.name, t.current, t.previous) for t in f(scope, period)]
        for f in both("rising_tags", knowledge)
    ]
    figures["experts"] = [
        [(r.tag, r.accepted_answers, r.expert_username) for r in f(scope)]
        for f in both("single_expert_risks", knowledge)
    ]
    figures["status_gaps"] = [
        [
            (
                g.community and g.community.pk,
                g.asked_by_members,
                g.median_members,
                g.asked_by_leaders,
                g.median_leaders,
            )
            for g in f(scope, period)
        ]
        for f in both("status_gaps", exclusion)
    ]
    figures["silent_places"] = [
        f(scope, period) for f in both("silent_places", exclusion)
    ]
    figures["unheard"] = [
        [(u.pk, u.latest_post_at) for u in f(scope, period)]
        for f in both("unheard_members", exclusion)
    ]
    figures["triad"] = [
        [(e.source, e.target, e.counts) for e in t.edges]
        for t in (
            triad.live_triad(scope, period),
            rollup_figures.leaders_triad(scope, period),
        )
    ]
    live_p, rolled_p = figures.pop("participation_summary")
    figures["participation"] = [summary(live_p), summary(rolled_p)]
    return figures


def assert_rollups_agree(communities):
    for scope in scopes(communities):
        for period in periods():
            for name, (live, rolled) in everything(scope, period).items():
                assert rolled == live, (name, scope, period.label)
    for period in periods():
        live = participation.participation_by_community(period)
        rolled = rollup_figures.participation_by_community(period)
        assert [vars(r) for r in rolled] == [vars(r) for r in live], period.label


def assert_months_sum_days():
    """Each monthly row is the sum of its month's daily rows, no more rows;
    each community's daily total the sum of its members' rows."""
    totals = Counter()
    for row in DailyContribution.objects.values():
        totals[(row["day"], row["community_id"])] += row["items"] + row["replies"]
    assert {
        (t.day, t.community_id): t.items + t.replies
        for t in DailyCommunityContribution.objects.all()
    } == totals
    for monthly, daily, keys, counts in (
        (
            MonthlyContribution,
            DailyContribution,
            ("community", "member"),
            ("items", "replies"),
        ),
        (MonthlyTagUse, DailyTagUse, ("community", "tag"), ("items",)),
        (MonthlyHelpful, DailyHelpful, ("community", "item"), ("marks",)),
    ):
        summed = Counter()
        for row in daily.objects.values("day", *[f"{k}_id" for k in keys], *counts):
            key = (row["day"].replace(day=1), *(row[f"{k}_id"] for k in keys))
            for name in counts:
                summed[(*key, name)] += row[name]
        stored = Counter()
        for row in monthly.objects.values("month", *[f"{k}_id" for k in keys], *counts):
            key = (row["month"], *(row[f"{k}_id"] for k in keys))
            assert row["month"].day == 1
            for name in counts:
                stored[(*key, name)] += row[name]
        assert stored == summed, monthly.__name__
        assert monthly.objects.count() == len({key[:-1] for key in summed}), (
            monthly.__name__
        )


def test_a_period_is_split_into_whole_months_and_edge_days():
    split = rollup_figures.month_split
    jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)

    assert split(date(2026, 1, 10), date(2026, 3, 20)) == (
        (feb, feb),
        [(date(2026, 1, 10), date(2026, 1, 31)), (mar, date(2026, 3, 20))],
    )
    assert split(jan, date(2026, 3, 31)) == ((jan, mar), [])
    assert split(jan, date(2026, 1, 31)) == ((jan, jan), [])
    assert split(date(2026, 1, 2), date(2026, 1, 31)) == (
        None,
        [(date(2026, 1, 2), date(2026, 1, 31))],
    )
    assert split(date(2026, 1, 25), date(2026, 2, 5)) == (
        None,
        [(date(2026, 1, 25), date(2026, 2, 5))],
    )
    assert split(feb, date(2026, 3, 5)) == ((feb, feb), [(mar, date(2026, 3, 5))])
    assert split(date(2025, 12, 31), date(2026, 2, 28)) == (
        (jan, feb),
        [(date(2025, 12, 31), date(2025, 12, 31))],
    )
    # Empty (a period that starts after its last whole day): nothing read.
    assert split(date(2026, 1, 5), date(2026, 1, 4)) == (
        None,
        [(date(2026, 1, 5), date(2026, 1, 4))],
    )


def test_rollups_equal_a_from_scratch_count_of_a_constructed_history():
    communities = build_history()

    rollups.rollup_all()

    assert_months_sum_days()
    assert MonthlyContribution.objects.exists() and MonthlyHelpful.objects.exists()
    assert MonthlyTagUse.objects.exists()

    assert DailyContribution.objects.exists() and ItemFact.objects.exists()
    assert DailyTagUse.objects.exists() and DailyHelpful.objects.exists()
    assert AcceptedAnswers.objects.exists()
    assert_rollups_agree(communities)
    # The history is rich enough for every figure to have something to agree on.
    year = periods()[2]
    organisation = Scope.organisation()
    assert exclusion.unheard_members(organisation, year).exists()
    assert exclusion.silent_places(organisation, year)
    assert exclusion.status_gaps(organisation, year)
    assert exclusion.newcomers_unanswered(organisation, year).exists()
    assert [r.tag for r in knowledge.single_expert_risks(organisation)] == ["gaskets"]
    assert triad.live_triad(organisation, year).total > 0


def rows():
    return {
        model.__name__: sorted(
            (
                tuple(v for k, v in sorted(r.items()) if k != "id")
                for r in model.objects.values()
            ),
            key=repr,
        )
        for model in rollups.ROLLED_UP
    }


def test_rollups_are_idempotent_and_the_task_runs_them():
    build_history(seed=5)
    rollups.rollup_all()
    first = rows()

    rollup_all_task()
    rollup_recent_task()
    rollup_recent_task()
    call_command("dashboards_rollup", stdout=io.StringIO())
    call_command("dashboards_rollup", "--days", "400", stdout=io.StringIO())
    # A few days: their months are rewritten whole from the days.
    call_command("dashboards_rollup", "--days", "10", stdout=io.StringIO())

    assert rows() == first


def test_recent_rollup_follows_new_writes_and_hides_then_agrees_with_scratch():
    """What the services write after the first run (replies, a hidden item
    of last month, a hidden reply) reaches the rollups in the next recent run,
    not only the nightly one."""
    communities = build_history(seed=11)
    rollups.rollup_all()
    RollupState.objects.update(rolled_up_at=timezone.now() - timedelta(minutes=10))
    community = communities[0]
    author = member_of(community).user
    old = item(community, author, days=40, kind=ItemKind.QUESTION, tags=["pumps"])
    rollups.rollup_all()  # the old question, rolled up as the nightly run would
    RollupState.objects.update(rolled_up_at=timezone.now() - timedelta(minutes=10))

    answerer = member_of(community).user
    services.reply_create(item=old, author=answerer, body="Try this.")
    victim = (
        community.items.filter(hidden_at__isnull=True, created_at__lt=days_ago(20))
        .order_by("pk")
        .first()
    )
    services.item_hide(item=victim, acting_user=UserFactory(is_staff=True))
    visible_reply = old.replies.get()
    services.reply_hide(reply=visible_reply, acting_user=UserFactory(is_staff=True))
    # An item of months ago, with replies, marks or tags: its months change.
    months_old = (
        community.items.filter(hidden_at__isnull=True, created_at__lt=days_ago(70))
        .order_by("-pk")
        .first()
    )
    services.item_hide(item=months_old, acting_user=UserFactory(is_staff=True))
    services.reply_create(item=old, author=answerer, body="Second try.")

    rollups.rollup_recent()

    assert_months_sum_days()
    assert_rollups_agree(communities)
    recent = rows()
    rollups.rollup_all()
    assert rows() == recent


def test_months_are_the_sites_calendar_months(settings):
    """Far from UTC, an item written just after midnight on the first of a
    month (local time; still the month before in UTC) counts in its local
    month, as its day does."""
    settings.TIME_ZONE = "Pacific/Auckland"
    communities = build_history(seed=7)
    community = communities[0]
    author = member_of(community).user
    first = months_ago(2)
    at = rollups.day_start(first) + timedelta(minutes=30)
    assert at.astimezone(UTC).month != first.month
    early = item(
        community,
        author,
        days=(timezone.now() - at).total_seconds() / 86400,
        kind=ItemKind.QUESTION,
        tags=["pumps"],
    )
    reply(early, author, days=(timezone.now() - at).total_seconds() / 86400 - 0.01)
    mark = HelpfulMarkFactory(item=early, user=member_of(community).user)
    mark.created_at = at
    mark.save(update_fields=["created_at"])

    rollups.rollup_all()

    own = MonthlyContribution.objects.get(member=author, community=community)
    assert (own.month, own.items, own.replies) == (first, 1, 1)
    assert MonthlyTagUse.objects.filter(month=first, tag__name="pumps").exists()
    assert MonthlyHelpful.objects.get(item=early).month == first
    assert_months_sum_days()
    assert_rollups_agree(communities)


def test_the_first_recent_run_rolls_up_everything():
    communities = build_history(seed=2)

    rollups.rollup_recent()

    assert RollupState.objects.get().rolled_up_at is not None
    assert_rollups_agree(communities)


def test_the_page_says_when_the_daily_counts_were_made(client, manual_rollups):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    url = "/dashboards/"

    before = client.get(url)
    manual_rollups()
    after = client.get(url)

    assert "have not been made yet" in before.text
    assert "last brought up to date at" in after.text
    assert 'class="muted rollup-note"' in after.text
