"""Demo communities of practice for the demo people (demo/people.py).

Eight communities, two of them private, with stewards, members in every
leadership role, a few gaps in leadership (so the page's note shows), pending
requests, an invitation, some newcomers and some long-standing members.

Everything goes through communities.services as it would on the site: the
first steward creates the community, people join open ones, are invited into
private ones and accept, are promoted to steward, ask to join; the welcome
steps are ticked through welcome_step_complete. Then the dates are moved back
(demo/backdating.py). Idempotent: communities are found by address,
memberships by member.
"""

from datetime import timedelta

from django.utils import timezone

from communities.models import Community, Membership, Visibility
from communities.services import (
    WELCOME_STEPS,
    community_create,
    community_invite,
    community_join,
    community_request_join,
    invitation_accept,
    membership_promote,
    welcome_step_complete,
)
from demo.backdating import backdate, notifications_at
from members.models import User

S, M = Membership.Role.STEWARD, Membership.Role.MEMBER
ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
INVITED = Membership.Status.INVITED

# (slug, name, purpose, visibility, tags, created days ago, description,
#  [(person, role, status, joined days ago, introduced?)])
COMMUNITIES = [
    (
        "shift-handover-practice",
        "Shift Handover Practice",
        "Handing over a running line so nothing is lost between shifts.",
        Visibility.OPEN,
        ["shift-handover", "safety", "operations"],
        400,
        "We run plants around the clock, and most incidents start in the ten "
        "minutes between two shifts. Here supervisors, operators and engineers "
        "share **what they actually say and check** at handover.\n\n"
        "- Post a handover story: what went well, what nearly went wrong.\n"
        "- Ask before you change a checklist: someone has tried it.\n"
        "- New to shift work? Say hello and shadow a handover with one of us.",
        [
            ("maria.lopez", S, ACTIVE, 400, True),
            ("fatima.zahra", M, ACTIVE, 300, True),
            ("jon.ito", M, ACTIVE, 250, True),
            ("sam.okafor", M, ACTIVE, 120, True),
            ("raj.patel", M, ACTIVE, 60, True),
            ("oliver.brown", M, ACTIVE, 5, False),
        ],
    ),
    (
        "customer-escalations",
        "Customer Escalations",
        "Turning an angry customer into a solved problem, and learning from it.",
        Visibility.OPEN,
        ["escalations", "support", "troubleshooting", "root-cause"],
        350,
        "Support, field service and account managers comparing notes on the "
        "hardest cases. Pull, not push: bring the case you are stuck on today.",
        [
            ("tom.becker", S, ACTIVE, 350, True),
            ("raj.patel", S, ACTIVE, 340, True),
            ("emma.stone", M, ACTIVE, 200, True),
            ("aisha.khan", M, ACTIVE, 150, True),
            ("li.wei", M, ACTIVE, 12, False),
            ("noah.martin", M, ACTIVE, 30, True),
        ],
    ),
    (
        "onboarding-newcomers",
        "Onboarding Newcomers",
        "Helping new colleagues become one of us in their first ninety days.",
        Visibility.OPEN,
        ["onboarding", "mentoring", "culture"],
        300,
        "Newcomers learn best by being drawn into real work with people who "
        "care about the craft. We share first-week stories, buddy practices "
        "and the questions new people actually ask.",
        [
            ("lena.fischer", S, ACTIVE, 300, True),
            ("helen.moyo", M, ACTIVE, 280, True),
            ("tom.becker", M, ACTIVE, 200, True),
            ("emma.stone", M, ACTIVE, 20, True),
            ("oliver.brown", M, ACTIVE, 8, False),
            ("sofia.rossi", M, ACTIVE, 3, False),
        ],
    ),
    (
        "lean-on-the-shop-floor",
        "Lean on the Shop Floor",
        "Small daily improvements where the work is done, not in slide decks.",
        Visibility.OPEN,
        ["lean", "continuous-improvement", "operations", "root-cause"],
        500,
        "Gemba walks, 5S that lasts, kaizen that spreads from one line to the "
        "next. Share the pocket of innovation on your line so others can copy it.",
        [
            ("fatima.zahra", S, ACTIVE, 500, True),
            ("maria.lopez", M, ACTIVE, 480, True),
            ("jon.ito", M, ACTIVE, 420, True),
            ("sam.okafor", M, ACTIVE, 100, True),
            ("oliver.brown", M, ACTIVE, 40, False),
        ],
    ),
    (
        "key-account-selling",
        "Key Account Selling",
        "Growing long relationships with our biggest customers.",
        Visibility.OPEN,
        ["key-accounts", "negotiation", "sales"],
        260,
        "Account plans, negotiation stories, and what we learned when a renewal "
        "went sideways.",
        [
            ("aisha.khan", S, ACTIVE, 260, True),
            ("noah.martin", M, ACTIVE, 200, True),
            ("kwame.mensah", M, ACTIVE, 90, True),
            ("li.wei", M, ACTIVE, 15, False),
        ],
    ),
    (
        "systems-thinking-circle",
        "Systems Thinking Circle",
        "Seeing the whole: feedback loops, delays and the structures behind "
        "recurring problems.",
        Visibility.OPEN,
        ["systems-thinking", "strategy", "learning"],
        600,
        "A reading and practice group. Bring a problem that keeps coming back; "
        "we map it together and look for the leverage.",
        [
            ("sam.okafor", S, ACTIVE, 600, True),
            ("jon.ito", M, ACTIVE, 580, True),
            ("kwame.mensah", M, ACTIVE, 300, True),
            ("lena.fischer", M, ACTIVE, 210, True),
            ("sofia.rossi", M, ACTIVE, 25, False),
        ],
    ),
    (
        "executive-thinking-partners",
        "Executive Thinking Partners",
        "Executives and line leaders as thinking partners for cultural change.",
        Visibility.PRIVATE,
        ["leadership", "coaching", "strategy"],
        450,
        "A confidential circle where executive leaders mentor local line "
        "leaders and test their own assumptions. What is said here stays here.",
        [
            ("jon.ito", S, ACTIVE, 450, True),
            ("helen.moyo", S, ACTIVE, 450, True),
            ("maria.lopez", M, ACTIVE, 300, True),
            ("tom.becker", M, ACTIVE, 180, True),
            ("aisha.khan", M, ACTIVE, 50, True),
            ("kwame.mensah", M, PENDING, None, False),
        ],
    ),
    (
        "people-leaders-circle",
        "People Leaders' Circle",
        "Managers helping each other with the people side of leading a team.",
        Visibility.PRIVATE,
        ["leadership", "coaching", "people"],
        220,
        "Hard conversations, growth plans and burnout: the questions managers "
        "rarely ask in public. Members only.",
        [
            ("helen.moyo", S, ACTIVE, 220, True),
            ("lena.fischer", S, ACTIVE, 220, True),
            ("tom.becker", M, ACTIVE, 150, True),
            ("kwame.mensah", M, ACTIVE, 10, False),
            ("sofia.rossi", M, PENDING, None, False),
            ("raj.patel", M, PENDING, None, False),
            ("noah.martin", M, INVITED, None, False),
        ],
    ),
]  # fmt: skip


