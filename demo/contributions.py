"""Demo contributions that show what the editor keeps: a few items edited by
their community's steward, so their history has versions to compare and to
restore; two practices with a small diagram attached (drawn with Pillow
here, a few KB); and a draft. Through knowledge's services; idempotent."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from communities.models import Membership
from knowledge.attachments import attachment_upload, markdown_reference
from knowledge.drafts import draft_save
from knowledge.models import Attachment, Draft, Item, ItemKind, Revision
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
    _seed_histories(stdout)
    _seed_attachments(stdout)
    _seed_draft(stdout)


def _seed_histories(stdout):
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


def _diagram(title_seed: int) -> bytes:
    """A small bar chart: before and after, as a team would sketch it."""
    image = Image.new("RGB", (480, 270), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    draw.line((40, 230, 450, 230), fill=(60, 60, 60), width=2)
    draw.line((40, 30, 40, 230), fill=(60, 60, 60), width=2)
    heights = [150, 120, 95, 70, 55][title_seed % 2 :]
    for index, height in enumerate(heights):
        left = 70 + index * 85
        colour = (200, 90, 60) if index == 0 else (50, 120, 170)
        draw.rectangle((left, 230 - height, left + 50, 229), fill=colour)
    draw.text((50, 10), "Minutes lost per handover, week by week", fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _seed_attachments(stdout):
    if Attachment.objects.exists():
        stdout.write("Contributions: demo attachments already present.")
        return
    practices = (
        Item.objects.filter(kind=ItemKind.PRACTICE, hidden_at__isnull=True)
        .select_related("author", "community")
        .order_by("pk")[:2]
    )
    for index, item in enumerate(practices):
        upload = SimpleUploadedFile(
            f"trend-{index + 1}.png", _diagram(index), content_type="image/png"
        )
        attachment = attachment_upload(
            acting_user=item.author, community=item.community, upload=upload
        )
        item_update(
            item=item,
            acting_user=item.author,
            kind=item.kind,
            title=item.title,
            body=f"{item.body}\n\n{markdown_reference(attachment)}",
            tags=item.tag_names.split(),
        )
    stdout.write(f"Contributions: {len(practices)} practices with a diagram.")


def _seed_draft(stdout):
    if Draft.objects.exists():
        return
    steward = (
        Membership.objects.filter(
            role=Membership.Role.STEWARD, status=Membership.Status.ACTIVE
        )
        .select_related("user", "community")
        .order_by("pk")
        .first()
    )
    if steward is None:
        return
    draft_save(
        acting_user=steward.user,
        community=steward.community,
        kind=ItemKind.LESSON,
        title="What the audit taught us (draft)",
        body="## What happened\nThe audit found three handovers with no sign-off.\n",
        tags="audit",
    )
