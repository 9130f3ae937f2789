"""Explainable mentor suggestions for mentoring requests.

For each request we rank mentors with a score from 0 to 100 and the reasons
behind it, in words a broker can repeat to both people. All weights live in
WEIGHTS below; change them there and nowhere else.

How it stays fast with 20,000 members:
1. A few narrow queries fetch, for the wanted tags of the whole page at
   once, the available offers with room left (with what scoring needs of
   their people), which of them offer the tags, which mentors list them as
   expertise, and the knowledge mentors have shown on them (helpful marks,
   accepted answers), precomputed per mentor, tag and community by a job
   (mentoring.strengths). They are read as plain rows: no model instances
   and no per-value conversions for thousands of rows. The pool is chosen
   from these in Python: best topic overlap first, capped (MAX_CANDIDATES
   per request).
2. Scoring happens in Python on plain tuples, only for the pool's offers
   that touch a request's topics (found per tag, not by scanning the pool).
3. Only the suggestions shown are loaded as models, with their people, in
   one query, and only they get their reasons written.
A page of requests is scored together, so the number of queries does not
grow with the number of requests or candidates.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connections
from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from communities.access import visible_communities_q
from communities.models import Membership
from config import compiled_queries
from members.models import ExpertiseTag, LeadershipRole
from members.versioned_cache import bump
from members.wording import in_sentence
from mentoring.models import (
    FORMAT_FIELDS,
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

# The cache version (members.versioned_cache) of what mentoring itself holds
# that suggestions are computed from: requests, offers, pairs and the shown
# knowledge (mentoring.console caches the broker console under it).
MATCHING_VERSION = "mentoring-matching"

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
_NOTHING_SHOWN = {}
_NO_ROW = (None, None, 0, 0)


def matching_changed() -> None:
    """A request, an offer, a pair or the shown knowledge changed: what was
    cached from them is not read again (members.versioned_cache.bump). Every
    mentoring service that changes one calls this."""
    bump(MATCHING_VERSION)


def membership_changed(*, membership) -> None:
    """A membership started or ended (communities.listeners): the bridging
    factor and its reasons read who is in which community."""
    matching_changed()


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
    number of queries. Pass requests with `mentee` already selected (and
    their topics prefetched, which saves a query).

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
    shown = _shown_knowledge(tag_ids, seen=seen)
    pool = _candidate_offers(
        room, pool_size, topics=offer_topics, expertise=expertise, shown=shown.keys()
    )
    user_ids = {offer.user_id for offer in pool}
    facts = _Facts(
        offer_topics=offer_topics,
        expertise=expertise,
        shown=shown,
        communities=_communities(user_ids | {r.mentee_id for r in requests}, seen=seen),
        blocked=_blocked(requests),
    )
    candidates = _Candidates(pool, facts)
    ranked = {
        r.pk: _rank(r, wanted[r.pk], candidates, facts, limit) if wanted[r.pk] else []
        for r in requests
    }
    # Only the offers shown are loaded as models, with their people.
    loaded = MentorOffer.objects.select_related("user").in_bulk(
        {offer.pk for best in ranked.values() for _score, offer in best}
    )
    for pk, offer in loaded.items():
        offer.load = room[pk].load
    return {
        r.pk: [
            Suggestion(
                loaded[offer.pk].user,
                score,
                _reasons(r, wanted[r.pk], loaded[offer.pk], facts),
            )
            for score, offer in ranked[r.pk]
        ]
        for r in requests
    }


class _Offer(NamedTuple):
    """An available offer with room, as scoring needs it: a page scores
    thousands of (request, offer) pairs, so no model instances."""

    pk: int
    user_id: int
    load: int
    capacity: int
    formats: frozenset
    role: str
    sort_name: str  # the display name, lower-cased


@dataclass
class _Facts:
    offer_topics: dict  # offer id -> {tag id}
    expertise: dict  # user id -> {tag id}
    # user id -> {tag id: (tag, user, helpful marks received, accepted answers
    # written)}, where either figure is not 0
    shown: dict
    communities: dict  # user id -> {community id: name}
    blocked: set  # ("pair", mentee, mentor) live, ("declined", request, mentor)
    knowers: dict = None  # tag id -> {user ids with expertise or knowledge on it}

    def __post_init__(self):
        self.knowers = defaultdict(set)
        for user_id, tags in self.shown.items():
            for tag_id in tags:
                self.knowers[tag_id].add(user_id)
        for user_id, tags in self.expertise.items():
            for tag_id in tags:
                self.knowers[tag_id].add(user_id)


class _Candidates:
    """The page's pool, prepared once for every request: per offer what
    scoring reads (rows), and per tag the offers with anything to do with it
    (offered, listed as expertise, or knowledge shown)."""

    def __init__(self, pool: list[_Offer], facts: _Facts):
        w = WEIGHTS
        self.rows = {}
        for offer in pool:
            uid = offer.user_id
            self.rows[offer.pk] = (
                offer,
                uid,
                facts.offer_topics.get(offer.pk, _NONE_SET),
                facts.expertise.get(uid, _NONE_SET),
                facts.shown.get(uid, _NOTHING_SHOWN),
                facts.communities.get(uid, {}).keys(),
                offer.role,
                # The capacity term, as _rank adds it.
                w.capacity * (offer.capacity - offer.load) / offer.capacity,
                offer.formats,
            )
        self.by_tag = defaultdict(set)
        by_user = {offer.user_id: offer.pk for offer in pool}
        for offer in pool:
            for tag_id in facts.offer_topics.get(offer.pk, ()):
                self.by_tag[tag_id].add(offer.pk)
        for tag_id, users in facts.knowers.items():
            for uid in users:
                if uid in by_user:
                    self.by_tag[tag_id].add(by_user[uid])


def _rank(req, wanted: dict, candidates: _Candidates, facts: _Facts, limit: int):
    """The best `limit` (score, offer) for `req`: every offer that touches a
    wanted topic is scored (most of the pool is about other requests'
    topics), in the order of the factors in WEIGHTS so that the sums, and
    so the rounded scores, are the same as _reasons describes."""
    w = WEIGHTS
    saturation, worth = w.knowledge_saturation, w.accepted_answer_worth
    wanted_ids = tuple(wanted)
    n_wanted = len(wanted)
    mentee_id, fmt = req.mentee_id, req.format
    theirs = facts.communities.get(mentee_id, {}).keys()
    blocked = {mentee_id} | {
        mentor_id
        for kind, key, mentor_id in facts.blocked
        if (kind, key) in (("pair", mentee_id), ("declined", req.pk))
    }
    mentee_role = req.mentee.leadership_role
    role_share = {}  # mentor's role -> share of the role weight
    pks = set().union(*(candidates.by_tag.get(tag_id, ()) for tag_id in wanted_ids))
    scored = []
    for pk in pks:
        offer, uid, offered, known, shown, mine, role, room, formats = candidates.rows[
            pk
        ]
        if uid in blocked:
            continue
        covered = total = 0
        for tag_id in wanted_ids:
            if tag_id in offered or tag_id in known:
                covered += 1
            if tag_id in shown:
                row = shown[tag_id]
                total += row[2] + worth * row[3]
        if not covered and not total:
            continue
        score = 0.0
        if covered:
            score += w.topics * covered / n_wanted
        if total:
            score += w.knowledge * min(1.0, total / saturation)
        share = role_share.get(role)
        if share is None:
            share = role_share[role] = role_fit(role, mentee_role, fmt)[0]
        if share:
            score += w.role * share
        if not mine <= theirs:
            score += w.bridging * (0.5 if not mine.isdisjoint(theirs) else 1.0)
        score += room
        if fmt in formats:
            score += w.format
        rounded = round(score)  # no term is negative
        # Best first, then by name: one tuple per pair, sorted as it stands.
        scored.append(
            (-100 if rounded > 100 else -rounded, offer.sort_name, uid, offer)
        )
    scored.sort()
    return [(-score, offer) for score, _name, _uid, offer in scored[:limit]]


def _reasons(req, wanted: dict, offer, facts: _Facts) -> list[str]:
    """Why `offer` (a MentorOffer with its user and load) suits `req`, one
    reason per factor that adds to its score in _rank."""
    w = WEIGHTS
    mentor = offer.user
    uid = offer.user_id
    reasons = []

    offered = facts.offer_topics.get(offer.id, _NONE_SET) & wanted.keys()
    known = facts.expertise.get(uid, _NONE_SET) & wanted.keys()
    covered = offered | known
    shown = facts.shown.get(uid, _NOTHING_SHOWN)
    points = {}
    for tag_id in wanted:
        _tag, _user, marks, answers = shown.get(tag_id, _NO_ROW)
        points[tag_id] = marks + w.accepted_answer_worth * answers
    if covered:
        names = ", ".join(sorted(wanted[t] for t in covered))
        reasons.append(
            _("covers %(n)s of %(total)s wanted topics: %(names)s")
            % {"n": len(covered), "total": len(wanted), "names": names}
            if len(wanted) > 1
            else _("offers help with %(names)s") % {"names": names}
        )
    if sum(points.values()):
        _knowledge_reasons(reasons, points, wanted, shown)
    share, why = role_fit(
        mentor.leadership_role, req.mentee.leadership_role, req.format
    )
    if share:
        reasons.append(str(why))
    mine = facts.communities.get(uid, {})
    theirs = facts.communities.get(req.mentee_id, {})
    if any(cid not in theirs for cid in mine):
        _bridge_reason(reasons, req, mine, theirs)
    free = offer.capacity - offer.load
    reasons.append(_("has room for %(n)s") % {"n": _more_mentees(free)})
    if offer.offers(req.format):
        reasons.append(
            _("offers %(format)s") % {"format": in_sentence(Format(req.format).label)}
        )
    return reasons


def _knowledge_reasons(reasons, points, wanted, shown) -> None:
    for tag_id in sorted(points, key=lambda t: (-points[t], wanted[t]))[:2]:
        if not points[tag_id]:
            break
        parts = []
        _tag, _user, helpful, accepted = shown.get(tag_id, _NO_ROW)
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


def _plain_rows(queryset) -> list[tuple]:
    """A values_list's rows as the database driver returns them (ints,
    text, booleans): these reads return thousands of rows of plain values,
    and Django's converter calls per value cost more than the query."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _wanted_tags(requests) -> dict:
    wanted = {r.pk: {} for r in requests}
    if all("topics" in getattr(r, "_prefetched_objects_cache", ()) for r in requests):
        # Prefetched with the page (mentoring.selectors.open_requests).
        for r in requests:
            wanted[r.pk] = {tag.pk: tag.name for tag in r.topics.all()}
        return wanted
    rows = RequestTopic.objects.filter(content_object_id__in=wanted).values_list(
        "content_object_id", "tag_id", "tag__name"
    )
    for request_id, tag_id, name in rows:
        wanted[request_id][tag_id] = name
    return wanted


