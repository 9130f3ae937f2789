"""Demo knowledge: a few hundred stories, practices, lessons, questions and
resources across whatever communities exist, each about its community's own
practice (demo/practices.py), with replies (demo/replies.py), accepted
answers, helpful marks and adoptions.

Every write goes through knowledge.services (item_create, reply_create,
answer_accept, helpful_set, adoption_record), so counters, rendered HTML,
tags, search vectors, welcome steps and notifications are what real use
makes them; then the dates are moved back (demo/backdating.py).
Deterministic (random.Random(42)) and idempotent: an item is identified by
(community, title), so a second run adds nothing.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from communities.access import can_view_content
from communities.models import Community, Membership
from demo.backdating import backdate, notifications_at
from demo.practices import DOMAINS, SITES, domain_items, domain_of
from demo.replies import compose_adoption_note, compose_reply
from knowledge.models import Adoption, HelpfulMark, Item, ItemKind, ItemTag, Reply
from knowledge.services import (
    adoption_record,
    answer_accept,
    helpful_set,
    item_create,
    reply_create,
)
from knowledge.similarity import similarity_refresh_many
from knowledge.watching import watch_fanout_many
from members.models import User

H = ItemKind
TOTAL_ITEMS = 320
# No contribution in this many days makes a member peripheral on the dashboards.
QUIET_DAYS = 91
FIRST_POST_WAIT = timedelta(days=8)
ADOPTIONS = 25


@dataclass
class _Seeded:
    """One item written in this run, with what its replies talk about."""

    item: Item
    people: "_People"
    domain: str
    subject: str


def seed(stdout):
    rng = random.Random(42)  # noqa: S311 - demo data, not security
    now = timezone.now()
    communities = list(Community.objects.order_by("pk"))
    members, silent = _active_members([c.pk for c in communities], now)
    communities = [c for c in communities if members.get(c.pk)]
    if not communities:
        stdout.write("Knowledge: no communities with active members; nothing seeded.")
        return
    users = User.objects.in_bulk({u for joined in members.values() for u in joined})
    seeded = _items(rng, communities, members, silent, users, now)
    if not seeded:
        stdout.write("Knowledge: demo items already present.")
        return
    replies = _replies_and_answers(rng, seeded, users, now)
    marks = _helpful_marks(rng, seeded, users, now)
    adoptions = _adoptions(rng, seeded, communities, members, users, now)
    _activity_dates([s.item.pk for s in seeded], communities)
    # Each item's similarity job runs after this step commits; computed here
    # in one batch (one embedding pass, every signature there before any
    # item is ranked, the candidates read a few dozen items to a statement),
    # those jobs find their rows current and do nothing.
    similarity_refresh_many(item_ids=[s.item.pk for s in seeded])
    # Likewise each new item's and reply's watch fan-out, in the order of
    # their jobs (items were all posted before any reply).
    item_ids = [s.item.pk for s in seeded]
    watch_fanout_many(
        pairs=[(pk, None) for pk in item_ids]
        + list(
            Reply.objects.filter(item_id__in=item_ids)
            .order_by("pk")
            .values_list("item_id", "pk")
        )
    )
    stdout.write(
        f"Knowledge: {len(seeded)} items, {replies} replies, {marks} helpful "
        f"marks, {adoptions} adoptions seeded."
    )


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


def _items(rng, communities, members, silent, users, now) -> list[_Seeded]:
    existing = set(Item.objects.values_list("community_id", "title"))
    per_community = max(8, TOTAL_ITEMS // len(communities))
    seeded = []
    for index, community in enumerate(communities):
        people = _People.of(
            members[community.pk],
            now,
            silent={u for cid, u in silent if cid == community.pk},
        )
        domain = domain_of(community, index)
        tags = DOMAINS[domain][0]
        entries = domain_items(domain)[:per_community]
        for (kind, title, body, subject), author in zip(
            entries, _authors(rng, entries, people), strict=True
        ):
            if (community.pk, title) in existing:
                continue
            existing.add((community.pk, title))
            at = _between(rng, *people.post_window(author, now))
            item = item_create(
                author=users[author],
                community=community,
                kind=kind,
                title=title,
                body=body,
                tags=tags[: rng.randint(1, len(tags))],
            )
            # Backdating: the item was posted at `at`; its tag rows copy that
            # date (knowledge.models.ItemTag) so tag pages sort it there.
            backdate(item, created_at=at, last_activity_at=at)
            ItemTag.objects.filter(content_object=item).update(item_created_at=at)
            seeded.append(_Seeded(item, people, domain, subject))
    return seeded


def _replies_and_answers(rng, seeded, users, now) -> int:
    """Replies in time order after the item; the asker accepts the first
    answer to most questions. The waiting newcomer's question gets none."""
    total = 0
    for entry in seeded:
        item, people = entry.item, entry.people
        others = people.replying(item.author_id)
        if not others or item.author_id == people.waiting:
            continue
        count = (
            rng.choice([0, 1, 1, 2, 3, 4])
            if item.is_question
            else rng.choice([0, 0, 1, 2])
        )
        times = []
        for k in range(count):
            author = rng.choice(others)
            at = item.created_at + timedelta(hours=rng.randint(1, 96) * (k + 1))
            times.append((max(min(at, now), people.joined[author]), author))
        first = None
        for at, author in sorted(times):
            body = compose_reply(
                rng, kind=item.kind, domain=entry.domain, subject=entry.subject,
                sites=SITES,
            )  # fmt: skip
            with notifications_at(at):
                reply = reply_create(item=item, author=users[author], body=body)
            backdate(reply, created_at=at)  # Backdating: replied at `at`.
            first = first or reply
            total += 1
        if item.is_question and first is not None and rng.random() < 0.6:
            with notifications_at(min(first.created_at + timedelta(hours=6), now)):
                answer_accept(item=item, reply=first, acting_user=item.author)
    return total


