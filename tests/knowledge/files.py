"""Files to upload in tests, made with Pillow at run time."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="JPEG", size=(40, 30), color=(200, 30, 30), exif=None) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def photo_with_location(size=(3000, 2000)) -> bytes:
    """A JPEG carrying EXIF: camera model, GPS position, orientation 6."""
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 9000"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    gps = {1: "N", 2: (52.0, 30.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    exif[0x8825] = gps
    return image_bytes(size=size, exif=exif)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name="board.jpg", **kwargs):
    return upload(name, image_bytes(**kwargs), "image/jpeg")


def pdf(name="checklist.pdf", size=2000):
    body = b"%PDF-1.4\n" + b"0" * max(0, size - 15) + b"\n%%EOF\n"
    return upload(name, body, "application/pdf")
