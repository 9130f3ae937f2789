"""Demo photos: a few people get a drawn portrait (a head and shoulders on a
colour, made with Pillow here, a few KB), uploaded through the same path as
the profile form, so lists show photos next to initials. Idempotent."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from members.avatars import avatar_images
from members.models import User
from members.services import avatar_set

# username -> (background, clothes)
WITH_PHOTO = {
    "maria-lopez": ((214, 228, 240), (31, 95, 153)),
    "jon-ito": ((240, 226, 210), (107, 78, 22)),
    "sam-okafor": ((222, 238, 222), (46, 107, 48)),
    "fatima-zahra": ((236, 222, 240), (91, 58, 142)),
}


def portrait(background, clothes) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 320), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 210, 280, 420), fill=clothes)  # shoulders
    draw.ellipse((105, 70, 215, 190), fill=(224, 180, 140))  # head
    out = io.BytesIO()
    image.save(out, "PNG")
    return SimpleUploadedFile("portrait.png", out.getvalue(), "image/png")


def seed(stdout):
    given = 0
    people = User.objects.filter(username__in=WITH_PHOTO, avatar_version="")
    for member in people:
        avatar_set(
            member=member, images=avatar_images(portrait(*WITH_PHOTO[member.username]))
        )
        given += 1
    stdout.write(f"Photos: {given} added.")
