"""Demo mentoring: mentors, open requests, active pairs with goals and
check-ins, and one completed pair with feedback.

Through mentoring.services, as on the site: members save offers and ask for
mentoring, a broker proposes a mentor, both accept, they set goals and log
check-ins, the pair completes and both give feedback (the mentee publishes
what they learned as a story). Then the dates are moved back
(demo/backdating.py). Idempotent: a request is found by mentee and goals, and
a request already there is left as it is. Works with or without communities.
"""

from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from communities.access import active_community_ids
from communities.models import Community
from demo.backdating import backdate, notifications_at
from knowledge.models import Item, ItemTag
from members.models import User
from mentoring.models import Format, MentoringRequest, Pair
from mentoring.services import (
    checkin_add,
    feedback_give,
    goal_add,
    goal_set_done,
    match_propose,
    offer_save,
    pair_accept,
    pair_complete,
    request_create,
)
from mentoring.services.thinking import (
    assumption_add,
    commitment_add,
    commitment_review,
    followups_share_set,
)
from mentoring.strengths import strengths_refresh

NOTE = "You two think alike about learning from what goes wrong."

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

# Thinking partnerships keep a workspace instead of goals (mentoring.services
# .thinking): (author, assumption, what tested it, what changed) and
# (author, days ago, "what I will do differently", followed up? None: open).
WORKSPACES = {
    ("jon.ito", "aisha.khan"): {
        "assumptions": [
            ("aisha.khan", "My team hides lost deals because they fear blame.",
             "Asked three account managers one to one.",
             "It is the forecast review, not me: it punishes surprises."),
            ("jon.ito", "Executives need the numbers before the story.",
             "Listened to a lost-deal story before opening the dashboard.",
             "The story told me what the numbers could not."),
            ("jon.ito", "A blameless review needs a rule from the top.", "", ""),
        ],
        "commitments": [
            ("jon.ito", 35, "Ask for the story before the numbers in my "
             "Monday review.", True),
            ("aisha.khan", 35, "Hold one lost-deal review with no slides.", True),
            ("jon.ito", 14, "Say out loud one deal I got wrong this quarter.",
             False),
            ("aisha.khan", 14, "Invite finance to the next review.", None),
        ],
        "shares": "jon.ito",
    },
    ("helen.moyo", "kwame.mensah"): {
        "assumptions": [
            ("helen.moyo", "Coaching is slower than telling.",
             "Timed two planning sessions, one each way.",
             "Asking took ten minutes longer and saved a week."),
        ],
        "commitments": [
            ("helen.moyo", 100, "Ask 'what have you tried?' before answering.",
             True),
            ("kwame.mensah", 100, "Bring two options, not one, to planning.",
             True),
            ("helen.moyo", 60, "Let my team run the quarterly review.", True),
        ],
        "shares": "helen.moyo",
    },
}  # fmt: skip

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
    # Who has shown they know what, as beat's job keeps it afterwards.
    strengths = strengths_refresh()
    stdout.write(
        f"Mentoring: {offers} offers, {requests} open requests, {pairs} active "
        f"pairs, {completed} completed pair in the demo; {strengths} topic "
        "strengths."
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
        offer_save(
            acting_user=user,
            available=True,
            capacity=capacity,
            topics=sorted(set(user.expertise.names()) | set(extra)),
            formats=formats,
        )
        count += 1
    return count


def _request(mentee, topics, fmt, goals, days_ago) -> MentoringRequest | None:
    """A new request, or None when the demo already made it."""
    if MentoringRequest.objects.filter(mentee=mentee, goals=goals).exists():
        return None
    asked = timezone.now() - timedelta(days=days_ago)
    req = request_create(
        acting_user=mentee,
        topics=topics,
        goals=goals,
        format=fmt,
        community=_first_community(mentee),
    )
    backdate(req, created_at=asked)  # Backdating: asked `days_ago` days ago.
    return req


def _open_requests(people) -> int:
    count = 0
    for who, topics, fmt, goals, days_ago in OPEN_REQUESTS:
        if who in people:
            _request(people[who], topics, fmt, goals, days_ago)
            count += 1
    return count


def _pair(req, mentor, broker, started) -> Pair:
    """The broker proposes, the mentor then the mentee accept."""
    proposed = started - timedelta(days=3)
    with notifications_at(proposed):
        pair = match_propose(req=req, mentor=mentor, acting_user=broker, note=NOTE)
    with notifications_at(started - timedelta(days=2)):
        pair_accept(pair=pair, acting_user=mentor)
    with notifications_at(started):
        pair = pair_accept(pair=pair, acting_user=req.mentee)
    # Backdating: proposed, accepted and started on the demo's dates.
    backdate(
        pair,
        proposed_at=proposed,
        mentor_accepted_at=started - timedelta(days=2),
        mentee_accepted_at=started,
        started_at=started,
    )
    backdate(req, matched_at=started)
    return pair


def _goals(pair, user, checklist, *, done_at) -> None:
    for text, done in checklist:
        goal = goal_add(pair=pair, acting_user=user, text=text)
        backdate(goal, created_at=pair.started_at)  # Backdating: set at the start.
        if done:
            goal = goal_set_done(goal=goal, acting_user=user, done=True)
            backdate(goal, done_at=done_at)


def _workspace(pair, people, spec) -> None:
    """Both partners' assumptions and commitments; the executive named in
    `shares` lets their profile show their follow-ups."""
    now = timezone.now()
    for who, assumption, tested_by, changed in spec.get("assumptions", []):
        if who not in people:
            continue
        entry = assumption_add(
            pair=pair, acting_user=people[who], assumption=assumption,
            tested_by=tested_by, changed=changed,
        )  # fmt: skip
        backdate(entry, created_at=pair.started_at, updated_at=pair.started_at)
    for who, days_ago, text, followed in spec.get("commitments", []):
        if who not in people:
            continue
        at = now - timedelta(days=days_ago)
        commitment = commitment_add(
            pair=pair, acting_user=people[who], session_on=at.date(), text=text
        )
        backdate(commitment, created_at=at)
        if followed is not None:
            commitment_review(
                commitment=commitment, acting_user=people[who], followed_up=followed
            )
    if spec.get("shares") in people:
        followups_share_set(pair=pair, acting_user=people[spec["shares"]], share=True)


def _checkin(pair, mentee, *, days_ago, progress, notes, next_step="") -> None:
    at = timezone.now() - timedelta(days=days_ago)
    with notifications_at(at):
        checkin = checkin_add(
            pair=pair, acting_user=mentee, on=at.date(), notes=notes, progress=progress,
            next_step=next_step,
        )  # fmt: skip
    # Backdating: logged on its date, which is the pair's latest check-in.
    backdate(checkin, created_at=at)
    backdate(pair, last_checkin_at=at)


def _active_pair(people, mentor, mentee, broker, topics, fmt, goals, days,
                 checklist, checkins) -> int:  # fmt: skip
    if mentor not in people or mentee not in people:
        return 0
    req = _request(people[mentee], topics, fmt, goals, days + 5)
    if req is None:
        return 1
    now = timezone.now()
    pair = _pair(req, people[mentor], people.get(broker), now - timedelta(days=days))
    if pair.is_thinking_partnership:
        _workspace(pair, people, WORKSPACES.get((mentor, mentee), {}))
    else:
        _goals(pair, people[mentee], checklist, done_at=now - timedelta(days=days // 2))
    for ago, progress, notes, next_step in sorted(checkins, reverse=True):
        _checkin(
            pair, people[mentee], days_ago=ago, progress=progress, notes=notes,
            next_step=next_step,
        )  # fmt: skip
    return 1


def _completed_pair(people, mentor, mentee, broker, topics, fmt, goals, notes):
    if mentor not in people or mentee not in people:
        return 0
    req = _request(people[mentee], topics, fmt, goals, 150)
    if req is None:
        return 1
    now = timezone.now()
    ended = now - timedelta(days=20)
    pair = _pair(req, people[mentor], people.get(broker), now - timedelta(days=140))
    if pair.is_thinking_partnership:
        _workspace(pair, people, WORKSPACES.get((mentor, mentee), {}))
    else:
        _goals(
            pair, people[mentee], [("Coach one planning session", True)],
            done_at=now - timedelta(days=30),
        )  # fmt: skip
    _checkin(
        pair, people[mentee], days_ago=25, progress=100,
        notes="Kwame ran planning with questions only. It worked.",
    )  # fmt: skip
    with notifications_at(ended):
        pair = pair_complete(pair=pair, acting_user=people[mentor])
    backdate(pair, ended_at=ended)  # Backdating: completed three weeks ago.
    for who, rating, learned in notes:
        author = people[who]
        given = ended + timedelta(days=2)
        with notifications_at(given):
            feedback = feedback_give(
                pair=pair, acting_user=author, rating=rating, learned=learned,
                publish_in=_first_community(author) if who == mentee else None,
            )  # fmt: skip
        backdate(feedback, created_at=given)
        if feedback.published_item is not None:
            # Backdating: the story was published with the feedback.
            story = feedback.published_item
            backdate(story, created_at=given, last_activity_at=given)
            ItemTag.objects.filter(content_object=story).update(item_created_at=given)
            latest = Item.objects.filter(community=story.community_id).aggregate(
                at=Max("last_activity_at")
            )["at"]
            Community.objects.filter(pk=story.community_id).update(
                last_activity_at=latest
            )
    return 1
