"""Demo mentoring: mentors, open requests, active pairs with check-ins and
one completed pair with feedback. Idempotent: rows are found by natural
keys (offer by user, request by mentee and goals, pair by request and
mentor). Works with or without communities and items."""

from datetime import timedelta

from django.utils import timezone

from communities.access import active_community_ids
from communities.models import Community
from knowledge.models import ItemKind
from knowledge.services import item_create
from members.models import User
from mentoring.models import (
    CheckIn,
    Feedback,
    Format,
    Goal,
    MentoringRequest,
    MentorOffer,
    Pair,
)

# (who, capacity, formats, extra topics beyond their expertise)
OFFERS = [
    ("jon.ito", 3, [Format.THINKING_PARTNER, Format.MENTORING], ["systems-thinking"]),
    ("helen.moyo", 2, [Format.THINKING_PARTNER, Format.MENTORING], []),
    ("sam.okafor", 3, [Format.MENTORING, Format.PEER_COACHING], ["lean"]),
    ("lena.fischer", 2, [Format.MENTORING, Format.PEER_COACHING], []),
    ("maria.lopez", 2, [Format.MENTORING], []),
    ("tom.becker", 1, [Format.MENTORING, Format.PEER_COACHING], []),
    ("raj.patel", 2, [Format.PEER_COACHING], []),
]

OPEN_REQUESTS = [
    (
        "oliver.brown",
        ["lean", "shift-handover", "safety"],
        Format.MENTORING,
        "I joined the plant three months ago. I want to run a shift handover "
        "on my own and understand why our lean boards look the way they do.",
        40,
    ),
    (
        "emma.stone",
        ["escalations", "onboarding"],
        Format.MENTORING,
        "I am asked to onboard two new colleagues next quarter and I handle "
        "more escalations than before. I would like someone to think it "
        "through with me.",
        12,
    ),
    (
        "sofia.rossi",
        ["facilitation"],
        Format.PEER_COACHING,
        "I facilitate research read-outs and want a peer to practise with.",
        5,
    ),
]

# (mentor, mentee, broker, topics, format, goals, days ago started,
#  goals checklist [(text, done)], check-ins [(days ago, progress, notes, next)])
ACTIVE_PAIRS = [
    (
        "jon.ito",
        "aisha.khan",
        "helen.moyo",
        ["strategy", "systems-thinking"],
        Format.THINKING_PARTNER,
        "Think through how the sales team can learn from lost deals instead "
        "of hiding them.",
        50,
        [("Map how a lost deal is reviewed today", True),
         ("Try one blameless review with the team", False)],
        [(35, 30, "Talked about the fear behind hiding lost deals.",
          "Sketch the current review loop"),
         (14, 55, "Aisha drew the loop; it rewards silence.",
          "Pilot one blameless review")],
    ),
    (
        "lena.fischer",
        "noah.martin",
        "tom.becker",
        ["onboarding", "negotiation"],
        Format.MENTORING,
        "Get confident onboarding a new account manager and negotiating "
        "renewals without discounting first.",
        30,
        [("Shadow one onboarding week", True),
         ("Prepare a renewal plan without a discount", False)],
        [(26, 20, "Agreed goals and how often we meet.", "Shadow onboarding"),
         (24, 40, "Shadowed two sessions; wrote down the questions.",
          "Draft the renewal plan")],
    ),
]  # fmt: skip

COMPLETED = (
    "helen.moyo",
    "kwame.mensah",
    "jon.ito",
    ["coaching"],
    Format.THINKING_PARTNER,
    "Learn to coach my product team instead of giving answers.",
    [
        ("helen.moyo", 5, "Kwame's questions about roadmaps changed how I ask "
         "my own team about priorities."),
        ("kwame.mensah", 5, "Asking 'what have you tried?' before answering "
         "doubled the ideas my team brings to planning."),
    ],
)  # fmt: skip


def seed(stdout):
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@practica.local")
    }
    offers = _offers(people)
    requests = _open_requests(people)
    pairs = sum(_active_pair(people, *spec) for spec in ACTIVE_PAIRS)
    completed = _completed_pair(people, *COMPLETED)
    stdout.write(
        f"Mentoring: {offers} offers, {requests} open requests, {pairs} active "
        f"pairs, {completed} completed pair in the demo."
    )


def _first_community(user):
    return (
        Community.objects.filter(
            pk__in=active_community_ids(user), archived_at__isnull=True
        )
        .order_by("name")
        .first()
    )


