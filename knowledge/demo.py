# ruff: noqa: E501 - demo prose reads better unwrapped
"""Demo knowledge: a few hundred stories, practices, lessons, questions and
resources across whatever communities exist, with replies, accepted answers,
helpful marks, adoptions and shares.

Deterministic (random.Random(42)) and idempotent: an item is identified by
(community, title), so a second run adds nothing. Rows are bulk-created and
the counters and search vectors are recomputed afterwards.
"""

import random
from datetime import timedelta

from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from taggit.models import Tag

from communities.models import Community, Membership
from knowledge.digests.build import digest_build
from knowledge.digests.periods import period_bounds, previous_start
from knowledge.models import (
    Adoption,
    DigestPeriod,
    HelpfulMark,
    Item,
    ItemKind,
    ItemTag,
    Reply,
)
from knowledge.services import search_vectors_refresh
from members.markup import markdown_to_html

TOTAL_ITEMS = 320

# topic -> (tags, [(kind, title, body)])
TOPICS = {
    "handover": (
        ["shift-handover", "safety"],
        [
            (
                ItemKind.STORY,
                "The night the handover note saved a line",
                "## Context\nNight shift, line 3, a new operator on her second week.\n\n"
                "## Challenge\nA pump had been running hot all afternoon; nobody said so.\n\n"
                "## What we did\nWe had started a one-page handover note with a "
                '*"what worries me"* box. The day lead wrote two words: "pump 3".\n\n'
                "## Outcome\nShe checked it at 02:00 and stopped it before the seal failed.\n\n"
                "## Lesson\nThe box for worries matters more than the box for numbers.",
            ),
            (
                ItemKind.PRACTICE,
                "Five-minute standing handover at the board",
                "Both leads stand at the board, the outgoing one talks, the incoming one "
                "asks *one* question. No chairs, no laptops.\n\n1. Safety first\n"
                "2. What changed\n3. What worries me",
            ),
            (
                ItemKind.QUESTION,
                "How do you hand over when shifts do not overlap?",
                "Our weekend crews never meet. Notes get lost. What has worked for you?",
            ),
            (
                ItemKind.LESSON,
                "Handovers fail at the edges, not in the middle",
                "Every incident we traced last year started with something that was "
                "*almost* said at a handover. We now ask: what did you almost not mention?",
            ),
        ],
    ),
    "escalation": (
        ["escalations", "troubleshooting"],
        [
            (
                ItemKind.STORY,
                "An escalation we should have raised a day earlier",
                "## Context\nA key customer's line was down.\n\n## Challenge\nWe thought "
                "we could fix it ourselves.\n\n## What we did\nWe tried for 26 hours.\n\n"
                "## Outcome\nThe vendor fixed it in two.\n\n## Lesson\nSet a clock: after "
                "four hours, escalate, no pride.",
            ),
            (
                ItemKind.PRACTICE,
                "The four-hour escalation rule",
                "If a priority-one case is not moving after four hours, the owner calls the "
                "next level *and* writes down what they tried. No blame, just time.",
            ),
            (
                ItemKind.QUESTION,
                "Who do you call first when a field fix fails twice?",
                "Second-line or the product team? Our engineers disagree.",
            ),
            (
                ItemKind.RESOURCE,
                "Escalation checklist (one page)",
                "- What is the impact?\n- What did we try?\n- Who is affected next?\n"
                "- Who owns it now?",
            ),
        ],
    ),
    "onboarding": (
        ["onboarding", "mentoring"],
        [
            (
                ItemKind.STORY,
                "How a newcomer's question changed our checklist",
                "## Context\nA graduate asked why we log temperatures twice.\n\n"
                "## Challenge\nNobody knew.\n\n## What we did\nWe traced it to a rule "
                "from 2009.\n\n## Outcome\nWe dropped the duplicate and saved ten minutes a "
                "shift.\n\n## Lesson\nNewcomers see what we stopped seeing. Ask them.",
            ),
            (
                ItemKind.PRACTICE,
                "Buddy for the first ninety days",
                "Each newcomer gets a buddy who is *not* their manager. They meet weekly; "
                'the buddy\'s only job is to answer "stupid" questions.',
            ),
            (
                ItemKind.QUESTION,
                "What do you give newcomers to read on day one?",
                "We hand out a 60-page manual. I suspect nobody reads it.",
            ),
            (
                ItemKind.LESSON,
                "Legitimate peripheral participation, in practice",
                "Newcomers learn fastest when they do real but low-risk work next to "
                "experienced people, not when they sit through slides.",
            ),
        ],
    ),
    "lean": (
        ["lean", "continuous-improvement"],
        [
            (
                ItemKind.PRACTICE,
                "Gemba walk with one question",
                "Walk the floor with a single question for the week, e.g. *where do people "
                "wait?* Write down what you see, not what you think.",
            ),
            (
                ItemKind.STORY,
                "The kanban board the operators built themselves",
                "## Context\nWe had imposed a board. It died.\n\n## Challenge\nNobody "
                "updated it.\n\n## What we did\nWe asked the operators to draw their own.\n\n"
                "## Outcome\nIt is still used two years later.\n\n## Lesson\nCommitment "
                "cannot be commanded.",
            ),
            (
                ItemKind.QUESTION,
                "How do you keep 5S alive after the launch week?",
                "Every 5S push looks great for a month and then drifts.",
            ),
            (
                ItemKind.RESOURCE,
                "A3 problem-solving template",
                "Background · Current condition · Goal · Root cause · Countermeasures · "
                "Follow-up.",
            ),
        ],
    ),
    "key-accounts": (
        ["key-accounts", "negotiation"],
        [
            (
                ItemKind.STORY,
                "Keeping a key account through a price rise",
                "## Context\nOur largest customer, a 9% price rise.\n\n## Challenge\nThey "
                "threatened to tender.\n\n## What we did\nWe showed them our cost data and "
                "offered a joint improvement project.\n\n## Outcome\nThey stayed, and the "
                "project saved them more than the rise.\n\n## Lesson\nOpen books build "
                "trust.",
            ),
            (
                ItemKind.PRACTICE,
                "Quarterly account review with the customer's team",
                "Not a sales pitch: we review *their* goals, our misses and one idea each.",
            ),
            (
                ItemKind.QUESTION,
                "How do you hand over a key account when someone leaves?",
                "Our best account manager leaves next month. How do we keep the relationship?",
            ),
        ],
    ),
    "systems": (
        ["systems-thinking", "strategy"],
        [
            (
                ItemKind.LESSON,
                "Fixing the symptom made the problem worse",
                "We added overtime to clear a backlog; fatigue raised the error rate, which "
                "grew the backlog. A classic *fixes that fail* loop.",
            ),
            (
                ItemKind.STORY,
                "Drawing the loop on the whiteboard",
                "## Context\nSales and operations blamed each other for late orders.\n\n"
                "## Challenge\nEvery meeting ended in an argument.\n\n## What we did\nWe drew "
                "the causal loop together.\n\n## Outcome\nBoth saw their own part.\n\n"
                "## Lesson\nA shared picture beats a shared spreadsheet.",
            ),
            (
                ItemKind.QUESTION,
                "Where do you start with systems thinking in a team?",
                "Books are abstract. What was your first practical step?",
            ),
            (
                ItemKind.RESOURCE,
                "Reading list: leaders as learners",
                "Senge on the three kinds of leaders; Wenger on communities of practice.",
            ),
        ],
    ),
}
SITES = ["Valencia", "Berlin", "Leeds", "Pune", "Lyon", "Accra", "Dublin", "Tokyo",
         "Casablanca", "Munich", "Milan", "Shanghai", "Lagos", "London", "Paris"]  # fmt: skip
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


