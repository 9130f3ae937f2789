# ruff: noqa: E501 - demo prose reads better unwrapped
"""Replies that sound like colleagues, not a handful of canned sentences.

A reply is composed from the item's own subject (what it is about), an opener
that fits the kind of item (an answer to a question, a reaction to a story),
one concrete experience from the same practice, and a closing offer. With a
dozen of each per practice and the subject woven in, almost every reply in
the demo is different (tests/demo/test_knowledge.py holds it to 90%).
"""

from knowledge.models import ItemKind

H = ItemKind

OPENERS = {
    H.QUESTION: [
        "We had exactly this with {s} in {site}.",
        "Short answer from our side: {s} gets better, but not in one go.",
        "We went round in circles on {s} for a while too.",
        "What finally worked for us on {s} was boring and small.",
        "One thing made the difference for {s} in our team.",
        "I asked myself the same about {s} {when}.",
        "Not a full answer, but here is what we tried with {s}.",
        "Our experience with {s} in {site} may help.",
        "Good question: we argued about {s} for months.",
        "We tried three things on {s}; this is the one that stuck.",
    ],
    H.STORY: [
        "This is close to what happened to us with {s} {when}.",
        "Thank you for writing this down; {s} rarely gets told this honestly.",
        "Reading this, I recognise our own story with {s} in {site}.",
        "We lived a version of this with {s}, with a less happy ending.",
        "The part about the outcome rings true for {s} in our team as well.",
        "I am sharing this with my team: {s} is on our list too.",
        "A good reminder that {s} is mostly about people, not tools.",
        "We had the opposite experience with {s}, which makes this interesting.",
    ],
    H.PRACTICE: [
        "We copied this for {s} in {site} {when}.",
        "We run something very similar for {s}, with one twist.",
        "Tried this for {s} on our side; it needed one change to stick.",
        "This is now how we handle {s}, more or less.",
        "We adopted this for {s} after a bad month.",
        "I like how small this is. For {s} we made it even smaller.",
        "We started with this for {s} and adapted it over a quarter.",
        "Our version for {s} looks almost the same.",
    ],
    H.LESSON: [
        "Agreed, and I would add one thing from our work on {s}.",
        "We learned the same about {s} the hard way {when}.",
        "This matches what we saw with {s} in {site}.",
        "True for {s}, though in our case the cause was different.",
        "I would have disagreed a year ago; {s} taught me otherwise.",
        "Exactly our lesson with {s}, almost word for word.",
        "One nuance from {site} on {s}.",
    ],
    H.RESOURCE: [
        "We use this for {s} and it saves us a meeting.",
        "Printed it for {s}; it is on the wall in {site} now.",
        "Handy. We added a line about {s} that you may want too.",
        "We have been looking for something like this for {s}.",
        "Used this in our last review of {s}; it kept us honest.",
        "Thanks. Our own template for {s} was three pages too long.",
    ],
}

WHEN = [
    "last spring", "in March", "two years ago", "over the winter",
    "before the summer shutdown", "last quarter", "during the reorganisation",
    "in my first year here", "after the audit", "when we opened the new site",
]  # fmt: skip

