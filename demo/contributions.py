"""Demo contributions that show what the editor keeps: a few items edited by
their community's steward, so their history has versions to compare and to
restore. Through knowledge.services; idempotent (an item with a history is
left alone)."""

from communities.models import Membership
from knowledge.models import Item, ItemKind, Revision
from knowledge.services import item_update

EDITED = 2
ADDENDUM = (
    "\n\n**Update from the steward:** we have since tried this on a second "
    "line; the checklist needed one more step for the weekend crew."
)


def _edited_items():
    """The oldest stories of the first communities that have a steward."""
    stewards = Membership.objects.filter(
        role=Membership.Role.STEWARD, status=Membership.Status.ACTIVE
    ).select_related("user", "community")
    chosen = []
    for membership in stewards.order_by("community_id", "pk"):
        if any(item.community_id == membership.community_id for item, _ in chosen):
            continue
        item = (
            Item.objects.filter(community=membership.community, kind=ItemKind.STORY)
            .order_by("pk")
            .first()
        )
        if item is not None:
            chosen.append((item, membership.user))
        if len(chosen) == EDITED:
            break
    return chosen


def seed(stdout):
    if Revision.objects.exists():
        stdout.write("Contributions: demo histories already present.")
        return
    edited = 0
    for item, steward in _edited_items():
        tags = item.tag_names.split()
        item_update(
            item=item,
            acting_user=steward,
            kind=item.kind,
            title=item.title,
            body=item.body + ADDENDUM,
            tags=[*tags, "follow-up"],
        )
        item_update(
            item=item,
            acting_user=item.author,
            kind=item.kind,
            # The title stays: the demo knows its items by title.
            title=item.title,
            body=item.body.replace("one more step", "two more steps"),
            tags=item.tag_names.split(),
        )
        edited += 1
    stdout.write(f"Contributions: {edited} items edited, with their history.")