def _active_members(community_ids):
    members = {}
    rows = Membership.objects.filter(
        community_id__in=community_ids, status=Membership.Status.ACTIVE
    ).values_list("community_id", "user_id")
    for community_id, user_id in rows:
        members.setdefault(community_id, []).append(user_id)
    return members


DIGEST_WEEKS = 4


def seed(stdout):
    _seed_items(stdout)
    _seed_digests(stdout)


def _seed_digests(stdout):
    """The last few weekly digests of every active community, so the archive
    and the "Latest digest" link have something to show after `make run`.
    Built in place (rerunning rebuilds the same rows); nothing is e-mailed:
    sending is knowledge.digests.deliver's job, never the demo's."""
    start = period_bounds(DigestPeriod.WEEKLY)[0]
    starts = [start]
    for _ in range(DIGEST_WEEKS - 1):
        starts.append(previous_start(DigestPeriod.WEEKLY, starts[-1]))
    communities = list(
        Community.objects.filter(archived_at__isnull=True).order_by("pk")
    )
    for community in communities:
        for begin in starts:
            digest_build(community=community, period=DigestPeriod.WEEKLY, start=begin)
    stdout.write(
        f"Digests: the last {DIGEST_WEEKS} weekly digests of "
        f"{len(communities)} communities built (none e-mailed)."
    )