# practice -> concrete things that happened, in the first person plural.
EXPERIENCES = {
    "handover": [
        "We moved the handover to the board by the door and cut it to five minutes, standing.",
        "The outgoing lead now writes one line under 'what worries me' before anything else.",
        "Our weekend crews leave a short voice note; the Monday lead listens before walking the line.",
        "We photograph the board at the end of each shift, so nobody argues later about what was said.",
        "Open safety actions go first on the handover sheet, in red, until somebody closes them.",
        "Maintenance now joins the handover for two minutes when a repair is half done.",
        "We pair agency staff with a regular for their first three handovers.",
        "The incoming lead has to repeat back the top risk; it feels silly and it catches things.",
        "We stopped handing over in the control room and do it at the line, next to the machine.",
        "Line 3 keeps a binder of 'almost said' notes; we review it once a month.",
        "We set a rule that no handover happens during a line stop; the stop is finished first.",
        "Our night-to-morning handover got a ten-minute overlap, paid, and incidents dropped.",
    ],
    "escalation": [
        "We put a four-hour timer on every priority-one case; when it rings, the owner calls the next level.",
        "The escalation note now has four lines: impact, what we tried, who is next affected, who owns it.",
        "Our field engineers call second-line from the site before leaving, not from the car park.",
        "We log every escalation to a vendor with the time we first suspected them.",
        "A weekly fifteen-minute review of repeat escalations showed us three root causes we had missed.",
        "We agreed with sales that no promise on fix times goes out without the support lead.",
        "One named owner per case, visible to the customer, ended the ping-pong between teams.",
        "For Friday-evening calls we keep a short script and a rota, so nobody is alone with it.",
        "We hand escalations across time zones with a written summary, never just a ticket number.",
        "The post-incident review is blameless and the customer gets the summary within a week.",
        "We started calling the customer back before they chase us; the tone of the calls changed.",
        "Warranty disputes go to a small panel now, which decides within two days.",
    ],
    "onboarding": [
        "Every newcomer gets a buddy who is not their manager, and they meet every Tuesday.",
        "We replaced the 60-page manual with ten questions the newcomer answers by asking people.",
        "New people shadow a real shift on day two instead of sitting through slides.",
        "We write a short 'who to ask for what' list with names and photos.",
        "The thirty-day check-in is with the buddy first, the manager second.",
        "Remote hires get a video call with three colleagues in their first week, no agenda.",
        "Newcomers keep a list of things that surprised them; we read it together at day sixty.",
        "We give each newcomer one small real task that ships in their first fortnight.",
        "People changing roles internally get a buddy too; they were the ones we forgot.",
        "We introduce newcomers in the community with a short post about what they want to learn.",
        "Graduates on shift work start on day shift for two weeks before their first night.",
        "We stopped scheduling back-to-back trainings in week one; people need time to wander.",
    ],
    "lean": [
        "Our operators drew the board themselves; it is still in use two years on.",
        "We walk the floor with one question a week and write down only what we see.",
        "5S stayed alive once each area had an owner and a five-minute audit on Fridays.",
        "We cut changeover time by filming one changeover and watching it with the crew.",
        "Kaizen ideas go on cards by the line, and every card gets an answer within a week.",
        "We spread a kaizen from line 1 to line 2 by sending the operator, not the slides.",
        "The daily huddle is at the board, twelve minutes, with one problem picked for the day.",
        "We measured waiting time with a stopwatch for a week; the numbers ended the debate.",
        "Standard work got shorter when the people doing it wrote it.",
        "We halved inventory between two stations by moving them closer, nothing else.",
        "Scrap on the packing line fell once we showed the crew the cost in euros per shift.",
        "We use the A3 only for problems that came back twice; everything else is fixed on the spot.",
    ],
    "key-accounts": [
        "We opened our cost data to the customer and offered a joint improvement project instead of a discount.",
        "The quarterly review starts with their goals, then our misses, then one idea from each side.",
        "When an account manager leaves, the successor joins three customer calls before the handover.",
        "We map the customer's buying centre on one page and update it after every meeting.",
        "For tenders we ask the customer what would make them stay before we write a line.",
        "Cross-selling works for us only when the customer's engineers ask for it first.",
        "We brought our plant manager to the renewal meeting; it changed the conversation.",
        "Late payments go to finance and the account manager together, with one voice to the customer.",
        "A new procurement team gets a visit from us in the first month, with no offer attached.",
        "Multi-site contracts have one owner on our side and a contact per site on theirs.",
        "We write the account plan with the customer's team once a year, on their premises.",
        "In a shrinking market we focused on the three accounts where we could grow share, not volume.",
    ],
    "systems": [
        "We drew the causal loop with both teams in the room; each side found its own arrow.",
        "Overtime cleared the backlog for a month and then fatigue brought it back, twice.",
        "We track the delay between order and delivery on a chart by the coffee machine.",
        "Naming the pattern 'shifting the burden' made it discussable in our leadership meeting.",
        "We found the leverage point was the approval step nobody thought of as work.",
        "A target on first-time fixes made people close tickets early; we dropped the target.",
        "We booked the shared test rig with a visible calendar and the fights stopped.",
        "Our first step was mapping one recurring problem on a whiteboard for an hour.",
        "We review one mental model a quarter: what do we assume about customers that may not be true?",
        "The limits-to-growth pattern explained why our best team stalled at twelve people.",
        "We added a 'what happens next month' column to every decision record.",
        "Two departments now share one metric for late orders instead of two competing ones.",
    ],
    "executive": [
        "I meet each new plant manager monthly on their agenda, with no reporting at all.",
        "I kept sponsoring a pilot through two bad quarters by asking what we were learning, not what we earned.",
        "I ask 'what would you not tell me?' at the end of every site visit, and then wait.",
        "We protect time for experiments in the budget as a line of its own.",
        "I visit a shift unannounced once a month and only ask questions.",
        "Our leadership team now names one assumption per meeting that could be wrong.",
        "We recognise internal networkers in the quarterly review, by name.",
        "I stopped announcing reorganisations before the people affected had heard it first.",
        "We translated the strategy into three questions a line leader can answer for their team.",
        "The board gets one page on what we learned this quarter, next to the numbers.",
        "I mentor one line leader at a time and learn at least as much as they do.",
        "We sponsor communities of practice with time, not money, and it matters more.",
    ],
    "people": [
        "In one-to-ones I now ask what is getting in the way, then stay silent for a while.",
        "We hold growth conversations twice a year, separate from the review and without ratings.",
        "When a project was cancelled, I told the team in person the same day, with the reasons.",
        "We check in when we see two small signs of burnout: missed lunches, short e-mails, cameras off.",
        "I ask quiet people for their view in writing before the meeting.",
        "Feedback to my own manager goes better when I bring one concrete example.",
        "After the reorganisation we gave the team a month before setting new targets.",
        "Remote one-to-ones got better once we walked and talked on the phone.",
        "Two seniors in conflict each wrote down what the other needs; we met with the lists.",
        "In my first month as a manager I kept a list of what I did not know and shared it.",
        "Recognition that is not money: we thank people in the team meeting for specific things.",
        "When the team is stretched, we hire for the gap, not for a copy of our best person.",
    ],
}

