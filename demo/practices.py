# ruff: noqa: E501 - demo prose reads better unwrapped
"""What each demo community's practice talks about: hand-written items, and
subjects that title and body patterns turn into many more, every title unique
within its community."""

from knowledge.models import ItemKind

H = ItemKind
# domain -> (tags, hand-written items [(kind, title, subject, body)], subjects
# for the rest: noun phrases the patterns below turn into titles of that
# practice). An item's subject is what replies to it talk about (demo/replies.py).
DOMAINS = {
    "handover": (
        ["shift-handover", "safety"],
        [
            (
                H.STORY,
                "The night the handover note saved a line",
                "a worry box on the handover note",
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
                "a standing handover at the board",
                "Both leads stand at the board, the outgoing one talks, the incoming one "
                "asks *one* question. No chairs, no laptops.\n\n1. Safety first\n"
                "2. What changed\n3. What worries me",
            ),
            (
                H.QUESTION,
                "How do you hand over when shifts do not overlap?",
                "handovers between shifts that never meet",
                "Our weekend crews never meet. Notes get lost. What has worked for you?",
            ),
            (
                H.LESSON,
                "Handovers fail at the edges, not in the middle",
                "what almost gets said at a handover",
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
                "escalating a line-down case in time",
                "## Context\nA key customer's line was down.\n\n## Challenge\nWe thought "
                "we could fix it ourselves.\n\n## What we did\nWe tried for 26 hours.\n\n"
                "## Outcome\nThe vendor fixed it in two.\n\n## Lesson\nSet a clock: after "
                "four hours, escalate, no pride.",
            ),
            (
                H.PRACTICE,
                "The four-hour escalation rule",
                "a four-hour escalation clock",
                "If a priority-one case is not moving after four hours, the owner calls the "
                "next level *and* writes down what they tried. No blame, just time.",
            ),
            (
                H.QUESTION,
                "Who do you call first when a field fix fails twice?",
                "a field fix that fails twice",
                "Second-line or the product team? Our engineers disagree.",
            ),
            (
                H.RESOURCE,
                "Escalation checklist (one page)",
                "a one-page escalation checklist",
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
                "newcomers questioning old rules",
                "## Context\nA graduate asked why we log temperatures twice.\n\n"
                "## Challenge\nNobody knew.\n\n## What we did\nWe traced it to a rule "
                "from 2009.\n\n## Outcome\nWe dropped the duplicate and saved ten minutes a "
                "shift.\n\n## Lesson\nNewcomers see what we stopped seeing. Ask them.",
            ),
            (
                H.PRACTICE,
                "Buddy for the first ninety days",
                "a buddy for the first ninety days",
                "Each newcomer gets a buddy who is *not* their manager. They meet weekly; "
                'the buddy\'s only job is to answer "stupid" questions.',
            ),
            (
                H.QUESTION,
                "What do you give newcomers to read on day one?",
                "reading for a newcomer's first day",
                "We hand out a 60-page manual. I suspect nobody reads it.",
            ),
            (
                H.LESSON,
                "Legitimate peripheral participation, in practice",
                "low-risk real work for newcomers",
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
                "a gemba walk with one question",
                "Walk the floor with a single question for the week, e.g. *where do people "
                "wait?* Write down what you see, not what you think.",
            ),
            (
                H.STORY,
                "The kanban board the operators built themselves",
                "a kanban board the operators own",
                "## Context\nWe had imposed a board. It died.\n\n## Challenge\nNobody "
                "updated it.\n\n## What we did\nWe asked the operators to draw their own.\n\n"
                "## Outcome\nIt is still used two years later.\n\n## Lesson\nCommitment "
                "cannot be commanded.",
            ),
            (
                H.QUESTION,
                "How do you keep 5S alive after the launch week?",
                "keeping 5S alive",
                "Every 5S push looks great for a month and then drifts.",
            ),
            (
                H.RESOURCE,
                "A3 problem-solving template",
                "A3 problem solving",
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
                "a price rise for a key account",
                "## Context\nOur largest customer, a 9% price rise.\n\n## Challenge\nThey "
                "threatened to tender.\n\n## What we did\nWe showed them our cost data and "
                "offered a joint improvement project.\n\n## Outcome\nThey stayed, and the "
                "project saved them more than the rise.\n\n## Lesson\nOpen books build "
                "trust.",
            ),
            (
                H.PRACTICE,
                "Quarterly account review with the customer's team",
                "quarterly reviews with a customer's team",
                "Not a sales pitch: we review *their* goals, our misses and one idea each.",
            ),
            (
                H.QUESTION,
                "How do you hand over a key account when someone leaves?",
                "handing over a key account",
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
                "fixes that fail",
                "We added overtime to clear a backlog; fatigue raised the error rate, which "
                "grew the backlog. A classic *fixes that fail* loop.",
            ),
            (
                H.STORY,
                "Drawing the loop on the whiteboard",
                "drawing a causal loop together",
                "## Context\nSales and operations blamed each other for late orders.\n\n"
                "## Challenge\nEvery meeting ended in an argument.\n\n## What we did\nWe drew "
                "the causal loop together.\n\n## Outcome\nBoth saw their own part.\n\n"
                "## Lesson\nA shared picture beats a shared spreadsheet.",
            ),
            (
                H.QUESTION,
                "Where do you start with systems thinking in a team?",
                "a first step into systems thinking",
                "Books are abstract. What was your first practical step?",
            ),
            (
                H.RESOURCE,
                "Reading list: leaders as learners",
                "reading about leaders as learners",
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
                "sponsoring a slow pilot",
                "## Context\nA line leader in Pune changed how her teams plan the week.\n\n"
                "## Challenge\nOutput dipped and the monthly review asked why.\n\n"
                "## What we did\nI kept sponsoring it and asked what she was learning.\n\n"
                "## Outcome\nBy month seven the plant was the most reliable in the region.\n\n"
                "## Lesson\nProtect the space for experiments; results come later.",
            ),
            (
                H.QUESTION,
                "How do you hear bad news before it reaches the board?",
                "hearing bad news early",
                "By the time problems reach me they are polished. How do you get the raw version?",
            ),
            (
                H.LESSON,
                "Executives cannot command commitment",
                "commitment that cannot be commanded",
                "What we can do is design the environment: time, recognition and a "
                "safe place to try things.",
            ),
            (
                H.PRACTICE,
                "A thinking partner for every new plant manager",
                "thinking partners for new plant managers",
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
                "listening in one-to-ones",
                "## Context\nA senior engineer had gone quiet in meetings.\n\n"
                "## Challenge\nI assumed it was motivation.\n\n## What we did\nI asked what "
                "was getting in the way, then stayed silent.\n\n## Outcome\nIt was a "
                "conflict with a peer that I could help with.\n\n## Lesson\nAsk, then wait.",
            ),
            (
                H.QUESTION,
                "How do you tell a team that a project is cancelled?",
                "telling a team its project is cancelled",
                "Eight months of work, stopped by a budget decision. How do you keep trust?",
            ),
            (
                H.PRACTICE,
                "Growth conversations twice a year, separate from reviews",
                "growth conversations apart from reviews",
                "No ratings on the table: only *where do you want to be in two years* and "
                "what we try next quarter.",
            ),
            (
                H.LESSON,
                "Burnout shows in small things first",
                "early signs of burnout",
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
    """The items of one practice as (kind, title, body, subject), hand-written
    first, every title unique."""
    tags, written, subjects = DOMAINS[domain]
    entries = [(kind, title, body, subject) for kind, title, subject, body in written]
    for i in range(len(PATTERNS) * len(subjects)):
        pattern = i % len(PATTERNS)
        subject = subjects[(i // len(PATTERNS) + pattern) % len(subjects)]
        kind, title, body = PATTERNS[pattern]
        site = SITES[i % len(SITES)]
        entries.append(
            (kind, title.format(s=subject), body.format(s=subject, site=site), subject)
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
