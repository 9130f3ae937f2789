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
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import can_view_content
from communities.models import Community, Membership, Visibility
from knowledge.models import Follow, FollowLevel, Item, Mention, Reply, WatchFanout
from knowledge.permissions import can_view_item, membership_or_outsider
from members.jobs import enqueue_on_commit
from members.models import User
from members.tags import tag_normalise
from notifications.services import notify_many

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
    return list(
        users.order_by("pk").values_list("pk", "notification_emails", "language")
    )


@transaction.atomic
def watch_fanout(*, item_id: int, reply_id: int | None = None) -> int:
    """Tell the watchers of a new item (or reply) once. Returns how many were
    told: 0 on a second run, or when the item is hidden or gone."""
    item = Item.objects.select_related("community", "author").filter(pk=item_id).first()
    reply = None
    if reply_id is not None:
        reply = Reply.objects.select_related("author").filter(pk=reply_id).first()
        if reply is None or reply.is_hidden:
            return 0
    if item is None or item.is_hidden:
        return 0
    claim = WatchFanout(item=item, reply=reply)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        return 0  # already told
    recipients = watchers(item=item, reply=reply)
    if reply is None:
        actor = item.author
        message = gettext_lazy("New in %(community)s: “%(title)s”")
        params = {"community": item.community.name, "title": item.title}
        kind = "knowledge.watch.item"
        url = item.get_absolute_url()
    else:
        actor = reply.author
        message = gettext_lazy("%(name)s replied to “%(title)s”")
        params = {"name": actor.display_name, "title": item.title}
        kind = "knowledge.watch.reply"
        url = f"{item.get_absolute_url()}#reply-{reply.pk}"
    told = notify_many(
        recipients=recipients,
        kind=kind,
        message=message,
        params=params,
        url=url,
        actor=actor,
    )
    WatchFanout.objects.filter(pk=claim.pk).update(recipients=told)
    return told


def is_silenced(*, user_id: int, item: Item, actor_id: int | None) -> bool:
    """Whether `user_id` muted this item's community, the item, one of its
    tags or the person acting: then nothing about it reaches them."""
    return Follow.objects.filter(
        muted_q(item=item, actor_id=actor_id or 0), user_id=user_id
    ).exists()
