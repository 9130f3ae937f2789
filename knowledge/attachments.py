"""Uploads in items and replies: images, PDFs, short audio and video.

- Checked by content, not by name: the first bytes must be what the
  extension says (a script renamed .png is refused), within a size limit per
  kind (settings.ATTACHMENT_MAX_MB).
- Images are decoded with Pillow, turned upright, shrunk to at most
  IMAGE_MAX_SIDE pixels and written again without their metadata (EXIF,
  GPS, comments), with a thumbnail; an image that does not decode is refused.
- Stored through the "attachments" storage under random names, and served
  only by `file_response` to those who may see the item (private
  communities' files never have a public URL). Before its item is published
  a file is its uploader's alone.
- The editor inserts a Markdown reference, `![name](/files/<id>/<name>)` for
  an image (shown inline: members.markup keeps only such local images) or a
  link for other files; publishing links the uploader's referenced files to
  the item or reply (`attachments_link`).
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from communities.access import can_moderate, can_view_content
from knowledge import permissions as perms
from knowledge.models import Attachment, AttachmentKind
from members.images import image_encoded, image_pixels_only, image_upright

IMAGE_MAX_SIDE = 1600
THUMBNAIL_SIDE = 400
NAME_MAX = 100


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    label: str


JPEG = FileType(AttachmentKind.IMAGE, "image/jpeg", "JPEG")
PNG = FileType(AttachmentKind.IMAGE, "image/png", "PNG")
GIF = FileType(AttachmentKind.IMAGE, "image/gif", "GIF")
WEBP = FileType(AttachmentKind.IMAGE, "image/webp", "WebP")
PDF = FileType(AttachmentKind.PDF, "application/pdf", "PDF")
MP3 = FileType(AttachmentKind.AUDIO, "audio/mpeg", "MP3")
M4A = FileType(AttachmentKind.AUDIO, "audio/mp4", "M4A")
OGG = FileType(AttachmentKind.AUDIO, "audio/ogg", "Ogg")
WAV = FileType(AttachmentKind.AUDIO, "audio/wav", "WAV")
MP4 = FileType(AttachmentKind.VIDEO, "video/mp4", "MP4")
MOV = FileType(AttachmentKind.VIDEO, "video/quicktime", "QuickTime")
WEBM = FileType(AttachmentKind.VIDEO, "video/webm", "WebM")

BY_EXTENSION = {
    "jpg": JPEG,
    "jpeg": JPEG,
    "png": PNG,
    "gif": GIF,
    "webp": WEBP,
    "pdf": PDF,
    "mp3": MP3,
    "m4a": M4A,
    "ogg": OGG,
    "oga": OGG,
    "wav": WAV,
    "mp4": MP4,
    "m4v": MP4,
    "mov": MOV,
    "webm": WEBM,
}
# How each format begins (its "magic" bytes): checked against the extension.
_ISO_MEDIA = {M4A, MP4, MOV}  # all begin "....ftyp"


def sniff(head: bytes) -> set[FileType]:
    """The formats whose signature `head` (the first bytes) carries."""
    if head.startswith(b"\xff\xd8\xff"):
        return {JPEG}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {PNG}
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return {GIF}
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return {WEBP}
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return {WAV}
    if head.startswith(b"%PDF-"):
        return {PDF}
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    ):
        return {MP3}
    if head.startswith(b"OggS"):
        return {OGG}
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return {WEBM}
    if head[4:8] == b"ftyp":
        return set(_ISO_MEDIA)
    return set()


def safe_name(name: str) -> str:
    """A file name fit for a URL path segment and a download: letters,
    digits, dot, dash and underscore; the extension kept."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_")[:NAME_MAX] or "file"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())
    return f"{stem}.{ext}" if ext else stem


def allowed_extensions() -> str:
    return ", ".join(sorted(BY_EXTENSION))


def _checked_type(upload) -> FileType:
    name = upload.name or ""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    declared = BY_EXTENSION.get(ext)
    if declared is None:
        raise ValidationError(
            _("%(name)s: this kind of file cannot be attached. Allowed: %(allowed)s.")
            % {"name": name or _("The file"), "allowed": allowed_extensions()}
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if declared not in sniff(head):
        raise ValidationError(
            _(
                "%(name)s is not the %(label)s file its name says: its content is "
                "something else. Nothing was attached."
            )
            % {"name": name, "label": declared.label}
        )
    limit = settings.ATTACHMENT_MAX_MB[declared.kind]
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; %(kind)s files may be at most %(limit)s MB.")
            % {
                "name": name,
                "size": upload.size / 1024 / 1024,
                "kind": declared.label,
                "limit": limit,
            }
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name})
    return declared


def _processed_image(upload, file_type: FileType):
    """(display bytes, thumbnail bytes, width, height, format) of an upload,
    re-encoded without metadata; ValidationError when it does not decode."""
    image, _decoded = image_upright(upload, draft_side=IMAGE_MAX_SIDE)
    fmt = {JPEG: "JPEG", WEBP: "WEBP"}.get(file_type, "PNG")
    clean = image_pixels_only(image, fmt)
    clean.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
    thumb = clean.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return (
        image_encoded(clean, fmt),
        image_encoded(thumb, fmt),
        clean.width,
        clean.height,
        fmt,
    )


_IMAGE_OUT = {
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "PNG": ("png", "image/png"),
}