def _seed_items(stdout):
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    communities = list(Community.objects.order_by("pk"))
    members = _active_members([c.pk for c in communities])
    communities = [c for c in communities if members.get(c.pk)]
    if not communities:
        stdout.write("Knowledge: no communities with active members; nothing seeded.")
        return
    existing = set(Item.objects.values_list("community_id", "title"))
    templates = [
        (topic, tags, kind, title, body)
        for topic, (tags, entries) in TOPICS.items()
        for kind, title, body in entries
    ]
    per_community = max(8, TOTAL_ITEMS // len(communities))
    now = timezone.now()
    new_items, new_tags = [], []
    for community in communities:
        authors = members[community.pk]
        for n in range(per_community):
            topic, tags, kind, title, body = templates[
                (n + community.pk) % len(templates)
            ]
            if n >= len(templates):
                title = f"{title} ({SITES[(n // len(templates)) % len(SITES)]})"
            if (community.pk, title) in existing:
                continue
            existing.add((community.pk, title))
            created = now - timedelta(minutes=rng.randint(60, 60 * 24 * 180))
            item_tags = sorted(set(tags[: rng.randint(1, len(tags))]))
            new_items.append(
                Item(
                    community=community,
                    kind=kind,
                    title=title,
                    body=body,
                    body_html=markdown_to_html(body),
                    author_id=rng.choice(authors),
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
    _replies_and_answers(rng, new_items, members, now)
    _helpful_marks(rng, new_items, members)
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


def _replies_and_answers(rng, items, members, now):
    replies = []
    for item in items:
        others = [u for u in members[item.community_id] if u != item.author_id]
        if not others:
            continue
        count = (
            rng.choice([0, 1, 1, 2, 3, 4])
            if item.is_question
            else rng.choice([0, 0, 1, 2])
        )
        for k in range(count):
            at = min(
                now, item.created_at + timedelta(hours=rng.randint(1, 96) * (k + 1))
            )
            body = rng.choice(REPLIES)
            replies.append(
                Reply(
                    item=item,
                    author_id=rng.choice(others),
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


def _helpful_marks(rng, items, members):
    marks = []
    for item in items:
        others = [u for u in members[item.community_id] if u != item.author_id]
        for user_id in rng.sample(
            others, k=min(len(others), rng.choice([0, 1, 2, 3, 5]))
        ):
            marks.append(HelpfulMark(item=item, user_id=user_id))
    HelpfulMark.objects.bulk_create(marks, batch_size=1000, ignore_conflicts=True)


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
                "recorded_by_id": rng.choice(members[adopter.pk]),
                "note": rng.choice(ADOPTION_NOTES),
            },
        )
