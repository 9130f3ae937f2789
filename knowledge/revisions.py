"""Revisions: every edit of an item or a reply keeps the version before it.

The first edit records the original (version 1, by the author, when it was
written), then each edit records the version it saved, so the newest
revision is always the text on the page and the history reads as "who
changed what". Restoring a version saves it again as a new revision, word
for word: nothing in between is lost.

Who sees and who restores (documented in README, "Revisions"): everyone who
may read the item may read its history (as on a wiki: an edit is not a way to
unsay something; hiding is); restoring is an edit, so whoever may edit it may
restore: its author and the community's stewards (and staff).
"""

import difflib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from knowledge import permissions as perms
from knowledge.models import Item, Reply, Revision
from members.audit import audit_record
from members.models import AuditAction
from members.permissions import check_signed_in

# --- Writes ----------------------------------------------------------------------


def _revisions_of(*, item: Item, reply: Reply | None):
    if reply is None:
        return Revision.objects.filter(item=item, reply__isnull=True)
    return Revision.objects.filter(reply=reply)


def _snapshot(*, item: Item, reply: Reply | None) -> dict:
    if reply is None:
        return {
            "kind": item.kind,
            "title": item.title,
            "body": item.body,
            "tag_names": item.tag_names,
        }
    return {"kind": "", "title": "", "body": reply.body, "tag_names": ""}


def revision_baseline(*, item: Item | None, reply: Reply | None = None) -> None:
    """Before the first recorded edit: keep the text as it stands as version 1.
    Written by the author when it was posted; if it was edited before history
    was kept, nobody can say by whom, so the version names no one."""
    if _revisions_of(item=item, reply=reply).exists():
        return
    original = reply or item
    edited = original.edited_at is not None
    Revision.objects.create(
        item_id=reply.item_id if reply else item.pk,
        reply=reply,
        number=1,
        author=None if edited else original.author,
        created_at=original.edited_at if edited else original.created_at,
        **_snapshot(item=item, reply=reply),
    )


def revision_add(
    *, item: Item | None, acting_user, reply: Reply | None = None
) -> Revision | None:
    """Record the saved text as the next version; None when the edit changed
    nothing the history shows."""
    revisions = _revisions_of(item=item, reply=reply)
    latest = revisions.order_by("-number").first()
    snapshot = _snapshot(item=item, reply=reply)
    if latest is not None:
        unchanged = all(
            getattr(latest, key) == value for key, value in snapshot.items()
        )
        if unchanged:
            return None
    number = (latest.number if latest else 0) + 1
    return Revision.objects.create(
        item_id=reply.item_id if reply else item.pk,
        reply=reply,
        number=number,
        author=acting_user,
        **snapshot,
    )


@transaction.atomic
def revision_restore(*, revision: Revision, acting_user):
    """Save `revision`'s text again, exactly, as a new version."""
    from knowledge import services

    if revision.reply_id is None:
        item = Item.objects.select_for_update().get(pk=revision.item_id)
        services.item_update(
            item=item,
            acting_user=acting_user,
            kind=revision.kind,
            title=revision.title,
            body=revision.body,
            tags=revision.tag_names.split(),
        )
    else:
        reply = Reply.objects.select_for_update().get(pk=revision.reply_id)
        services.reply_update(reply=reply, acting_user=acting_user, body=revision.body)
    # The edit above recorded the new version (it differs from the newest:
    # the check refuses restoring the text already shown); credit its source.
    latest = (
        Revision.objects.filter(item_id=revision.item_id, reply_id=revision.reply_id)
        .order_by("-number")
        .first()
    )
    latest.restored_from = revision
    latest.save(update_fields=["restored_from"])
    audit_record(
        actor=acting_user,
        action=AuditAction.REVISION_RESTORED,
        target=revision.reply or revision.item,
        community_id=revision.item.community_id,
        details={"version": revision.number},
    )
    return latest


def check_revision_restore(
    *,
    acting_user,
    community_slug: str,
    item_id: int,
    number: int,
    reply_id: int | None = None,
):
    """Restore version `number` of an item (or of its reply `reply_id`):
    404 for what the acting user may not see, 403 unless they may edit it,
    and a ValidationError for the version already on the page."""
    check_signed_in(acting_user)
    item, membership = perms.access_item(acting_user, community_slug, item_id)
    reply = None
    if reply_id is None:
        allowed = perms.can_edit_item(acting_user, item, membership)
    else:
        reply = perms.access_reply(item, reply_id)
        allowed = perms.can_edit_reply(acting_user, reply, item, membership)
    revision = _revisions_of(item=item, reply=reply).filter(number=number).first()
    if revision is None:
        raise Http404
    if not allowed:
        raise PermissionDenied(_("Only its author or a steward restores a version."))
    newest = _revisions_of(item=item, reply=reply).order_by("-number").first()
    same = ("kind", "title", "body", "tag_names")
    if all(getattr(revision, key) == getattr(newest, key) for key in same):
        raise ValidationError(_("That version is the one already shown."))
    return revision_restore(revision=revision, acting_user=acting_user)


# --- Reads -----------------------------------------------------------------------


@dataclass
class DiffLine:
    change: str  # "same", "added" or "removed"
    text: str


def text_diff(before: str, after: str, *, context: int = 2) -> list[DiffLine]:
    """Lines added and removed between two texts, with `context` unchanged
    lines around each change and "…" where more were skipped. Plain strings:
    templates escape them."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("skipped", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", text) for text in old[i1:i2])
                continue
            lines.extend(DiffLine("removed", text) for text in old[i1:i2])
            lines.extend(DiffLine("added", text) for text in new[j1:j2])
    return lines


def revision_changes(revision: Revision, previous: Revision | None) -> dict:
    """What this version changed compared with the one before it."""
    if previous is None:
        return {"first": True}
    changes = {"first": False, "body": text_diff(previous.body, revision.body)}
    if previous.title != revision.title:
        changes["title"] = (previous.title, revision.title)
    if previous.kind != revision.kind:
        changes["kind"] = (previous.kind, revision.kind)
    if previous.tag_names != revision.tag_names:
        old, new = set(previous.tag_names.split()), set(revision.tag_names.split())
        changes["tags_added"] = sorted(new - old)
        changes["tags_removed"] = sorted(old - new)
    return changes


def revision_history(*, item: Item, reply: Reply | None = None):
    """The versions, newest first, with who wrote them (one query when
    evaluated)."""
    return (
        _revisions_of(item=item, reply=reply)
        .select_related("author", "restored_from")
        .order_by("-number")
    )


def with_changes(revisions: list, *, item: Item, reply: Reply | None = None) -> list:
    """Attach `.changes` to a page of revisions (newest first), fetching the
    version before the page's oldest in one query."""
    if not revisions:
        return revisions
    # Asked even on the last page (where it finds nothing), so a page costs
    # the same queries wherever it is.
    oldest = revisions[-1].number
    before = _revisions_of(item=item, reply=reply).filter(number=oldest - 1).first()
    for revision, previous in zip(revisions, [*revisions[1:], before], strict=True):
        revision.changes = revision_changes(revision, previous)
    return revisions
