# ruff: noqa: E501 - demo prose reads better unwrapped
"""Demo knowledge: a few hundred stories, practices, lessons, questions and
resources across whatever communities exist, each community's about its own
practice, with replies, accepted answers, helpful marks, adoptions, shares
and a few unread notifications for the demo people.

Deterministic (random.Random(42)) and idempotent: an item is identified by
(community, title), so a second run adds nothing. Rows are bulk-created and
the counters and search vectors are recomputed afterwards.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from taggit.models import Tag

from communities.models import Community, Membership
from knowledge.models import (
    Adoption,
    HelpfulMark,
    Item,
    ItemKind,
    ItemTag,
    Reply,
)
from knowledge.services import search_vectors_refresh
from members.markup import markdown_to_html
from members.models import User
from notifications.models import Notification
from notifications.services import notify

TOTAL_ITEMS = 320
# No contribution in this many days makes a member peripheral on the dashboards.
QUIET_DAYS = 91
FIRST_POST_WAIT = timedelta(days=8)

H = ItemKind
# domain -> (tags, hand-written items [(kind, title, body)], subjects for the
# rest: noun phrases the patterns below turn into titles of that practice)
DOMAINS = {
    "handover": (
        ["shift-handover", "safety"],
        [
            (
                H.STORY,
                "The night the handover note saved a line",
                "## Context\nNight shift, line 3, a new operator on her second week.\n\n"
                "## Challenge\nA pump had been running hot all afternoon; nobody said so.\n\n"
                "## What we did\nWe had started a one-page handover note with a "
                '*"what worries me"* box. The day lead wrote two words: "pump 3".\n\n'
                "## Outcome\nShe checked it at 02:00 and stopped it before the seal failed.\n\n"
                "## Lesson\nThe box for worries matters more than the box for numbers.",
            ),
            (
                H.PRACTICE,
                "Five-minute standing handover at the board",
                "Both leads stand at the board, the outgoing one talks, the incoming one "
                "asks *one* question. No chairs, no laptops.\n\n1. Safety first\n"
                "2. What changed\n3. What worries me",
            ),
            (
                H.QUESTION,
                "How do you hand over when shifts do not overlap?",
                "Our weekend crews never meet. Notes get lost. What has worked for you?",
            ),
            (
                H.LESSON,
                "Handovers fail at the edges, not in the middle",
                "Every incident we traced last year started with something that was "
                "*almost* said at a handover. We now ask: what did you almost not mention?",
            ),
        ],
        [
            "the weekend handover",
            "handover notes nobody reads",
            "maintenance handovers",
            "the handover board",
            "open safety actions at shift change",
            "handing over during a line stop",
            "agency staff at handover",
            "the night-to-morning handover",
            "half-finished repairs at shift change",
            "handover between control room and floor",
        ],
    ),
    "escalation": (
        ["escalations", "troubleshooting"],
        [
            (
                H.STORY,
                "An escalation we should have raised a day earlier",
                "## Context\nA key customer's line was down.\n\n## Challenge\nWe thought "
                "we could fix it ourselves.\n\n## What we did\nWe tried for 26 hours.\n\n"
                "## Outcome\nThe vendor fixed it in two.\n\n## Lesson\nSet a clock: after "
                "four hours, escalate, no pride.",
            ),
            (
                H.PRACTICE,
                "The four-hour escalation rule",
                "If a priority-one case is not moving after four hours, the owner calls the "
                "next level *and* writes down what they tried. No blame, just time.",
            ),
            (
                H.QUESTION,
                "Who do you call first when a field fix fails twice?",
                "Second-line or the product team? Our engineers disagree.",
            ),
            (
                H.RESOURCE,
                "Escalation checklist (one page)",
                "- What is the impact?\n- What did we try?\n- Who is affected next?\n"
                "- Who owns it now?",
            ),
        ],
        [
            "priority-one outages",
            "repeat escalations from one customer",
            "escalations to a vendor",
            "angry calls late on a Friday",
            "escalations across time zones",
            "the escalation log",
            "warranty disputes",
            "cases nobody owns",
            "the post-incident review",
            "promises made by sales",
        ],
    ),
    "onboarding": (
        ["onboarding", "mentoring"],
        [
            (
                H.STORY,
                "How a newcomer's question changed our checklist",
                "## Context\nA graduate asked why we log temperatures twice.\n\n"
                "## Challenge\nNobody knew.\n\n## What we did\nWe traced it to a rule "
                "from 2009.\n\n## Outcome\nWe dropped the duplicate and saved ten minutes a "
                "shift.\n\n## Lesson\nNewcomers see what we stopped seeing. Ask them.",
            ),
            (
                H.PRACTICE,
                "Buddy for the first ninety days",
                "Each newcomer gets a buddy who is *not* their manager. They meet weekly; "
                'the buddy\'s only job is to answer "stupid" questions.',
            ),
            (
                H.QUESTION,
                "What do you give newcomers to read on day one?",
                "We hand out a 60-page manual. I suspect nobody reads it.",
            ),
            (
                H.LESSON,
                "Legitimate peripheral participation, in practice",
                "Newcomers learn fastest when they do real but low-risk work next to "
                "experienced people, not when they sit through slides.",
            ),
        ],
        [
            "a newcomer's first week",
            "buddy pairings",
            "shadowing on the line",
            "onboarding remote hires",
            "newcomers' first questions",
            "the thirty-day check-in",
            "introducing newcomers to our network",
            "graduates starting on shift work",
            "people who change roles internally",
            "the welcome in a new community",
        ],
    ),
    "lean": (
        ["lean", "continuous-improvement"],
        [
            (
                H.PRACTICE,
                "Gemba walk with one question",
                "Walk the floor with a single question for the week, e.g. *where do people "
                "wait?* Write down what you see, not what you think.",
            ),
            (
                H.STORY,
                "The kanban board the operators built themselves",
                "## Context\nWe had imposed a board. It died.\n\n## Challenge\nNobody "
                "updated it.\n\n## What we did\nWe asked the operators to draw their own.\n\n"
                "## Outcome\nIt is still used two years later.\n\n## Lesson\nCommitment "
                "cannot be commanded.",
            ),
            (
                H.QUESTION,
                "How do you keep 5S alive after the launch week?",
                "Every 5S push looks great for a month and then drifts.",
            ),
            (
                H.RESOURCE,
                "A3 problem-solving template",
                "Background · Current condition · Goal · Root cause · Countermeasures · "
                "Follow-up.",
            ),
        ],
        [
            "changeover times",
            "kaizen suggestions from operators",
            "waiting time on line 2",
            "standard work",
            "visual management",
            "root-cause problem solving",
            "spreading a kaizen to the next line",
            "the daily huddle board",
            "scrap on the packing line",
            "inventory between stations",
        ],
    ),
    "key-accounts": (
        ["key-accounts", "negotiation"],
        [
            (
                H.STORY,
                "Keeping a key account through a price rise",
                "## Context\nOur largest customer, a 9% price rise.\n\n## Challenge\nThey "
                "threatened to tender.\n\n## What we did\nWe showed them our cost data and "
                "offered a joint improvement project.\n\n## Outcome\nThey stayed, and the "
                "project saved them more than the rise.\n\n## Lesson\nOpen books build "
                "trust.",
            ),
            (
                H.PRACTICE,
                "Quarterly account review with the customer's team",
                "Not a sales pitch: we review *their* goals, our misses and one idea each.",
            ),
            (
                H.QUESTION,
                "How do you hand over a key account when someone leaves?",
                "Our best account manager leaves next month. How do we keep the relationship?",
            ),
        ],
        [
            "a renewal under price pressure",
            "a tender from our biggest customer",
            "cross-selling without pushing",
            "account plans",
            "a customer's new procurement team",
            "joint improvement projects with customers",
            "multi-site contracts",
            "late payments from a key account",
            "the first meeting with a new buyer",
            "key accounts in a shrinking market",
        ],
    ),
    "systems": (
        ["systems-thinking", "strategy"],
        [
            (
                H.LESSON,
                "Fixing the symptom made the problem worse",
                "We added overtime to clear a backlog; fatigue raised the error rate, which "
                "grew the backlog. A classic *fixes that fail* loop.",
            ),
            (
                H.STORY,
                "Drawing the loop on the whiteboard",
                "## Context\nSales and operations blamed each other for late orders.\n\n"
                "## Challenge\nEvery meeting ended in an argument.\n\n## What we did\nWe drew "
                "the causal loop together.\n\n## Outcome\nBoth saw their own part.\n\n"
                "## Lesson\nA shared picture beats a shared spreadsheet.",
            ),
            (
                H.QUESTION,
                "Where do you start with systems thinking in a team?",
                "Books are abstract. What was your first practical step?",
            ),
            (
                H.RESOURCE,
                "Reading list: leaders as learners",
                "Senge on the three kinds of leaders; Wenger on communities of practice.",
            ),
        ],
        [
            "shifting the burden to a workaround",
            "delays in the order pipeline",
            "causal loop diagrams",
            "a backlog that keeps coming back",
            "blame between sales and operations",
            "leverage points",
            "the mental models in our team",
            "limits to growth",
            "targets that backfire",
            "the tragedy of the shared test rig",
        ],
    ),
    "executive": (
        ["leadership", "coaching"],
        [
            (
                H.STORY,
                "Backing a pilot that looked like failure for six months",
                "## Context\nA line leader in Pune changed how her teams plan the week.\n\n"
                "## Challenge\nOutput dipped and the monthly review asked why.\n\n"
                "## What we did\nI kept sponsoring it and asked what she was learning.\n\n"
                "## Outcome\nBy month seven the plant was the most reliable in the region.\n\n"
                "## Lesson\nProtect the space for experiments; results come later.",
            ),
            (
                H.QUESTION,
                "How do you hear bad news before it reaches the board?",
                "By the time problems reach me they are polished. How do you get the raw version?",
            ),
            (
                H.LESSON,
                "Executives cannot command commitment",
                "What we can do is design the environment: time, recognition and a "
                "safe place to try things.",
            ),
            (
                H.PRACTICE,
                "A thinking partner for every new plant manager",
                "Each new plant manager meets an executive monthly: *their* agenda, no "
                "reporting, one question to take away.",
            ),
        ],
        [
            "culture change from the middle",
            "asking instead of telling",
            "our own assumptions",
            "sponsoring a community of practice",
            "quarterly numbers versus learning",
            "mentoring a line leader",
            "a strategy nobody on the floor recognises",
            "a reorganisation announced too early",
            "recognising internal networkers",
            "the board's appetite for risk",
        ],
    ),
    "people": (
        ["leadership", "people"],
        [
            (
                H.STORY,
                "The one-to-one where I finally listened",
                "## Context\nA senior engineer had gone quiet in meetings.\n\n"
                "## Challenge\nI assumed it was motivation.\n\n## What we did\nI asked what "
                "was getting in the way, then stayed silent.\n\n## Outcome\nIt was a "
                "conflict with a peer that I could help with.\n\n## Lesson\nAsk, then wait.",
            ),
            (
                H.QUESTION,
                "How do you tell a team that a project is cancelled?",
                "Eight months of work, stopped by a budget decision. How do you keep trust?",
            ),
            (
                H.PRACTICE,
                "Growth conversations twice a year, separate from reviews",
                "No ratings on the table: only *where do you want to be in two years* and "
                "what we try next quarter.",
            ),
            (
                H.LESSON,
                "Burnout shows in small things first",
                "Missed lunches, short e-mails, cameras off. We now check in when we see two.",
            ),
        ],
        [
            "a hard conversation about performance",
            "burnout in the team",
            "growth plans for quiet people",
            "feedback to my own manager",
            "a team after a reorganisation",
            "remote one-to-ones",
            "conflict between two seniors",
            "a first-time manager's first month",
            "recognition that is not money",
            "hiring for a team that is already stretched",
        ],
    ),
}
COMMUNITY_DOMAINS = {
    "shift-handover-practice": "handover",
    "customer-escalations": "escalation",
    "onboarding-newcomers": "onboarding",
    "lean-on-the-shop-floor": "lean",
    "key-account-selling": "key-accounts",
    "systems-thinking-circle": "systems",
    "executive-thinking-partners": "executive",
    "people-leaders-circle": "people",
}
# Title and body patterns for the generated items: {s} is a subject.
PATTERNS = [
    (
        H.STORY,
        "What we tried with {s}, and what happened",
        "## Context\nIn {site} we had struggled with {s} for months.\n\n"
        "## Challenge\nEveryone had a theory; nobody had tried one properly.\n\n"
        "## What we did\nWe picked one change, ran it for four weeks and wrote down "
        "what we saw every Friday.\n\n## Outcome\nBetter, not solved: fewer surprises "
        "and a shared picture of the problem.\n\n## Lesson\nOne small, visible "
        "experiment beats three plans.",
    ),
    (
        H.PRACTICE,
        "How we approach {s}",
        "What works for us in {site}:\n\n1. Name one owner.\n2. Talk about it for five "
        "minutes every week, standing up.\n3. Write down what changed, *not* who was "
        "to blame.",
    ),
    (
        H.QUESTION,
        "How do you handle {s}?",
        "We are stuck on {s} in {site}. What has worked for you, and what did you try "
        "that did not?",
    ),
    (
        H.LESSON,
        "Three things we learned about {s}",
        "- It is rarely one person's fault.\n- The people closest to the work see it "
        "first; ask them.\n- Write it down the same day, or it is gone.",
    ),
    (
        H.QUESTION,
        "Has anyone found a good way through {s}?",
        "Our team in {site} has tried the obvious things. I would love to hear what a "
        "colleague elsewhere did.",
    ),
    (
        H.PRACTICE,
        "A one-page checklist for {s}",
        "- What is the situation today?\n- Who needs to know?\n- What is the next small "
        "step?\n- When do we look again?",
    ),
    (
        H.STORY,
        "Looking back on {s}, a year on",
        "## Context\nA year ago {s} was our biggest headache in {site}.\n\n"
        "## Challenge\nWe had no shared way of talking about it.\n\n## What we did\nWe "
        "started a monthly round table and invited the people who do the work.\n\n"
        "## Outcome\nIt is now a topic, not a taboo.\n\n## Lesson\nMake the problem "
        "discussable first.",
    ),
    (
        H.RESOURCE,
        "Reading and templates on {s}",
        "What our team in {site} found useful:\n\n- a one-page template we fill in "
        "together\n- two short articles we keep coming back to\n- the notes of our last "
        "review",
    ),
]
SITES = ["Valencia", "Berlin", "Leeds", "Pune", "Lyon", "Accra", "Dublin", "Tokyo",
         "Casablanca", "Munich", "Milan", "Shanghai", "Lagos", "London", "Paris"]  # fmt: skip


def domain_items(domain: str) -> list[tuple]:
    """The items of one practice, hand-written first, every title unique."""
    tags, written, subjects = DOMAINS[domain]
    entries = [(kind, title, body) for kind, title, body in written]
    for i in range(len(PATTERNS) * len(subjects)):
        pattern = i % len(PATTERNS)
        subject = subjects[(i // len(PATTERNS) + pattern) % len(subjects)]
        kind, title, body = PATTERNS[pattern]
        site = SITES[i % len(SITES)]
        entries.append(
            (kind, title.format(s=subject), body.format(s=subject, site=site))
        )
    return entries


def domain_of(community, index: int) -> str:
    """A demo community's own practice; any other community the practice its
    topics name, else one in turn."""
    if community.slug in COMMUNITY_DOMAINS:
        return COMMUNITY_DOMAINS[community.slug]
    topics = set(community.tags.names())
    for domain, (tags, _written, _subjects) in DOMAINS.items():
        if topics & set(tags):
            return domain
    return list(DOMAINS)[index % len(DOMAINS)]


REPLIES = [
    "We tried this in our team and it worked, with one change: we kept it shorter.",
    "Same here. What helped us was writing it down right after, not at the end of day.",
    "Have you talked to the night crew? They solved something similar last year.",
    "We use a **buddy** for this. Happy to show you how we set it up.",
    "Careful: this only worked for us once the managers stopped checking it daily.",
    "Thank you for sharing. We will try it next week and report back.",
    "In our plant the answer was a visual board by the door. Photos on request.",
    "Start small: one line, one month, then decide.",
]
ADOPTION_NOTES = [
    "We started it on the night shift in March.",
    "Adapted for our support team: weekly instead of daily.",
    "Running in two sites now; the third starts next month.",
    "",
]


def _active_members(community_ids, now):
    """{community id: {user id: joined at}} of active members, and the
    (community id, user id) of those who have not introduced themselves (the
    community page lists them as not yet taking part: they post nothing).
    A membership without a date predates the field: a year ago."""
    members, silent = {}, set()
    rows = (
        Membership.objects.filter(
            community_id__in=community_ids, status=Membership.Status.ACTIVE
        )
        .order_by("joined_at", "user_id")
        .values_list("community_id", "user_id", "joined_at", "introduced_at")
    )
    for community_id, user_id, joined, introduced in rows:
        joined = joined or now - timedelta(days=365)
        members.setdefault(community_id, {})[user_id] = joined
        if introduced is None and joined > now - timedelta(days=90):
            silent.add((community_id, user_id))
    return members, silent


def seed(stdout):
    _seed_items(stdout)
    _seed_notifications(stdout)


def _between(rng, lo, hi):
    """A moment in [lo, hi]; lo itself when the window is empty."""
    if hi <= lo:
        return lo
    return lo + timedelta(seconds=rng.randint(0, int((hi - lo).total_seconds())))


@dataclass
class _People:
    """Who posts what in one community, so the dashboards have an honest
    story: everyone posts after joining; some long-standing members have gone
    quiet (peripheral); one newcomer's first question still waits."""

    joined: dict  # user id -> joined at
    quiet: set  # nothing from them in the last QUIET_DAYS
    newcomers: list  # joined in the last 90 days, earliest first
    waiting: int | None  # the newcomer whose first post got no reply

    silent: set  # newcomers who have not introduced themselves: no posts

    @classmethod
    def of(cls, joined: dict, now, *, silent=frozenset()) -> "_People":
        if set(joined) <= set(silent):
            # A community of brand-new members only: someone has to talk.
            silent = frozenset()
        long_standing = sorted(
            u for u, at in joined.items() if at < now - timedelta(days=120)
        )
        quiet = set(long_standing[2::3])
        newcomers = [
            u
            for u, at in joined.items()
            if at > now - timedelta(days=90) and u not in silent
        ]
        settled = [u for u in newcomers if joined[u] < now - 2 * FIRST_POST_WAIT]
        return cls(
            joined=joined,
            quiet=quiet,
            newcomers=newcomers,
            waiting=settled[-1] if settled else None,
            silent=set(silent),
        )

    def posting(self):
        """Who writes the rest: not newcomers (their own first posts are
        placed by _authors), so a week-old member does not fill the feed."""
        others = [
            u for u in self.joined if u not in self.newcomers and u not in self.silent
        ]
        return (
            others or [u for u in self.joined if u not in self.silent] or [*self.joined]
        )

    def replying(self, item_author):
        return [
            u
            for u in self.joined
            if u != item_author and u not in self.quiet and u not in self.silent
        ]

    def post_window(self, author, now):
        lo = max(self.joined[author], now - timedelta(days=180)) + timedelta(minutes=5)
        hi = now - timedelta(minutes=5)
        if author in self.quiet:
            hi = now - timedelta(days=QUIET_DAYS)
        if author == self.waiting:
            hi = now - FIRST_POST_WAIT
        return lo, hi


