"""Demo follows: the demo people follow communities, tags and colleagues at
the levels real members would pick (through knowledge.watching.follow_set,
with the same permission checks as the follow form), and one mutes a noisy
community. Posting and replying already made authors watch their items.

The knowledge step's new items and replies were announced to their watchers
when it committed (or will be, by a worker): those notifications are dated
when the item or reply was written, and fan-outs not run yet are marked done,
so the demo's history is never announced as news. Idempotent."""

import re

from django.db.models import Exists, OuterRef

from communities.models import Community, Membership
from knowledge.models import Follow, FollowLevel, Item, Reply, WatchFanout
from knowledge.watching import access_target, follow_set
from members.models import User
from notifications.models import Notification

# Demo person (e-mail local part): tags and colleagues they follow.
FOLLOWS = {
    "maria.lopez": [
        ("tag", "shift-handover", FollowLevel.WATCHING),
        ("tag", "safety", FollowLevel.NEW_ITEMS),
        ("person", "fatima.zahra", FollowLevel.WATCHING),
    ],
    "jon.ito": [
        ("tag", "lean", FollowLevel.NEW_ITEMS),
        ("tag", "strategy", FollowLevel.NEW_ITEMS),
        ("person", "sam.okafor", FollowLevel.NEW_ITEMS),
    ],
    "sam.okafor": [
        ("tag", "systems-thinking", FollowLevel.WATCHING),
        ("tag", "facilitation", FollowLevel.NEW_ITEMS),
        ("person", "helen.moyo", FollowLevel.NEW_ITEMS),
    ],
    "oliver.brown": [
        ("tag", "lean", FollowLevel.WATCHING),
        ("tag", "shift-handover", FollowLevel.WATCHING),
        ("person", "maria.lopez", FollowLevel.WATCHING),
    ],
    "emma.stone": [
        ("tag", "escalations", FollowLevel.WATCHING),
        ("person", "raj.patel", FollowLevel.NEW_ITEMS),
    ],
    "lena.fischer": [("tag", "onboarding", FollowLevel.WATCHING)],
}
# Each demo person follows their communities: the first at "watching", the
# rest at "new items only"; people with this many or more mute the last.
MUTE_FROM = 4

_ITEM_URL = re.compile(r"/communities/[^/]+/(\d+)-")
_REPLY_ANCHOR = re.compile(r"#reply-(\d+)$")


def seed(stdout):
    people = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@practica.local")
    }
    made = 0
    for key, person in people.items():
        made += _community_follows(person)
        for kind, target_key, level in FOLLOWS.get(key, ()):
            if kind == "person":
                other = people.get(target_key)
                if other is None:
                    continue
                target_key = other.username
            target = access_target(person, kind, target_key)
            if not Follow.objects.filter(user=person, **{kind: target}).exists():
                made += follow_set(user=person, kind=kind, target=target, level=level)
    dated = _date_announcements()
    claimed = _history_announced()
    stdout.write(
        f"Follows: {made} follows seeded, {dated} watch notifications dated, "
        f"{claimed} past items and replies marked announced."
    )


def _community_follows(person) -> int:
    communities = list(
        Community.objects.filter(
            memberships__user=person, memberships__status=Membership.Status.ACTIVE
        ).order_by("pk")
    )
    made = 0
    for index, community in enumerate(communities):
        if Follow.objects.filter(user=person, community=community).exists():
            continue
        level = FollowLevel.WATCHING if index == 0 else FollowLevel.NEW_ITEMS
        if len(communities) >= MUTE_FROM and index == len(communities) - 1:
            level = FollowLevel.MUTED
        made += follow_set(user=person, kind="community", target=community, level=level)
    return made


def _date_announcements() -> int:
    """Watch notifications carry the date of the item or reply they tell of."""
    notes = list(
        Notification.objects.filter(kind__startswith="knowledge.watch.").only(
            "pk", "url", "created_at"
        )
    )
    reply_ids, item_ids = set(), set()
    for note in notes:
        if found := _REPLY_ANCHOR.search(note.url):
            reply_ids.add(int(found.group(1)))
        elif found := _ITEM_URL.search(note.url):
            item_ids.add(int(found.group(1)))
    replies = dict(
        Reply.objects.filter(pk__in=reply_ids).values_list("pk", "created_at")
    )
    items = dict(Item.objects.filter(pk__in=item_ids).values_list("pk", "created_at"))
    changed = []
    for note in notes:
        if found := _REPLY_ANCHOR.search(note.url):
            when = replies.get(int(found.group(1)))
        elif found := _ITEM_URL.search(note.url):
            when = items.get(int(found.group(1)))
        else:
            when = None
        if when is not None and when < note.created_at:
            note.created_at = when
            changed.append(note)
    Notification.objects.bulk_update(changed, ["created_at"], batch_size=500)
    return len(changed)


def _history_announced() -> int:
    """Mark every item and reply without a fan-out as announced: the demo's
    past is not news (a worker running the jobs later then does nothing)."""
    items = Item.objects.filter(
        ~Exists(WatchFanout.objects.filter(item=OuterRef("pk"), reply=None))
    ).values_list("pk", flat=True)
    replies = Reply.objects.filter(
        ~Exists(WatchFanout.objects.filter(reply=OuterRef("pk")))
    ).values_list("pk", "item_id")
    rows = [WatchFanout(item_id=pk) for pk in items]
    rows += [WatchFanout(item_id=item_id, reply_id=pk) for pk, item_id in replies]
    WatchFanout.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
