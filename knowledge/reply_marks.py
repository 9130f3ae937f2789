"""Marks on replies: "this helped me" on any reply, and a steward's
"recommended" on an answer.

- Whoever may see an item may mark its visible replies helpful, one mark per
  member per reply, never their own; marking again or unmarking twice
  changes nothing. Reply.helpful_count is kept here with F() updates, so it
  stays true under concurrent requests; the reply's author is told, as for
  marks on items. A reply's marks count toward its
  author's expertise on the item's tags (who knows most, mentor
  suggestions), as marks on their own items do.
- A steward of the item's community (and staff) recommends an answer to a
  question, and takes the recommendation back. The answer shows a badge and
  sorts right after the accepted one; its author is told.

`check_*` entries fetch the item and reply under their community with the
permission check (404 for what the acting user may not see, 403 for what
they may not do), then call the `do_*` service. Views and any other
interface call the `check_*` entries; the `do_*` services are for code that
has already decided (seeding, tests).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.access import can_moderate
from knowledge import permissions as perms
from knowledge import services
from knowledge.models import Reply, ReplyHelpfulMark
from members.permissions import check_signed_in

# --- Permissions ----------------------------------------------------------------


def can_mark_reply_helpful(user, reply, item, membership) -> bool:
    return (
        user.is_authenticated
        and reply.author_id != user.pk
        and not reply.is_hidden
        and not item.is_hidden
        and not item.community.is_archived
        and perms.can_view_item(user, item, membership)
    )


def can_recommend_answer(user, reply, item, membership) -> bool:
    """Stewards of the item's community and staff, on a visible answer to a
    visible question in a community that is not archived."""
    return (
        item.is_question
        and not reply.is_hidden
        and not item.is_hidden
        and not item.community.is_archived
        and can_moderate(user, item.community, membership)
        and perms.can_view_item(user, item, membership)
    )


def _access_reply(acting_user, community_slug, item_id, reply_id, allowed, why=""):
    check_signed_in(acting_user)
    item, membership = perms.access_item(acting_user, community_slug, item_id)
    reply = perms.access_reply(item, reply_id)
    if not allowed(acting_user, reply, item, membership):
        raise PermissionDenied(why)
    reply.item = item
    return reply


# --- Helpful --------------------------------------------------------------------


@transaction.atomic
def check_reply_helpful_set(
    *,
    acting_user,
    community_slug: str,
    item_id: int,
    reply_id: int,
    helpful: bool,
) -> bool:
    reply = _access_reply(
        acting_user,
        community_slug,
        item_id,
        reply_id,
        can_mark_reply_helpful,
        _("You can mark other people’s visible replies you can read."),
    )
    return do_reply_helpful_set(reply=reply, acting_user=acting_user, helpful=helpful)


@transaction.atomic
def do_reply_helpful_set(*, reply: Reply, acting_user, helpful: bool) -> bool:
    """Set the member's "this helped me" mark on `reply` to `helpful`;
    returns whether anything changed. The unique constraint decides between
    two simultaneous marks, so the counter moves once."""
    if helpful:
        _mark, created = ReplyHelpfulMark.objects.get_or_create(
            reply=reply, user=acting_user
        )
        if not created:
            return False
        Reply.objects.filter(pk=reply.pk).update(helpful_count=F("helpful_count") + 1)
        reply.helpful_count += 1
        item = reply.item
        services.tag_pages_changed(item=item)
        what = (
            gettext_lazy("answer to") if item.is_question else gettext_lazy("reply to")
        )
        services.notify_if_visible(
            recipient=reply.author,
            item=item,
            kind="knowledge.reply_helpful",
            message=gettext_lazy("%(member)s found your %(what)s “%(title)s” helpful"),
            params={
                "member": acting_user.display_name,
                "what": what,
                "title": item.title,
            },
            actor=acting_user,
        )
        return True
    deleted, _details = ReplyHelpfulMark.objects.filter(
        reply=reply, user=acting_user
    ).delete()
    if not deleted:
        return False
    Reply.objects.filter(pk=reply.pk, helpful_count__gt=0).update(
        helpful_count=F("helpful_count") - 1
    )
    reply.helpful_count = max(reply.helpful_count - 1, 0)
    services.tag_pages_changed(item=reply.item)
    return True


# --- Recommended ----------------------------------------------------------------


@transaction.atomic
def check_answer_recommend(
    *,
    acting_user,
    community_slug: str,
    item_id: int,
    reply_id: int,
    recommended: bool,
) -> bool:
    reply = _access_reply(
        acting_user,
        community_slug,
        item_id,
        reply_id,
        can_recommend_answer,
        _("Only the community’s stewards recommend an answer."),
    )
    return do_answer_recommend(
        reply=reply, acting_user=acting_user, recommended=recommended
    )


@transaction.atomic
def do_answer_recommend(*, reply: Reply, acting_user, recommended: bool) -> bool:
    """Mark `reply` recommended by `acting_user` (or clear the mark); returns
    whether anything changed. Conditional updates: of two simultaneous
    requests, the second changes nothing."""
    if recommended:
        now = timezone.now()
        changed = Reply.objects.filter(pk=reply.pk, recommended_at__isnull=True).update(
            recommended_at=now, recommended_by=acting_user
        )
        if not changed:
            return False
        reply.recommended_at, reply.recommended_by = now, acting_user
        services.item_page_changed(item_id=reply.item_id)
        item = reply.item
        services.notify_if_visible(
            recipient=reply.author,
            item=item,
            kind="knowledge.answer_recommended",
            message=gettext_lazy("%(steward)s recommended your answer to “%(title)s”"),
            params={"steward": acting_user.display_name, "title": item.title},
            actor=acting_user,
        )
        return True
    changed = Reply.objects.filter(pk=reply.pk, recommended_at__isnull=False).update(
        recommended_at=None, recommended_by=None
    )
    if changed:
        reply.recommended_at, reply.recommended_by = None, None
        services.item_page_changed(item_id=reply.item_id)
    return bool(changed)