def _offers(people) -> int:
    count = 0
    for who, capacity, formats, extra in OFFERS:
        user = people.get(who)
        if user is None:
            continue
        offer, created = MentorOffer.objects.get_or_create(
            user=user,
            defaults={
                "capacity": capacity,
                "offers_mentoring": Format.MENTORING in formats,
                "offers_peer_coaching": Format.PEER_COACHING in formats,
                "offers_thinking_partner": Format.THINKING_PARTNER in formats,
            },
        )
        if created:
            offer.topics.set(sorted(set(user.expertise.names()) | set(extra)))
        count += 1
    return count


def _request(mentee, topics, fmt, goals, days_ago) -> MentoringRequest:
    req = MentoringRequest.objects.filter(mentee=mentee, goals=goals).first()
    if req is None:
        req = MentoringRequest.objects.create(
            mentee=mentee,
            goals=goals,
            format=fmt,
            community=_first_community(mentee),
            created_at=timezone.now() - timedelta(days=days_ago),
        )
        req.topics.set(topics)
    return req


def _open_requests(people) -> int:
    count = 0
    for who, topics, fmt, goals, days_ago in OPEN_REQUESTS:
        if who in people:
            _request(people[who], topics, fmt, goals, days_ago)
            count += 1
    return count


def _pair(req, mentor, broker, started) -> Pair:
    pair = Pair.objects.filter(request=req, mentor=mentor).first()
    if pair is None:
        pair = Pair.objects.create(
            request=req,
            mentor=mentor,
            mentee=req.mentee,
            broker=broker,
            format=req.format,
            note="You two think alike about learning from what goes wrong.",
            status=Pair.Status.ACTIVE,
            proposed_at=started - timedelta(days=3),
            mentor_accepted_at=started - timedelta(days=2),
            mentee_accepted_at=started,
            started_at=started,
        )
        req.status = MentoringRequest.Status.MATCHED
        req.matched_at = started
        req.save(update_fields=["status", "matched_at"])
    return pair


def _active_pair(people, mentor, mentee, broker, topics, fmt, goals, days,
                 checklist, checkins) -> int:  # fmt: skip
    if mentor not in people or mentee not in people:
        return 0
    now = timezone.now()
    req = _request(people[mentee], topics, fmt, goals, days + 5)
    pair = _pair(req, people[mentor], people.get(broker), now - timedelta(days=days))
    for text, done in checklist:
        Goal.objects.get_or_create(
            pair=pair,
            text=text,
            defaults={"done": done, "done_at": now if done else None},
        )
    for ago, progress, notes, next_step in checkins:
        CheckIn.objects.get_or_create(
            pair=pair,
            notes=notes,
            defaults={
                "author": people[mentee],
                "date": (now - timedelta(days=ago)).date(),
                "progress": progress,
                "next_step": next_step,
            },
        )
    if checkins:
        last = now - timedelta(days=min(c[0] for c in checkins))
        Pair.objects.filter(pk=pair.pk).update(last_checkin_at=last)
    return 1


def _completed_pair(people, mentor, mentee, broker, topics, fmt, goals, notes):
    if mentor not in people or mentee not in people:
        return 0
    now = timezone.now()
    req = _request(people[mentee], topics, fmt, goals, 150)
    pair = _pair(req, people[mentor], people.get(broker), now - timedelta(days=140))
    if pair.status == Pair.Status.ACTIVE:
        pair.status = Pair.Status.COMPLETED
        pair.ended_at = now - timedelta(days=20)
        pair.last_checkin_at = now - timedelta(days=25)
        pair.save(update_fields=["status", "ended_at", "last_checkin_at"])
        Goal.objects.get_or_create(
            pair=pair, text="Coach one planning session", defaults={"done": True}
        )
        CheckIn.objects.get_or_create(
            pair=pair,
            notes="Kwame ran planning with questions only. It worked.",
            defaults={
                "author": people[mentee],
                "date": (now - timedelta(days=25)).date(),
                "progress": 100,
            },
        )
    for who, rating, learned in notes:
        author = people[who]
        if Feedback.objects.filter(pair=pair, author=author).exists():
            continue
        item = None
        community = _first_community(author) if who == mentee else None
        if community is not None:
            item = item_create(
                author=author,
                community=community,
                kind=ItemKind.STORY,
                title="What I learned from having a thinking partner",
                body=learned,
                tags=topics,
            )
        Feedback.objects.create(
            pair=pair,
            author=author,
            rating=rating,
            learned=learned,
            published_item=item,
        )
    return 1