def _offers_with_room() -> dict:
    """{offer id: _Offer} of the available offers with room left. One query
    over the offers and their people: which of them fit is decided from the
    small per-topic facts below, in Python."""
    load = (
        Pair.objects.filter(mentor_id=OuterRef("user_id"), status__in=Pair.LIVE)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Full offers are left out here, not in SQL: filtering on the load
    # would count each offer's pairs twice.
    rows = (
        MentorOffer.objects.filter(available=True, user__is_active=True)
        .annotate(load=Coalesce(Subquery(load), 0))
        .values_list(
            "pk",
            "user_id",
            "load",
            "capacity",
            *FORMAT_FIELDS.values(),
            "user__leadership_role",
            "user__display_name",
        )
    )
    offers = {}
    for pk, user_id, load, capacity, *offered, role, name in _plain_rows(rows):
        if load >= capacity:
            continue
        formats = frozenset(
            fmt for fmt, on in zip(FORMAT_FIELDS, offered, strict=True) if on
        )
        offers[pk] = _Offer(pk, user_id, load, capacity, formats, role, name.lower())
    return offers


def _candidate_offers(room, limit: int, *, topics, expertise, shown) -> list:
    """The pool: offers with room and something to do with the tags (a
    wanted topic offered or listed as expertise, or knowledge shown on one),
    best topic overlap first, then the least loaded."""

    ranked = []
    for offer in room.values():
        overlap = len(topics.get(offer.pk, ())) + len(expertise.get(offer.user_id, ()))
        if overlap or offer.user_id in shown:
            ranked.append((-overlap, offer.load, offer.pk))
    ranked.sort()
    return [room[pk] for _overlap, _load, pk in ranked[:limit]]


def _offer_topics(tag_ids) -> dict:
    """Offer id -> the wanted tags it offers."""
    found = defaultdict(set)
    rows = OfferTopic.objects.filter(
        tag_id__in=tag_ids, content_object__available=True
    ).values_list("content_object_id", "tag_id")
    for offer_id, tag_id in _plain_rows(rows):
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
    for user_id, tag_id in _plain_rows(rows):
        found[user_id].add(tag_id)
    return found


def _shown_knowledge(tag_ids, *, seen: Q) -> dict:
    """{mentor: {tag: row}}, the rows as read, (tag, mentor, helpful marks
    received, accepted answers written), with either figure not 0, in the
    communities the viewer may see, from the precomputed strengths
    (mentoring.strengths): read live, this joined every item carrying a
    popular tag (3-4 s for a page at organisation scale)."""
    rows = (
        # People whose offer is not available are in the table too (it is
        # refreshed every few minutes); they never reach the pool.
        # Grouped in the order of its covering index: one index-only scan,
        # summed as it streams by.
        TopicStrength.objects.filter(seen, tag_id__in=tag_ids)
        .values("tag_id", "user_id")
        .annotate(helpful=Sum("helpful"), accepted=Sum("accepted"))
        .values_list("tag_id", "user_id", "helpful", "accepted")
    )
    shown = defaultdict(dict)
    for row in _plain_rows(rows):
        if row[2] or row[3]:
            shown[row[1]][row[0]] = row
    return shown


def _communities(user_ids, *, seen: Q) -> dict:
    """Each person's communities, among those the viewer may see."""
    found = defaultdict(dict)
    rows = Membership.objects.filter(
        seen,
        # A pool's thousand people as one parameter, not a thousand.
        compiled_queries.any_of("user_id", compiled_queries.id_array(user_ids)),
        status=Membership.Status.ACTIVE,
        community__archived_at__isnull=True,
    ).values_list("user_id", "community_id", "community__name")
    for user_id, community_id, name in _plain_rows(rows):
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
