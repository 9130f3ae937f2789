"""Who may do what with items and replies.

Reading goes through the one gate in communities/access.py. On top of it:

- Only active members of a community post, reply, share into it and record
  adoptions for it; an archived community is read-only.
- Anyone who may view an item may mark it helpful (not their own).
- Authors edit and hide their own content; stewards (and staff) moderate in
  their community: edit, hide and restore.
- On a question, the asker or a steward accepts an answer.
- A private community's item may be shared only by its active members.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.http import Http404

from communities.access import can_moderate, can_view_content, membership_of
from config import compiled_queries
from knowledge.models import Item, ItemKind, Reply

ADOPTABLE_KINDS = frozenset({ItemKind.PRACTICE, ItemKind.LESSON, ItemKind.STORY})


def is_active_member(membership) -> bool:
    return membership is not None and membership.is_active


def can_post(user, community, membership) -> bool:
    return (
        user.is_authenticated
        and not community.is_archived
        and is_active_member(membership)
    )


def can_view_item(user, item, membership) -> bool:
    if not can_view_content(user, item.community, membership):
        return False
    if item.is_hidden:
        return item.author_id == user.pk or can_moderate(
            user, item.community, membership
        )
    return True


def can_edit_item(user, item, membership) -> bool:
    if item.community.is_archived or not can_view_item(user, item, membership):
        return False
    return item.author_id == user.pk or can_moderate(user, item.community, membership)


def can_hide_item(user, item, membership) -> bool:
    if item.is_hidden or not can_view_item(user, item, membership):
        return False
    return item.author_id == user.pk or can_moderate(user, item.community, membership)


def can_restore_item(user, item, membership) -> bool:
    return item.is_hidden and can_moderate(user, item.community, membership)


def can_reply(user, item, membership) -> bool:
    return not item.is_hidden and can_post(user, item.community, membership)


def can_edit_reply(user, reply, item, membership) -> bool:
    if item.community.is_archived or not can_view_item(user, item, membership):
        return False
    if can_moderate(user, item.community, membership):
        return True
    return reply.author_id == user.pk and not reply.is_hidden


def can_hide_reply(user, reply, item, membership) -> bool:
    return not reply.is_hidden and can_edit_reply(user, reply, item, membership)


def can_restore_reply(user, reply, item, membership) -> bool:
    return reply.is_hidden and can_moderate(user, item.community, membership)


def can_read_reply(user, reply, item, membership) -> bool:
    """A hidden reply's body is read by its author and the stewards; others
    see that it was hidden."""
    return (
        not reply.is_hidden
        or (user.pk is not None and reply.author_id == user.pk)
        or can_moderate(user, item.community, membership)
    )


@dataclass(frozen=True)
class ReplyActions:
    """What a viewer may read and do with one reply."""

    read: bool
    mark_helpful: bool
    recommend: bool
    accept: bool
    edit: bool
    hide: bool
    restore: bool


class _ReplyCase(NamedTuple):
    author_id: int | None
    is_hidden: bool


def reply_actions(user, item, membership) -> Callable[[object], ReplyActions]:
    """`for_reply(reply)`: what `user` may read and do with each of `item`'s
    replies (rows with `author_id` and `is_hidden`). The rules above and
    reply_marks' read nothing of a reply but whether it is the viewer's own
    and whether it is hidden, so each is asked once for each of those four
    cases, not once per reply (six rules for 44 replies cost 1.4 ms a
    view); tests/knowledge/test_reply_actions.py holds the two ways equal."""
    from knowledge import reply_marks

    other = (user.pk or 0) + 1  # any author but the viewer
    accept = can_accept(user, item, membership)
    table = {}
    for own in (True, False):
        for hidden in (True, False):
            # Only the two attributes: a rule that read more would fail here.
            reply = _ReplyCase(author_id=user.pk if own else other, is_hidden=hidden)
            table[own, hidden] = ReplyActions(
                read=can_read_reply(user, reply, item, membership),
                mark_helpful=reply_marks.can_mark_reply_helpful(
                    user, reply, item, membership
                ),
                recommend=reply_marks.can_recommend_answer(
                    user, reply, item, membership
                ),
                accept=accept and not reply.is_hidden,
                edit=can_edit_reply(user, reply, item, membership),
                hide=can_hide_reply(user, reply, item, membership),
                restore=can_restore_reply(user, reply, item, membership),
            )

    def for_reply(reply) -> ReplyActions:
        own = user.pk is not None and reply.author_id == user.pk
        return table[own, reply.is_hidden]

    return for_reply


def can_accept(user, item, membership) -> bool:
    """The asker or a steward picks the answer to a question."""
    if not item.is_question or item.is_hidden or item.community.is_archived:
        return False
    if not can_view_item(user, item, membership):
        return False
    return item.author_id == user.pk or can_moderate(user, item.community, membership)


def can_mark_helpful(user, item, membership) -> bool:
    return (
        user.is_authenticated
        and item.author_id != user.pk
        and not item.is_hidden
        and not item.community.is_archived
        and can_view_item(user, item, membership)
    )


def can_share(user, item, membership) -> bool:
    """Members spread what they can see; a private community's item only by
    its own active members (staff reading it are not enough)."""
    if item.shared_from_id or item.is_hidden:
        return False
    if not can_view_item(user, item, membership):
        return False
    if item.community.is_private:
        return is_active_member(membership)
    return True


def can_adopt(user, item, membership) -> bool:
    return (
        item.kind in ADOPTABLE_KINDS
        and not item.is_hidden
        and can_view_item(user, item, membership)
    )


def access_item(user, slug: str, pk: int) -> tuple[Item, object]:
    """Fetch an item under its community for `user`, or 404 (a wrong slug, a
    community they may not see, or a hidden item they may not see)."""
    found = compiled_queries.instances(
        "access-item", _item_in, related=("community", "author"), pk=int(pk), slug=slug
    )
    if not found:
        raise Http404
    item = found[0]
    membership = membership_or_outsider(user, item.community)
    if not can_view_item(user, item, membership):
        raise Http404
    if item.hidden_by_id or item.shared_from_id or item.shared_by_id:
        _credits_load(item)
    return item, membership


def _item_in(*, pk, slug):
    """The item `pk` if it is in the community `slug` (compiled once per
    process, config.compiled_queries: building it cost ~1.3 ms a view)."""
    return Item.objects.filter(pk=pk, community__slug=slug)


def _credits_load(item: Item) -> None:
    """Who hid or shared `item`, and the original it was shared from (with
    its community and author), in one more query for the few items that
    have any: joining all of them for every item cost PostgreSQL more to
    plan (nine tables, ~2 ms) than to run."""
    credits = Item.objects.select_related(
        "hidden_by", "shared_by", "shared_from__community", "shared_from__author"
    ).get(pk=item.pk)
    item.hidden_by = credits.hidden_by
    item.shared_by = credits.shared_by
    item.shared_from = credits.shared_from


def access_reply(item, reply_pk: int) -> Reply:
    reply = Reply.objects.select_related("author").filter(pk=reply_pk, item=item)
    reply = reply.first()
    if reply is None:
        raise Http404
    return reply


def membership_or_outsider(user, community, membership=None):
    """The viewer's membership, or an unsaved stand-in for outsiders so that
    repeated permission checks do not look it up again (a None membership
    makes communities.access query each time)."""
    from communities.models import Membership

    membership = membership or membership_of(user, community)
    if membership is None:
        membership = Membership(
            user_id=user.pk, community=community, status="", role=""
        )
    return membership