@transaction.atomic
def attachment_upload(*, acting_user, community, upload) -> Attachment:
    """Check and store one uploaded file for `acting_user`, who is about to
    publish in `community` (callers check they may post there). Pending
    until published: visible to the uploader only."""
    file_type = _checked_type(upload)
    name = safe_name(upload.name)
    attachment = Attachment(
        uploader=acting_user,
        community=community,
        kind=file_type.kind,
        content_type=file_type.content_type,
    )
    key = f"{attachment.pk.hex}/{secrets.token_urlsafe(12)}"
    if file_type.kind == AttachmentKind.IMAGE:
        display, thumb, width, height, fmt = _processed_image(upload, file_type)
        ext, attachment.content_type = _IMAGE_OUT[fmt]
        name = f"{name.rpartition('.')[0] or name}.{ext}"
        attachment.width, attachment.height = width, height
        attachment.size = len(display)
        attachment.file.save(f"{key}.{ext}", ContentFile(display), save=False)
        attachment.thumbnail.save(f"{key}-thumb.{ext}", ContentFile(thumb), save=False)
    else:
        ext = name.rpartition(".")[2]
        attachment.size = upload.size
        upload.seek(0)
        attachment.file.save(f"{key}.{ext}", upload, save=False)
    attachment.name = name
    attachment.full_clean()
    attachment.save()
    return attachment


def markdown_reference(attachment: Attachment) -> str:
    """What the editor inserts into the text for this file."""
    label = attachment.name.rpartition(".")[0] or attachment.name
    url = attachment.get_absolute_url()
    if attachment.is_image:
        return f"![{label}]({url})"
    return f"[{attachment.name}]({url})"


_REFERENCE = re.compile(
    r"/files/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/"
)


def referenced_ids(body: str) -> set[str]:
    return set(_REFERENCE.findall(body or ""))


def attachments_link(*, acting_user, body: str, item=None, reply=None) -> int:
    """Give the acting user's pending files that `body` refers to to the
    item (or the reply) just saved, in the same community. Returns how many."""
    ids = referenced_ids(body)
    if not ids:
        return 0
    item = item or reply.item
    return Attachment.objects.filter(
        pk__in=ids,
        uploader=acting_user,
        community_id=item.community_id,
        item__isnull=True,
    ).update(item=item, reply=reply)


# --- Reading ---------------------------------------------------------------------


def can_view_attachment(user, attachment: Attachment) -> bool:
    """Whoever may see its item (a hidden reply's files: its author and the
    stewards); before publishing, its uploader. Nobody outside a private
    community, including someone who has left it."""
    if not user.is_authenticated:
        return False
    if attachment.item_id is None:
        return attachment.uploader_id == user.pk and can_view_content(
            user, attachment.community
        )
    item = attachment.item
    membership = perms.membership_or_outsider(user, item.community)
    if not perms.can_view_item(user, item, membership):
        return False
    reply = attachment.reply
    if reply is not None and reply.is_hidden:
        return reply.author_id == user.pk or can_moderate(
            user, item.community, membership
        )
    return True


def access_attachment(user, pk) -> Attachment | None:
    """The attachment `pk` if `user` may see it, else None (callers 404)."""
    attachment = (
        Attachment.objects.select_related("item__community", "reply", "community")
        .filter(pk=pk)
        .first()
    )
    if attachment is None or not can_view_attachment(user, attachment):
        return None
    return attachment


def item_attachments(*, item, reply_ids=()) -> tuple[list, dict]:
    """The files of an item (for its page): the item's own, and the replies'
    grouped by reply id. One query."""
    own, by_reply = [], {}
    for attachment in Attachment.objects.filter(item=item).order_by("created_at"):
        if attachment.reply_id is None:
            own.append(attachment)
        else:
            by_reply.setdefault(attachment.reply_id, []).append(attachment)
    return own, by_reply


def accept_attribute() -> str:
    """For <input type=file accept=…>: a hint to the browser's file picker."""
    return ",".join(f".{ext}" for ext in sorted(BY_EXTENSION))


def limits_help() -> str:
    limits = settings.ATTACHMENT_MAX_MB
    return (
        _(
            "Images (JPEG, PNG, GIF, WebP) up to %(image)s MB, PDF up to %(pdf)s MB, "
            "audio (MP3, M4A, Ogg, WAV) up to %(audio)s MB, short video (MP4, WebM, "
            "MOV) up to %(video)s MB. Photos are resized and their location and "
            "camera data removed."
        )
        % limits
    )


# --- Housekeeping ------------------------------------------------------------------

PENDING_DAYS = 7


def attachments_prune(*, now=None) -> int:
    """Delete files uploaded but never published (the form abandoned), after
    PENDING_DAYS, unless one of the uploader's drafts still refers to them.
    Files first, then rows: a crash in between leaves a row whose file is
    gone (the view answers 404), never a file nobody can reach or delete.
    Idempotent; returns how many went."""
    from datetime import timedelta

    from django.utils import timezone

    from knowledge.models import Draft

    cutoff = (now or timezone.now()) - timedelta(days=PENDING_DAYS)
    stale = list(Attachment.objects.filter(item__isnull=True, created_at__lt=cutoff))
    if not stale:
        return 0
    kept = set()
    bodies = Draft.objects.filter(author_id__in={a.uploader_id for a in stale})
    for body in bodies.values_list("body", flat=True):
        kept |= referenced_ids(body)
    gone = [a for a in stale if str(a.pk) not in kept]
    for attachment in gone:
        for stored in (attachment.file, attachment.thumbnail):
            if stored:
                stored.storage.delete(stored.name)
    Attachment.objects.filter(pk__in=[a.pk for a in gone]).delete()
    return len(gone)
