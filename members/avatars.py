"""Avatars: a member's uploaded photo, else their initials on a colour of
their own.

An uploaded photo (JPEG, PNG or WebP up to settings.AVATAR_MAX_MB) is
decoded with Pillow (members.images: bombs refused, turned upright, metadata
dropped), cropped to its centre square and stored as WebP at AVATAR_SIZES
in the private "attachments" storage, named by the member's id and
`avatar_version`. It is served only to signed-in members by
members.views.avatar, cached for a year under that version; the version is
on the User row, so lists of people need no query to show it.

The colour is picked from the person's id, so it is the same on every page
and never changes with a renamed profile; every colour in the palette keeps
white initials at a contrast of at least 4.5:1 (tests check it). Rendered as
a small inline SVG on the server: no image request, nothing for the CSP to
block (presentation attributes, no style)."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from PIL import Image

from members.images import image_encoded, image_pixels_only, image_upright

# Stored sides in pixels, largest first; a page asks for any size and gets
# the smallest stored one that covers it.
AVATAR_SIZES = (256, 64)
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}

# Dark enough for white text (contrast >= 4.5:1), distinct from each other.
PALETTE = (
    "#1f5f99",
    "#8a3b12",
    "#5b3a8e",
    "#2e6b30",
    "#a0204f",
    "#00676b",
    "#6b4e16",
    "#3d4f9f",
    "#8b2c8b",
    "#4a5a1a",
    "#b3261e",
    "#335c67",
)


def initials(name: str) -> str:
    """ "María López" -> "ML"; "Cher" -> "C"; nothing -> "?"."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_for(key) -> str:
    digest = hashlib.sha256(str(key).encode()).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def _storage():
    return storages["attachments"]


def avatar_path(member_id: int, version: str, side: int) -> str:
    return f"avatars/{member_id}/{version}-{side}.webp"


def side_for(size: int) -> int:
    """The stored side to send for a picture shown at `size` CSS pixels
    (twice that on high-density screens, within reason)."""
    fits = [side for side in AVATAR_SIZES if side >= size * 2]
    return min(fits) if fits else max(AVATAR_SIZES)


def accept_attribute() -> str:
    return ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"


def avatar_images(upload) -> dict[int, bytes]:
    """Each stored side's WebP bytes for an uploaded photo, or a
    ValidationError saying what is wrong with it (checked by content, not
    by its name)."""
    limit = settings.AVATAR_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is %(size).1f MB; a photo may be at most %(limit)s MB.")
            % {"name": upload.name, "size": upload.size / 1024 / 1024, "limit": limit}
        )
    if not upload.size:
        raise ValidationError(_("%(name)s is empty.") % {"name": upload.name})
    image, fmt = image_upright(upload, draft_side=max(AVATAR_SIZES))
    if fmt not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("%(name)s is not a JPEG, PNG or WebP picture.") % {"name": upload.name}
        )
    clean = image_pixels_only(image, "WEBP")
    side = min(clean.size)
    left, top = (clean.width - side) // 2, (clean.height - side) // 2
    square = clean.crop((left, top, left + side, top + side))
    return {
        size: image_encoded(square.resize((size, size), Image.LANCZOS), "WEBP")
        for size in AVATAR_SIZES
    }


def avatar_files_save(*, member_id: int, images: dict[int, bytes]) -> str:
    """Store a photo's sizes under a new version; returns the version."""
    version = secrets.token_hex(6)
    for side, content in images.items():
        _storage().save(avatar_path(member_id, version, side), ContentFile(content))
    return version


def avatar_files_delete(*, member_id: int, version: str) -> None:
    """Idempotent: a file already gone is fine."""
    if version:
        for side in AVATAR_SIZES:
            _storage().delete(avatar_path(member_id, version, side))


def avatar_file(member) -> bytes | None:
    """The largest stored size of a member's photo (their data export)."""
    if not member.avatar_version:
        return None
    path = avatar_path(member.pk, member.avatar_version, max(AVATAR_SIZES))
    try:
        with _storage().open(path, "rb") as source:
            return source.read()
    except (FileNotFoundError, OSError):
        return None


def avatar_html(person, size: int = 32) -> str:
    """The person's photo when they uploaded one, else their initials.
    Decorative (empty alt, like the SVG's aria-hidden): the person's name is
    always written next to it, and a screen reader should not say it twice."""
    version = getattr(person, "avatar_version", "")
    username = getattr(person, "username", "")
    if not version or not username:
        return avatar_svg(person, size=size)
    url = reverse(
        "members:avatar",
        kwargs={"username": username, "side": side_for(size), "version": version},
    )
    return format_html(
        '<img class="avatar" src="{url}" width="{size}" height="{size}" alt="" '
        'loading="lazy" decoding="async">',
        url=url,
        size=size,
    )


def avatar_svg(person, size: int = 32) -> str:
    """Decorative (aria-hidden): the person's name is always written next to it."""
    name = getattr(person, "display_name", "") or str(person)
    return format_html(
        '<svg class="avatar" width="{size}" height="{size}" viewBox="0 0 40 40" '
        'aria-hidden="true" focusable="false"><circle cx="20" cy="20" r="20" '
        'fill="{colour}"/><text x="20" y="20" dy=".35em" text-anchor="middle" '
        'fill="#fff" font-size="16" font-weight="600" '
        'font-family="system-ui, sans-serif">{letters}</text></svg>',
        size=size,
        colour=colour_for(getattr(person, "pk", name)),
        letters=initials(name),
    )
