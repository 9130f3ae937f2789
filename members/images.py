"""Decoding and re-encoding uploaded pictures with Pillow, for every app that
takes them (knowledge's attachments, members' avatars).

An upload is decoded only after its size in pixels is checked (a
decompression bomb is refused, not decoded), turned upright by its EXIF
orientation, and written again from its pixels alone: EXIF, GPS, XMP, ICC
and comments stay behind."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Refuse decompression bombs before decoding: 40 megapixels is a big photo.
IMAGE_MAX_PIXELS = 40_000_000


def image_upright(upload, *, draft_side: int | None = None) -> tuple[Image.Image, str]:
    """The upload's pixels, upright, and the format it was in ("JPEG");
    ValidationError (naming the file) when
    it does not decode or is too large to. `draft_side`: the largest side
    the caller will keep, so libjpeg may decode a big JPEG at 1/2 to 1/8
    scale (4x to 16x fewer pixels)."""
    damaged = _("%(name)s could not be read as an image: it may be damaged.") % {
        "name": upload.name
    }
    try:
        with Image.open(upload) as source:
            width, height = source.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s is %(w)s×%(h)s pixels: too large to show.")
                    % {"name": upload.name, "w": width, "h": height}
                )
            scale = (draft_side or max(width, height)) / max(width, height)
            if source.format == "JPEG" and scale < 1:
                source.draft(source.mode, (int(width * scale), int(height * scale)))
            source.load()
            image, fmt = ImageOps.exif_transpose(source), source.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(damaged) from error
    except Image.DecompressionBombError as error:
        raise ValidationError(damaged) from error
    return image, fmt


def image_pixels_only(image: Image.Image, fmt: str) -> Image.Image:
    """A copy of the pixels in a mode `fmt` can store, without metadata."""
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def image_encoded(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()