def _authors(rng, entries, people):
    """An author per entry: the waiting newcomer asks the first question,
    every other newcomer has at least one post, the rest at random."""
    authors = [None] * len(entries)
    if people.waiting is not None:
        first_question = next(
            (i for i, (kind, *_rest) in enumerate(entries) if kind == H.QUESTION), 0
        )
        authors[first_question] = people.waiting
    free = (i for i, author in enumerate(authors) if author is None)
    for newcomer, slot in zip(
        [u for u in people.newcomers if u != people.waiting], free, strict=False
    ):
        authors[slot] = newcomer
    pool = people.posting()
    return [author or rng.choice(pool) for author in authors]


def _seed_items(stdout):
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    now = timezone.now()
    communities = list(Community.objects.order_by("pk"))
    members, silent = _active_members([c.pk for c in communities], now)
    communities = [c for c in communities if members.get(c.pk)]
    if not communities:
        stdout.write("Knowledge: no communities with active members; nothing seeded.")
        return
    existing = set(Item.objects.values_list("community_id", "title"))
    per_community = max(8, TOTAL_ITEMS // len(communities))
    people_of = {
        c.pk: _People.of(
            members[c.pk], now, silent={u for cid, u in silent if cid == c.pk}
        )
        for c in communities
    }
    new_items, new_tags = [], []
    for index, community in enumerate(communities):
        domain = domain_of(community, index)
        tags = DOMAINS[domain][0]
        entries = domain_items(domain)[:per_community]
        people = people_of[community.pk]
        for (kind, title, body), author in zip(
            entries, _authors(rng, entries, people), strict=True
        ):
            if (community.pk, title) in existing:
                continue
            existing.add((community.pk, title))
            created = _between(rng, *people.post_window(author, now))
            item_tags = sorted(set(tags[: rng.randint(1, len(tags))]))
            new_items.append(
                Item(
                    community=community,
                    kind=kind,
                    title=title,
                    body=body,
                    body_html=markdown_to_html(body),
                    author_id=author,
                    tag_names=" ".join(item_tags),
                    created_at=created,
                    last_activity_at=created,
                )
            )
            new_tags.append(item_tags)
    if not new_items:
        stdout.write("Knowledge: demo items already present.")
        return
    Item.objects.bulk_create(new_items, batch_size=500)
    _tag_items(new_items, new_tags)
    _replies_and_answers(rng, new_items, people_of, now)
    _helpful_marks(rng, new_items, people_of, now)
    _counters([i.pk for i in new_items])
    _adoptions(rng, new_items, communities, members)
    search_vectors_refresh(item_ids=[i.pk for i in new_items])
    stdout.write(f"Knowledge: {len(new_items)} items seeded.")


def _tag_items(items, tag_lists):
    names = sorted({name for tags in tag_lists for name in tags})
    tags = {}
    for name in names:
        tags[name], _created = Tag.objects.get_or_create(name=name)
    ItemTag.objects.bulk_create(
        [
            ItemTag(
                content_object_id=item.pk,
                tag=tags[name],
                item_created_at=item.created_at,
            )
            for item, names_ in zip(items, tag_lists, strict=True)
            for name in names_
        ],
        batch_size=1000,
    )


def _replies_and_answers(rng, items, people_of, now):
    replies = []
    for item in items:
        people = people_of[item.community_id]
        others = people.replying(item.author_id)
        if not others or item.author_id == people.waiting:
            continue
        count = (
            rng.choice([0, 1, 1, 2, 3, 4])
            if item.is_question
            else rng.choice([0, 0, 1, 2])
        )
        for k in range(count):
            author = rng.choice(others)
            at = item.created_at + timedelta(hours=rng.randint(1, 96) * (k + 1))
            at = max(min(at, now), people.joined[author])
            body = rng.choice(REPLIES)
            replies.append(
                Reply(
                    item=item,
                    author_id=author,
                    body=body,
                    body_html=markdown_to_html(body),
                    created_at=at,
                )
            )
    Reply.objects.bulk_create(replies, batch_size=1000)
    accepted = []
    first_reply = {}
    for reply in Reply.objects.filter(item__in=items).order_by("created_at", "id"):
        first_reply.setdefault(reply.item_id, reply.pk)
    for item in items:
        if item.is_question and item.pk in first_reply and rng.random() < 0.6:
            item.accepted_reply_id = first_reply[item.pk]
            accepted.append(item)
    Item.objects.bulk_update(accepted, ["accepted_reply"], batch_size=500)


def _helpful_marks(rng, items, people_of, now):
    marks = []
    for item in items:
        joined = people_of[item.community_id].joined
        others = [u for u in joined if u != item.author_id]
        for user_id in rng.sample(
            others, k=min(len(others), rng.choice([0, 1, 2, 3, 5]))
        ):
            at = max(item.created_at, joined[user_id]) + timedelta(
                hours=rng.randint(1, 72)
            )
            marks.append(
                HelpfulMark(item=item, user_id=user_id, created_at=min(at, now))
            )
    HelpfulMark.objects.bulk_create(marks, batch_size=1000, ignore_conflicts=True)


def _seed_notifications(stdout):
    """A few unread notifications for each demo person (their latest reply,
    helpful mark and accepted answer), so the nav badge shows something.
    Through notifications.services.notify like the real events; a second run
    finds them and adds nothing."""
    created = 0
    people = User.objects.filter(
        email__endswith="@practica.local", is_active=True
    ).order_by("pk")
    for person in people:
        for kind, message, item, actor in _latest_events(person):
            url = item.get_absolute_url()
            if Notification.objects.filter(
                recipient=person, kind=kind, url=url
            ).exists():
                continue
            if notify(
                recipient=person, kind=kind, message=message, url=url, actor=actor
            ):
                created += 1
    stdout.write(f"Knowledge: {created} demo notifications created.")


def _latest_events(person):
    reply = (
        Reply.objects.filter(item__author=person, hidden_at__isnull=True)
        .exclude(author=person)
        .select_related("author", "item__community")
        .order_by("-created_at", "-pk")
        .first()
    )
    if reply:
        what = "answered" if reply.item.is_question else "replied to"
        yield (
            "knowledge.reply",
            f"{reply.author.display_name} {what} “{reply.item.title}”",
            reply.item,
            reply.author,
        )
    mark = (
        HelpfulMark.objects.filter(item__author=person)
        .exclude(user=person)
        .select_related("user", "item__community")
        .order_by("-created_at", "-pk")
        .first()
    )
    if mark:
        yield (
            "knowledge.helpful",
            f"{mark.user.display_name} found “{mark.item.title}” helpful",
            mark.item,
            mark.user,
        )
    answered = (
        Item.objects.filter(accepted_reply__author=person)
        .select_related("community", "author")
        .order_by("-created_at", "-pk")
        .first()
    )
    if answered:
        yield (
            "knowledge.answer_accepted",
            f"Your answer to “{answered.title}” was accepted",
            answered,
            answered.author,
        )


def _counters(item_ids):
    visible = Reply.objects.filter(item=OuterRef("pk"), hidden_at__isnull=True)
    Item.objects.filter(pk__in=item_ids).update(
        reply_count=Coalesce(
            Subquery(visible.values("item").annotate(n=Count("pk")).values("n")[:1]),
            0,
        ),
        first_reply_at=Subquery(
            visible.values("item").annotate(t=Min("created_at")).values("t")[:1]
        ),
        helpful_count=Coalesce(
            Subquery(
                HelpfulMark.objects.filter(item=OuterRef("pk"))
                .values("item")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        last_activity_at=Greatest(
            "created_at",
            Coalesce(
                Subquery(
                    visible.values("item").annotate(t=Max("created_at")).values("t")[:1]
                ),
                "created_at",
            ),
        ),
    )


def _adoptions(rng, items, communities, members):
    if len(communities) < 2:
        return
    practices = [i for i in items if i.kind == ItemKind.PRACTICE]
    for item in rng.sample(practices, k=min(len(practices), 25)):
        adopter = rng.choice([c for c in communities if c.pk != item.community_id])
        Adoption.objects.get_or_create(
            item=item,
            community=adopter,
            defaults={
                "recorded_by_id": rng.choice(list(members[adopter.pk])),
                "note": rng.choice(ADOPTION_NOTES),
            },
        )
