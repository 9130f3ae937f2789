"""Demo communities of practice for the demo organisation (members/demo.py).

Eight communities, two of them private, with stewards, members in every
leadership role, a few gaps in leadership (so the page's note shows), pending
requests, an invitation, some newcomers and some long-standing members.
Idempotent: communities are found by address, memberships by member.
"""

from datetime import timedelta

from django.utils import timezone

from communities.models import Community, Membership, Visibility
from members.markup import markdown_to_html
from members.models import User

S, M = Membership.Role.STEWARD, Membership.Role.MEMBER
ACTIVE = Membership.Status.ACTIVE
PENDING = Membership.Status.PENDING
INVITED = Membership.Status.INVITED

# (slug, name, purpose, visibility, tags, created days ago, active days ago,
#  description, [(person, role, status, joined days ago, introduced?)])
COMMUNITIES = [
    (
        "shift-handover-practice",
        "Shift Handover Practice",
        "Handing over a running line so nothing is lost between shifts.",
        Visibility.OPEN,
        ["shift-handover", "safety", "operations"],
        400, 1,
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
        ["escalations", "support", "troubleshooting"],
        350, 0,
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
        300, 2,
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
        ["lean", "continuous-improvement", "operations"],
        500, 4,
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
        260, 6,
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
        600, 10,
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
        450, 3,
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
        220, 5,
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
        slug, name, purpose, visibility, tags, created_days, active_days,
        description, memberships,
    ) in COMMUNITIES:  # fmt: skip
        stewards = [p for p, role, *_ in memberships if role == S]
        community, created = Community.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "purpose": purpose,
                "visibility": visibility,
                "description": description,
                "description_html": markdown_to_html(description),
                "created_by": people.get(stewards[0]),
                "created_at": now - timedelta(days=created_days),
                "last_activity_at": now - timedelta(days=active_days, hours=3),
            },
        )
        if created:
            community.tags.set(tags)
            created_communities += 1
        for local, role, status, joined_days, introduced in memberships:
            user = people.get(local)
            if user is None:
                continue
            joined = now - timedelta(days=joined_days) if joined_days else None
            _, made = Membership.objects.get_or_create(
                user=user,
                community=community,
                defaults={
                    "role": role,
                    "status": status,
                    "joined_at": joined,
                    "created_at": joined or now - timedelta(days=2),
                    "introduced_at": joined if introduced else None,
                    "read_helpful_at": joined if introduced else None,
                    "connected_at": joined if introduced else None,
                    "invited_by": people.get(stewards[0])
                    if status == INVITED
                    else None,
                },
            )
            created_memberships += made
    stdout.write(
        f"Communities: {created_communities} created, {len(COMMUNITIES)} in the "
        f"demo; {created_memberships} memberships created."
    )
