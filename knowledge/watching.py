"""Following: members follow communities, tags, items and people, and hear
about what happens there at the level they chose.

- Watching: every new item and reply. New items only: new items. Muted:
  nothing from there, even where another follow would tell them (a muted
  community never notifies; a muted item, tag or person silences itself).
- Posting or replying watches that item (an existing choice is kept).
- Nothing reaches anyone who may not read it: a private community's items
  reach only its active members (a non-member cannot follow it or its items,
  and after leaving nothing more reaches them); hidden items reach nobody.
- A new item or reply is announced in one outbox job (`knowledge.watch_fanout`)
  that finds every watcher in one query and writes their notifications in
  bulk; a WatchFanout row written in the same transaction makes a second run
  change nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import can_view_content
from communities.models import Community, Membership, Visibility
from config.union_reads import rows_per_part
from knowledge.models import Follow, FollowLevel, Item, Mention, Reply, WatchFanout
from knowledge.permissions import can_view_item, membership_or_outsider
from members.jobs import enqueue_on_commit
from members.models import User
from members.tags import tag_normalise
from notifications.services import notify_many_each

KINDS = ("community", "tag", "item", "person")
# An item has no new items: watching (every reply) or muted.
LEVELS_FOR = {
    "community": FollowLevel.values,
    "tag": FollowLevel.values,
    "person": FollowLevel.values,
    "item": [FollowLevel.WATCHING, FollowLevel.MUTED],
}
NOTIFYING = (FollowLevel.WATCHING, FollowLevel.NEW_ITEMS)


def level_choices(kind: str) -> list[tuple[str, str]]:
    labels = dict(FollowLevel.choices)
    return [(level, labels[level]) for level in LEVELS_FOR[kind]]


# --- Who may follow what -----------------------------------------------------


def _is_active_member(user, community) -> bool:
    return Membership.objects.filter(
        user_id=user.pk, community=community, status=Membership.Status.ACTIVE
    ).exists()


def can_follow_community(user, community) -> bool:
    """Open communities: any member. Private ones: their active members only
    (staff who may read one still join it to follow it)."""
    if not user.is_authenticated:
        return False
    if community.is_private:
        return _is_active_member(user, community)
    return True


def can_follow_item(user, item, membership=None) -> bool:
    membership = membership_or_outsider(user, item.community, membership)
    if item.is_hidden or not can_view_item(user, item, membership):
        return False
    if item.community.is_private:
        return membership.is_active
    return True


def access_target(user, kind: str, key: str):
    """The object `kind`/`key` names, for `user` to follow, or 404 when they
    may not see it (403 when they see it but may not follow it)."""
    if kind == "community":
        community = Community.objects.filter(slug=key).first()
        if community is None:
            raise Http404
        if community.is_private and not can_view_content(user, community):
            raise Http404
        if not can_follow_community(user, community):
            raise PermissionDenied(_("Only members follow a private community."))
        return community
    if kind == "tag":
        name = tag_normalise(key)
        if not name:
            raise Http404
        return name
    if kind == "item":
        if not str(key).isdigit():
            raise Http404
        item = Item.objects.select_related("community").filter(pk=int(key)).first()
        if item is None:
            raise Http404
        membership = membership_or_outsider(user, item.community)
        if not can_view_item(user, item, membership):
            raise Http404
        if not can_follow_item(user, item, membership):
            raise PermissionDenied(
                _("Only members follow a private community's items.")
            )
        return item
    if kind == "person":
        person = User.objects.filter(username=key, is_active=True).first()
        if person is None:
            raise Http404
        if person.pk == user.pk:
            raise PermissionDenied(_("You cannot follow yourself."))
        return person
    raise Http404


# --- Writes --------------------------------------------------------------------


def check_follow_set(*, acting_user, kind: str, key: str, level: str):
    """Follow (or change, or stop following: level "") what `kind`/`key`
    names. Returns (target, level)."""
    if kind not in KINDS:
        raise Http404
    target = access_target(acting_user, kind, key)
    if level and level not in LEVELS_FOR[kind]:
        raise ValidationError(_("Choose one of the levels offered."))
    follow_set(user=acting_user, kind=kind, target=target, level=level)
    return target, level


@transaction.atomic
def follow_set(*, user, kind: str, target, level: str) -> bool:
    """Set `user`'s follow of `target` to `level` ("" removes it). Returns
    whether anything changed. Callers check permission."""
    where = {"user": user, kind: target}
    if not level:
        deleted, _details = Follow.objects.filter(**where).delete()
        return bool(deleted)
    changed = (
        Follow.objects.filter(**where)
        .exclude(level=level)
        .update(level=level, updated_at=timezone.now())
    )
    if changed:
        return True
    if Follow.objects.filter(**where).exists():
        return False
    try:
        with transaction.atomic():
            Follow.objects.create(level=level, **where)
    except IntegrityError:
        # Two requests raced: the other one created it; set our level.
        Follow.objects.filter(**where).update(level=level, updated_at=timezone.now())
    return True


def watch_on_post(*, user, item: Item) -> None:
    """Posting or replying watches the item, unless the member already chose
    a level for it (a muted item stays muted)."""
    Follow.objects.bulk_create(
        [Follow(user=user, item=item, level=FollowLevel.WATCHING)],
        ignore_conflicts=True,
    )


def fanout_enqueue(*, item: Item, reply: Reply | None = None) -> None:
    """Tell the watchers of a new item or reply, after the commit."""
    enqueue_on_commit(
        "knowledge.watch_fanout",
        item_id=item.pk,
        reply_id=reply.pk if reply is not None else None,
    )


# --- Fan-out -------------------------------------------------------------------


def readers_q(community, *, staff: bool = False) -> Q:
    """Members who may be told about this community's content: anyone active
    for an open community; its active members for a private one (and staff,
    who may read everything, when `staff`)."""
    q = Q(is_active=True)
    if community.visibility != Visibility.OPEN:
        members = Q(
            pk__in=Membership.objects.filter(
                community=community, status=Membership.Status.ACTIVE
            ).values("user_id")
        )
        q &= (Q(is_staff=True) | members) if staff else members
    return q


def muted_q(*, item: Item, actor_id: int) -> Q:
    """Follows that silence this item for their owner."""
    return Q(level=FollowLevel.MUTED) & (
        Q(community_id=item.community_id)
        | Q(item_id=item.pk)
        | Q(tag__in=item.tag_list)
        | Q(person_id=actor_id)
    )


def watchers(*, item: Item, reply: Reply | None = None):
    """(id, notification_emails, language) of every member to tell about a new `item`
    (or a new `reply` on it), in one query, whatever their number."""
    return list(_watchers(item=item, reply=reply).order_by("pk"))


def _watchers(*, item: Item, reply: Reply | None):
    levels = NOTIFYING if reply is None else (FollowLevel.WATCHING,)
    actor_id = reply.author_id if reply is not None else item.author_id
    targets = (
        Q(community_id=item.community_id)
        | Q(tag__in=item.tag_list)
        | Q(person_id=actor_id)
    )
    if reply is not None:
        targets |= Q(item_id=item.pk)
    following = Follow.objects.filter(targets, level__in=levels).values("user_id")
    muted = Follow.objects.filter(muted_q(item=item, actor_id=actor_id)).values(
        "user_id"
    )
    # Mentioned members hear of it once, by the mention; the asker of a
    # replied-to item hears by knowledge's own "replied to" notification.
    mentioned = Mention.objects.filter(item=item, reply=reply).values("user_id")
    users = (
        User.objects.filter(readers_q(item.community), pk__in=following)
        .exclude(pk__in=muted)
        .exclude(pk__in=mentioned)
        .exclude(pk=actor_id)
    )
    if reply is not None:
        users = users.exclude(pk=item.author_id)
    return users.values_list("pk", "notification_emails", "language")


def watch_fanout(*, item_id: int, reply_id: int | None = None) -> int:
    """Tell the watchers of a new item (or reply) once. Returns how many were
    told: 0 on a second run, or when the item is hidden or gone."""
    return watch_fanout_many(pairs=[(item_id, reply_id)])


# New items and replies whose watchers are read in one statement.
FANOUT_CHUNK = 100


@transaction.atomic
def watch_fanout_many(*, pairs) -> int:
    """watch_fanout for each (item id, reply id or None) of `pairs`, in
    their order: the job's one, or a bulk load's many (the demo; each one's
    own job then finds its claim and changes nothing). Their rows are read
    and claimed at once, their watchers read FANOUT_CHUNK to a statement and
    their notifications written together. Returns how many were told."""
    pairs = list(dict.fromkeys(pairs))
    items = Item.objects.select_related("community", "author").in_bulk(
        {item_id for item_id, _reply_id in pairs}
    )
    reply_ids = {reply_id for _item_id, reply_id in pairs if reply_id is not None}
    replies = (
        Reply.objects.select_related("author").in_bulk(reply_ids) if reply_ids else {}
    )
    news = []
    for item_id, reply_id in pairs:
        item, reply = items.get(item_id), replies.get(reply_id)
        if reply_id is not None and (reply is None or reply.is_hidden):
            continue
        if item is not None and not item.is_hidden:
            news.append((item, reply))
    claims = _claim(news)
    news = [(item, reply) for item, reply in news if _key(item, reply) in claims]
    if not news:
        return 0
    found = rows_per_part(
        [_watchers(item=item, reply=reply) for item, reply in news],
        per_statement=FANOUT_CHUNK,
    )
    told = notify_many_each(
        [
            _announcement(item, reply, recipients=sorted(recipients))
            for (item, reply), recipients in zip(news, found, strict=True)
        ]
    )
    WatchFanout.objects.bulk_update(
        [
            WatchFanout(pk=claims[_key(item, reply)], recipients=count)
            for (item, reply), count in zip(news, told, strict=True)
        ],
        ["recipients"],
        batch_size=1000,
    )
    return sum(told)


def _key(item: Item, reply: Reply | None) -> tuple:
    return (item.pk, reply.pk if reply is not None else None)


def _claim(news: list) -> dict:
    """Claim each (item, reply) of `news` for this run: {key: claim id} of
    those claimed here, not by an earlier run (NOT EXISTS: no id is drawn
    for them) or one committing meanwhile (ON CONFLICT: their unique
    constraints are partial, which bulk_create cannot name)."""
    if not news:
        return {}
    table = WatchFanout._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (item_id, reply_id, recipients, created_at)"  # noqa: S608 - our table
            " SELECT item_id, reply_id, 0, %s"
            " FROM unnest(%s::bigint[], %s::bigint[]) WITH ORDINALITY"
            " AS new (item_id, reply_id, n)"
            f" WHERE NOT EXISTS (SELECT FROM {table} AS told WHERE new.reply_id"
            " IS NULL AND told.reply_id IS NULL AND told.item_id = new.item_id)"
            f" AND NOT EXISTS (SELECT FROM {table} AS told"
            " WHERE told.reply_id = new.reply_id)"
            # Ids in the order of `news`, whichever join the planner picks.
            " ORDER BY n ON CONFLICT DO NOTHING RETURNING item_id, reply_id, id",
            [
                timezone.now(),
                [item.pk for item, _reply in news],
                [reply.pk if reply is not None else None for _item, reply in news],
            ],
        )
        return {(item_id, reply_id): pk for item_id, reply_id, pk in cursor}


def _announcement(item: Item, reply: Reply | None, *, recipients) -> dict:
    """notify_many's arguments for a new item or reply."""
    if reply is None:
        return {
            "recipients": recipients,
            "kind": "knowledge.watch.item",
            "message": gettext_lazy("New in %(community)s: “%(title)s”"),
            "params": {"community": item.community.name, "title": item.title},
            "url": item.get_absolute_url(),
            "actor": item.author,
        }
    return {
        "recipients": recipients,
        "kind": "knowledge.watch.reply",
        "message": gettext_lazy("%(name)s replied to “%(title)s”"),
        "params": {"name": reply.author.display_name, "title": item.title},
        "url": f"{item.get_absolute_url()}#reply-{reply.pk}",
        "actor": reply.author,
    }


def is_silenced(*, user_id: int, item: Item, actor_id: int | None) -> bool:
    """Whether `user_id` muted this item's community, the item, one of its
    tags or the person acting: then nothing about it reaches them."""
    return Follow.objects.filter(
        muted_q(item=item, actor_id=actor_id or 0), user_id=user_id
    ).exists()
