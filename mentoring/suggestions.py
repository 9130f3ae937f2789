"""Explainable mentor suggestions for mentoring requests.

For each request we rank mentors with a score from 0 to 100 and the reasons
behind it, in words a broker can repeat to both people. All weights live in
WEIGHTS below; change them there and nowhere else.

How it stays fast with 20,000 members:
1. A few narrow queries fetch, for the wanted tags of the whole page at
   once, the available offers with room left, which of them offer the tags,
   which mentors list them as expertise, and the knowledge mentors have
   shown on them (helpful marks, accepted answers), precomputed per mentor,
   tag and community by a job (mentoring.strengths). The pool is chosen from
   these in Python: best topic overlap first, capped (MAX_CANDIDATES per
   request), and one more query loads those offers and their people.
2. Scoring happens in Python, only for the offers that touch a request's
   topics; reasons are written only for the suggestions shown.
A page of requests is scored together, so the number of queries does not
grow with the number of requests or candidates.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities.access import visible_communities_q
from communities.models import Membership
from members.models import ExpertiseTag, LeadershipRole
from members.wording import in_sentence
from mentoring.models import (
    Format,
    MentorOffer,
    OfferTopic,
    Pair,
    RequestTopic,
    TopicStrength,
)


@dataclass(frozen=True)
class Weights:
    """Points each factor can add; the six factor weights sum to 100.

    topics     share of the wanted topics the mentor offers or lists as expertise
    knowledge  demonstrated knowledge on the wanted topics: helpful marks on
               their items plus accepted answers (each worth
               `accepted_answer_worth` marks), full points at
               `knowledge_saturation`
    role       complementary leadership roles (see ROLE_FIT), e.g. an
               executive as thinking partner for a line leader
    bridging   the mentor is active in communities the mentee is not in, so
               practice spreads between communities: full points when they
               share none, half when they share some
    capacity   share of the mentor's capacity still free (full mentors are
               never suggested)
    format     the mentor offers the format the mentee asked for
    """

    topics: float = 35
    knowledge: float = 25
    role: float = 15
    bridging: float = 10
    capacity: float = 10
    format: float = 5
    accepted_answer_worth: int = 3
    knowledge_saturation: int = 20


WEIGHTS = Weights()

# Candidate pool per request scored in Python (step 1 above).
MAX_CANDIDATES = 200
# Hard cap on the pool for a whole page of requests.
MAX_POOL = 1000

_EXEC = LeadershipRole.EXECUTIVE
_LINE = LeadershipRole.LINE_LEADER
_NET = LeadershipRole.NETWORKER
_NONE = LeadershipRole.NONE

# (mentor's role, mentee's role) -> (share of the role weight, reason).
# Senge: executives are thinking partners for line leaders; networkers carry
# practice across the organisation; line leaders put ideas into practice.
ROLE_FIT = {
    (_EXEC, _LINE): (
        1.0,
        gettext_lazy("executive as thinking partner for a line leader"),
    ),
    (_EXEC, _NET): (
        0.6,
        gettext_lazy("executive who can back an internal networker's work"),
    ),
    (_EXEC, _NONE): (
        0.3,
        gettext_lazy("executive leader with the wider view"),
    ),
    (_NET, _LINE): (
        0.7,
        gettext_lazy("internal networker: spreads what works across communities"),
    ),
    (_NET, _NONE): (
        0.7,
        gettext_lazy("internal networker: connects people across communities"),
    ),
    (_NET, _EXEC): (
        0.5,
        gettext_lazy("internal networker: knows what happens on the front line"),
    ),
    (_LINE, _NONE): (0.5, gettext_lazy("line leader who puts new ideas into practice")),
    (_LINE, _NET): (
        0.4,
        gettext_lazy("line leader who can try a networker's ideas in practice"),
    ),
}
# Peer coaching works best between equals.
PEER_FIT = 0.8
_NONE_SET = frozenset()


class Suggestion(NamedTuple):
    mentor: object  # members.User, with .mentor_offer loaded
    score: int
    reasons: list[str]


def role_fit(mentor_role: str, mentee_role: str, fmt: str) -> tuple[float, str]:
    if fmt == Format.PEER_COACHING and mentor_role == mentee_role:
        if mentor_role == _NONE:
            return PEER_FIT, _("a peer for peer coaching")
        label = in_sentence(LeadershipRole(mentor_role).label)
        return PEER_FIT, _("a fellow %(role)s for peer coaching") % {"role": label}
    return ROLE_FIT.get((mentor_role, mentee_role), (0.0, ""))


def _more_mentees(n: int) -> str:
    return ngettext("%(n)s more mentee", "%(n)s more mentees", n) % {"n": n}


def _helpful_marks(n: int) -> str:
    return ngettext("%(n)s helpful mark", "%(n)s helpful marks", n) % {"n": n}


def _accepted_answers(n: int) -> str:
    return ngettext("%(n)s accepted answer", "%(n)s accepted answers", n) % {"n": n}


def mentor_suggestions_for(request, *, viewer, limit: int = 10) -> list[Suggestion]:
    """Ranked mentors for one MentoringRequest: [(mentor, score, reasons)]."""
    return suggestions_for_requests([request], viewer=viewer, limit=limit).get(
        request.pk, []
    )


def suggestions_for_requests(requests, *, viewer, limit: int = 10) -> dict:
    """{request id: ranked suggestions} for a page of requests, in a fixed
    number of queries. Pass requests with `mentee` already selected.

    Scores and reasons use only what `viewer` (the broker) may see: marks and
    accepted answers inside a private community the broker is not in count
    for nothing, and such a community is never named."""
    requests = list(requests)
    if not requests:
        return {}
    wanted = _wanted_tags(requests)
    tag_ids = {tag_id for tags in wanted.values() for tag_id in tags}
    if not tag_ids:
        return {r.pk: [] for r in requests}

    pool_size = min(MAX_CANDIDATES * len(requests), MAX_POOL)
    seen = visible_communities_q(viewer, prefix="community__")
    room = _offers_with_room()
    offer_topics = _offer_topics(tag_ids)
    expertise = _expertise(tag_ids)
    helpful, accepted = _shown_knowledge(tag_ids, seen=seen)
    offers = _candidate_offers(
        room, pool_size, topics=offer_topics, expertise=expertise,
        shown={user_id for user_id, _tag in helpful.keys() | accepted.keys()},
    )  # fmt: skip
    user_ids = {offer.user_id for offer in offers}
    data = _Facts(
        offer_topics=offer_topics,
        expertise=expertise,
        helpful=helpful,
        accepted=accepted,
        communities=_communities(user_ids | {r.mentee_id for r in requests}, seen=seen),
        blocked=_blocked(requests),
    )
    return {
        r.pk: _rank(r, wanted[r.pk], offers, data, limit) if wanted[r.pk] else []
        for r in requests
    }


@dataclass
class _Facts:
    offer_topics: dict  # offer id -> {tag id}
    expertise: dict  # user id -> {tag id}
    helpful: dict  # (user id, tag id) -> helpful marks received
    accepted: dict  # (user id, tag id) -> accepted answers written
    communities: dict  # user id -> {community id: name}
    blocked: set  # ("pair", mentee, mentor) live, ("declined", request, mentor)
    knowers: dict = None  # tag id -> {user ids with expertise or knowledge on it}

    def __post_init__(self):
        self.knowers = defaultdict(set)
        for user_id, tag_id in self.helpful.keys() | self.accepted.keys():
            self.knowers[tag_id].add(user_id)
        for user_id, tags in self.expertise.items():
            for tag_id in tags:
                self.knowers[tag_id].add(user_id)


def _rank(req, wanted: dict, offers, facts: _Facts, limit: int) -> list[Suggestion]:
    """The best `limit` suggestions. Every candidate is scored; only those
    shown get their reasons written (a page scores thousands of pairs)."""
    scored = []
    for offer in _relevant(offers, wanted, facts):
        mentor_id = offer.user_id
        if (
            mentor_id == req.mentee_id
            or ("pair", req.mentee_id, mentor_id) in facts.blocked
            or ("declined", req.pk, mentor_id) in facts.blocked
        ):
            continue
        score = _score(req, wanted, offer, facts)
        if score is not None:
            scored.append((score, offer))
    scored.sort(key=lambda s: (-s[0], s[1].user.display_name.lower(), s[1].user.pk))
    return [
        Suggestion(offer.user, score, _score(req, wanted, offer, facts, reasons=[]))
        for score, offer in scored[:limit]
    ]


def _relevant(offers, wanted: dict, facts: _Facts):
    """The offers with anything to do with the wanted topics, in pool order
    (most are about other requests' topics: skip them before scoring)."""
    tags = wanted.keys()
    users = set().union(*(facts.knowers.get(tag_id, ()) for tag_id in tags))
    return [
        offer
        for offer in offers
        if offer.user_id in users or facts.offer_topics.get(offer.id, _NONE_SET) & tags
    ]


def _score(req, wanted: dict, offer, facts: _Facts, reasons=None):
    """The score (0-100) of `offer` for `req`, None when the mentor has
    nothing to do with the wanted topics; given a `reasons` list, fills it
    with why and returns it instead."""
    w = WEIGHTS
    mentor = offer.user
    uid = offer.user_id  # cheaper than mentor.pk: this runs thousands of times
    score = 0.0
    explain = reasons is not None

    offered = facts.offer_topics.get(offer.id, _NONE_SET) & wanted.keys()
    known = facts.expertise.get(uid, _NONE_SET) & wanted.keys()
    covered = offered | known
    points = {
        tag_id: facts.helpful.get((uid, tag_id), 0)
        + w.accepted_answer_worth * facts.accepted.get((uid, tag_id), 0)
        for tag_id in wanted
    }
    if not covered and not any(points.values()):
        return None  # nothing to do with what this mentee wants to learn

    if covered:
        score += w.topics * len(covered) / len(wanted)
        if explain:
            names = ", ".join(sorted(wanted[t] for t in covered))
            reasons.append(
                _("covers %(n)s of %(total)s wanted topics: %(names)s")
                % {"n": len(covered), "total": len(wanted), "names": names}
                if len(wanted) > 1
                else _("offers help with %(names)s") % {"names": names}
            )

    total = sum(points.values())
    if total:
        score += w.knowledge * min(1.0, total / w.knowledge_saturation)
        if explain:
            _knowledge_reasons(reasons, points, wanted, mentor, facts)

    share, why = role_fit(
        mentor.leadership_role, req.mentee.leadership_role, req.format
    )
    if share:
        score += w.role * share
        if explain:
            reasons.append(str(why))

    mine = facts.communities.get(uid, {})
    theirs = facts.communities.get(req.mentee_id, {})
    if any(cid not in theirs for cid in mine):
        shared = mine.keys() & theirs.keys()
        score += w.bridging * (0.5 if shared else 1.0)
        if explain:
            _bridge_reason(reasons, req, mine, theirs)

    free = offer.capacity - offer.load
    score += w.capacity * free / offer.capacity
    if explain:
        reasons.append(_("has room for %(n)s") % {"n": _more_mentees(free)})

    if offer.offers(req.format):
        score += w.format
        if explain:
            reasons.append(
                _("offers %(format)s")
                % {"format": in_sentence(Format(req.format).label)}
            )

    return reasons if explain else max(0, min(100, round(score)))


def _knowledge_reasons(reasons, points, wanted, mentor, facts) -> None:
    for tag_id in sorted(points, key=lambda t: (-points[t], wanted[t]))[:2]:
        if not points[tag_id]:
            break
        parts = []
        helpful = facts.helpful.get((mentor.pk, tag_id), 0)
        accepted = facts.accepted.get((mentor.pk, tag_id), 0)
        if helpful:
            parts.append(_helpful_marks(helpful))
        if accepted:
            parts.append(_accepted_answers(accepted))
        reasons.append(
            _("knows %(tag)s: %(facts)s")
            % {"tag": wanted[tag_id], "facts": ", ".join(parts)}
        )


def _bridge_reason(reasons, req, mine, theirs) -> None:
    bridges = sorted(
        (name for cid, name in mine.items() if cid not in theirs), key=str.lower
    )
    anchor = theirs.get(req.community_id) or (
        min(theirs.values(), key=str.lower) if theirs else None
    )
    if anchor:
        reasons.append(
            _("from another community: bridges %(one)s and %(other)s")
            % {"one": bridges[0], "other": anchor}
        )
    else:
        reasons.append(
            _("from another community: can open the way into %(name)s")
            % {"name": bridges[0]}
        )


# --- The fixed set of queries ------------------------------------------------


def _wanted_tags(requests) -> dict:
    wanted = {r.pk: {} for r in requests}
    rows = RequestTopic.objects.filter(content_object_id__in=wanted).values_list(
        "content_object_id", "tag_id", "tag__name"
    )
    for request_id, tag_id, name in rows:
        wanted[request_id][tag_id] = name
    return wanted


def _offers_with_room() -> dict:
    """{offer id: (user id, load)} of the available offers with room left.
    One query over the offers alone: which of them fit is decided from the
    small per-topic facts below, in Python."""
    load = (
        Pair.objects.filter(mentor_id=OuterRef("user_id"), status__in=Pair.LIVE)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        MentorOffer.objects.filter(available=True, user__is_active=True)
        .annotate(load=Coalesce(Subquery(load), 0))
        .filter(load__lt=F("capacity"))
        .values_list("pk", "user_id", "load")
    )
    return {pk: (user_id, load) for pk, user_id, load in rows}


def _candidate_offers(room, limit: int, *, topics, expertise, shown) -> list:
    """The pool: offers with room and something to do with the tags (a
    wanted topic offered or listed as expertise, or knowledge shown on one),
    best topic overlap first, then the least loaded. One query, for the
    chosen offers and their people."""

    def overlap(pk, user_id):
        return len(topics.get(pk, ())) + len(expertise.get(user_id, ()))

    ranked = sorted(
        (-overlap(pk, user_id), load, pk)
        for pk, (user_id, load) in room.items()
        if overlap(pk, user_id) or user_id in shown
    )
    chosen = [pk for _overlap, _load, pk in ranked[:limit]]
    found = MentorOffer.objects.select_related("user").in_bulk(chosen)
    for pk in chosen:
        found[pk].load = room[pk][1]
    return [found[pk] for pk in chosen]


def _offer_topics(tag_ids) -> dict:
    """Offer id -> the wanted tags it offers."""
    found = defaultdict(set)
    rows = OfferTopic.objects.filter(
        tag_id__in=tag_ids, content_object__available=True
    ).values_list("content_object_id", "tag_id")
    for offer_id, tag_id in rows:
        found[offer_id].add(tag_id)
    return found


def _expertise(tag_ids) -> dict:
    """Mentor's user id -> the wanted tags they list as expertise."""
    found = defaultdict(set)
    rows = ExpertiseTag.objects.filter(
        tag_id__in=tag_ids,
        content_object_id__in=MentorOffer.objects.filter(available=True).values(
            "user_id"
        ),
    ).values_list("content_object_id", "tag_id")
    for user_id, tag_id in rows:
        found[user_id].add(tag_id)
    return found


def _shown_knowledge(tag_ids, *, seen: Q) -> tuple[dict, dict]:
    """Helpful marks received and accepted answers written per (mentor, tag)
    in the communities the viewer may see, from the precomputed strengths
    (mentoring.strengths): read live, this joined every item carrying a
    popular tag (3-4 s for a page at organisation scale)."""
    rows = (
        TopicStrength.objects.filter(
            seen,
            tag_id__in=tag_ids,
            user_id__in=MentorOffer.objects.filter(available=True).values("user_id"),
        )
        .values("user_id", "tag_id")
        .annotate(helpful=Sum("helpful"), accepted=Sum("accepted"))
        .values_list("user_id", "tag_id", "helpful", "accepted")
    )
    helpful, accepted = {}, {}
    for user_id, tag_id, marks, answers in rows:
        if marks:
            helpful[user_id, tag_id] = marks
        if answers:
            accepted[user_id, tag_id] = answers
    return helpful, accepted


def _communities(user_ids, *, seen: Q) -> dict:
    """Each person's communities, among those the viewer may see."""
    found = defaultdict(dict)
    rows = Membership.objects.filter(
        seen,
        user_id__in=user_ids,
        status=Membership.Status.ACTIVE,
        community__archived_at__isnull=True,
    ).values_list("user_id", "community_id", "community__name")
    for user_id, community_id, name in rows:
        found[user_id][community_id] = name
    return found


def _blocked(requests) -> set:
    """Live pairs between each mentee and any mentor, and mentors who already
    declined one of these requests."""
    rows = Pair.objects.filter(
        Q(mentee_id__in={r.mentee_id for r in requests}, status__in=Pair.LIVE)
        | Q(request_id__in=[r.pk for r in requests], status=Pair.Status.DECLINED)
    ).values_list("status", "request_id", "mentee_id", "mentor_id")
    blocked = set()
    for status, request_id, mentee_id, mentor_id in rows:
        if status == Pair.Status.DECLINED:
            blocked.add(("declined", request_id, mentor_id))
        else:
            blocked.add(("pair", mentee_id, mentor_id))
    return blocked