def seed(stdout):
    now = timezone.now()
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@practica.local")
    }
    created_communities = created_memberships = 0
    for (
        slug, name, purpose, visibility, tags, created_days, description, memberships,
    ) in COMMUNITIES:  # fmt: skip
        steward = people.get(memberships[0][0])
        if steward is None:
            continue
        community = Community.objects.filter(slug=slug).first()
        founded = community is None
        if founded:
            community = _create(
                steward, now - timedelta(days=created_days), slug=slug, name=name,
                purpose=purpose, visibility=visibility, tags=tags,
                description=description,
            )  # fmt: skip
            created_communities += 1
            created_memberships += 1  # its founding steward
        for local, role, status, joined_days, introduced in memberships:
            user = people.get(local)
            if user is None:
                continue
            joined = now - timedelta(days=joined_days) if joined_days else None
            made = _membership(
                community, user, steward, role=role, status=status, joined=joined,
                asked=now - timedelta(days=2),
            )  # fmt: skip
            created_memberships += made
            if introduced and (made or (founded and user == steward)):
                _welcome_steps_done(community, user, at=joined)
    stdout.write(
        f"Communities: {created_communities} created, {len(COMMUNITIES)} in the "
        f"demo; {created_memberships} memberships created."
    )


def _create(steward, created, **fields) -> Community:
    community = community_create(acting_user=steward, **fields)
    # Backdating: the community and its first steward's membership date from
    # its founding; activity starts there too (knowledge's items move it on).
    backdate(community, created_at=created, last_activity_at=created)
    Membership.objects.filter(community=community, user=steward).update(
        created_at=created, joined_at=created
    )
    return community


def _membership(community, user, steward, *, role, status, joined, asked) -> bool:
    """Bring `user` into `community` the way the site would; False if they
    already have a membership (the founding steward always has)."""
    if Membership.objects.filter(community=community, user=user).exists():
        return False
    if status == PENDING:
        with notifications_at(asked):
            membership = community_request_join(acting_user=user, community=community)
        backdate(membership, created_at=asked)
        return True
    if status == INVITED:
        with notifications_at(asked):
            membership = community_invite(
                acting_user=steward, community=community, invitee=user
            )
        backdate(membership, created_at=asked)
        return True
    with notifications_at(joined):
        if community.is_private:
            community_invite(acting_user=steward, community=community, invitee=user)
            membership = invitation_accept(acting_user=user, community=community)
        else:
            membership = community_join(acting_user=user, community=community)
        if role == S:
            membership = membership_promote(acting_user=steward, membership=membership)
    backdate(membership, created_at=joined, joined_at=joined)
    return True


def _welcome_steps_done(community, user, *, at) -> None:
    """An established member has long since introduced themselves, read the
    most helpful items and connected with someone."""
    for step in WELCOME_STEPS:
        welcome_step_complete(user=user, community=community, step=step)
    # Backdating: the steps were done when they joined, not today.
    Membership.objects.filter(community=community, user=user).update(
        **dict.fromkeys(WELCOME_STEPS.values(), at)
    )