def _helpful_marks(rng, seeded, users, now) -> int:
    total = 0
    for entry in seeded:
        item, joined = entry.item, entry.people.joined
        others = [u for u in joined if u != item.author_id]
        for user_id in rng.sample(
            others, k=min(len(others), rng.choice([0, 1, 2, 3, 5]))
        ):
            at = max(item.created_at, joined[user_id]) + timedelta(
                hours=rng.randint(1, 72)
            )
            at = min(at, now)
            with notifications_at(at):
                helpful_set(item=item, acting_user=users[user_id], helpful=True)
            # Backdating: marked at `at`.
            HelpfulMark.objects.filter(item=item, user_id=user_id).update(created_at=at)
            total += 1
    return total


def _adoptions(rng, seeded, communities, members, users, now) -> int:
    """Other communities record that they adopted some practices. Only
    someone who can read the practice records it (a private community's
    practice travels through its own members)."""
    if len(communities) < 2:
        return 0
    practices = [s.item for s in seeded if s.item.kind == H.PRACTICE]
    total = 0
    for item in rng.sample(practices, k=min(len(practices), ADOPTIONS)):
        adopter = rng.choice([c for c in communities if c.pk != item.community_id])
        recorders = [
            users[u]
            for u in members[adopter.pk]
            if can_view_content(users[u], item.community)
        ]
        if (
            not recorders
            or Adoption.objects.filter(item=item, community=adopter).exists()
        ):
            continue
        at = min(item.created_at + timedelta(days=rng.randint(7, 60)), now)
        with notifications_at(at):
            adoption = adoption_record(
                item=item,
                community=adopter,
                acting_user=rng.choice(recorders),
                note=compose_adoption_note(rng, sites=SITES),
            )
        backdate(adoption, created_at=at)  # Backdating: adopted at `at`.
        # Its 30- and 90-day check-ins fall due counting from that day.
        for checkin in adoption.checkins.all():
            backdate(checkin, due_on=at.date() + timedelta(days=checkin.day))
        total += 1
    return total


def _activity_dates(item_ids, communities) -> None:
    """Backdating, last step: the services stamped first replies and activity
    with the time of seeding; move them to the dates of the replies and
    adoptions as backdated above. Counts are the services' own: untouched."""
    visible = Reply.objects.filter(item=OuterRef("pk"), hidden_at__isnull=True)
    adopted = Adoption.objects.filter(item=OuterRef("pk"))
    Item.objects.filter(pk__in=item_ids).update(
        first_reply_at=Subquery(
            visible.values("item").annotate(t=Min("created_at")).values("t")[:1]
        ),
        last_activity_at=Greatest(
            "created_at",
            Coalesce(
                Subquery(
                    visible.values("item").annotate(t=Max("created_at")).values("t")[:1]
                ),
                "created_at",
            ),
            Coalesce(
                Subquery(
                    adopted.values("item").annotate(t=Max("created_at")).values("t")[:1]
                ),
                "created_at",
            ),
        ),
    )
    latest = Item.objects.filter(community=OuterRef("pk")).values("community")
    Community.objects.filter(pk__in=[c.pk for c in communities]).update(
        last_activity_at=Greatest(
            "created_at",
            Coalesce(
                Subquery(latest.annotate(t=Max("last_activity_at")).values("t")[:1]),
                "created_at",
            ),
        )
    )