CLOSERS = [
    "Happy to walk you through it on a call.",
    "I can share our template if it helps.",
    "Drop by if you are in {site}; it is easier to show than to explain.",
    "Let us compare notes in a month.",
    "It took us about six weeks to see a difference.",
    "The hardest part was keeping it going after the first month.",
    "Start with one team, not the whole site.",
    "We still get it wrong sometimes, but far less often.",
    "Curious what others here have tried.",
    "Write down what you see in week one; you will want it later.",
    "Ask me anything about how we set it up.",
    "Nobody liked it at first; now nobody wants to go back.",
    "",
    "",
]

ADOPTION_NOTES = [
    "We started it on the night shift in {when_note}.",
    "Adapted for our team: weekly instead of daily.",
    "Running in two sites now; the third starts next month.",
    "Tried it in {site} first; the other sites followed.",
    "We kept the idea and dropped the paperwork.",
    "",
]
ADOPTION_MONTHS = ["March", "May", "September", "November", "January"]


def compose_reply(rng, *, kind: str, domain: str, subject: str, sites) -> str:
    """One reply to an item of `kind` about `subject`, from `domain`'s practice."""
    fields = {"s": subject, "site": rng.choice(sites), "when": rng.choice(WHEN)}
    opener = rng.choice(OPENERS.get(kind, OPENERS[H.STORY])).format(**fields)
    experience = rng.choice(EXPERIENCES[domain])
    closer = rng.choice(CLOSERS).format(**fields)
    return " ".join(part for part in (opener, experience, closer) if part)


def compose_adoption_note(rng, *, sites) -> str:
    return rng.choice(ADOPTION_NOTES).format(
        site=rng.choice(sites), when_note=rng.choice(ADOPTION_MONTHS)
    )
