"""Uploaded avatars: a member's photo, checked by content, cleaned, cropped,
stored privately at two sizes, shown wherever the person is named and served
only to signed-in members under a version; removed after a confirmation,
deleted with an erased account, included in the data export."""

import io
import zipfile

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from members import images as member_images
from members import services
from members.avatars import AVATAR_SIZES, avatar_html, avatar_images, avatar_path
from members.models import LeadershipRole
from privacy.erasure import member_erase
from privacy.exports import _zip_bytes
from tests.knowledge.files import image_bytes, jpeg, photo_with_location, upload
from tests.members.factories import UserFactory
from tests.members.test_profile import _edit_data

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("members:edit")
REMOVE_URL = reverse("members:avatar_remove")


def _stored(member, side, version=None):
    return avatar_path(member.pk, version or member.avatar_version, side)


def _exists(member, side, version=None):
    return storages["attachments"].exists(_stored(member, side, version))


def _open_stored(member, side) -> Image.Image:
    with storages["attachments"].open(_stored(member, side), "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def _give_photo(member, **kwargs):
    return services.avatar_set(
        member=member, images=avatar_images(jpeg(size=(120, 90), **kwargs))
    )


def _avatar_url(member, side=64, version=None):
    return reverse(
        "members:avatar",
        kwargs={
            "username": member.username,
            "side": side,
            "version": version or member.avatar_version,
        },
    )


# --- Uploading ----------------------------------------------------------------


def test_a_member_uploads_a_photo_stored_square_at_two_sizes(member_client, member):
    response = member_client.post(
        EDIT_URL, _edit_data(photo=jpeg("me.jpg", size=(300, 200)))
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.avatar_version
    for side in AVATAR_SIZES:
        image = _open_stored(member, side)
        assert image.format == "WEBP" and image.size == (side, side)
    assert member.job_title == "Process engineer"  # the rest was saved too


def test_the_photo_is_upright_and_without_location_or_camera_data(
    member_client, member
):
    # Orientation 6 (shown rotated 90° clockwise): red left half, blue right.
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 9000"
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (52.0, 30.0, 0.0), 3: "E", 4: (13.0, 24.0, 0.0)}
    source = Image.new("RGB", (200, 100), (220, 0, 0))
    source.paste((0, 0, 220), (100, 0, 200, 100))
    raw = io.BytesIO()
    source.save(raw, "JPEG", exif=exif, quality=95)
    member_client.post(
        EDIT_URL, _edit_data(photo=upload("me.jpg", raw.getvalue(), "image/jpeg"))
    )
    member.refresh_from_db()
    image = _open_stored(member, 256)
    assert not image.getexif() and "exif" not in image.info
    assert "xmp" not in image.info and "icc_profile" not in image.info
    with storages["attachments"].open(_stored(member, 256), "rb") as handle:
        assert b"Secret Camera" not in handle.read()
    # Turned upright: red is now on top, across the whole width.
    top_right, bottom_left = image.getpixel((250, 5)), image.getpixel((5, 250))
    assert top_right[0] > 150 and top_right[2] < 80
    assert bottom_left[2] > 150 and bottom_left[0] < 80


def test_a_big_camera_photo_is_accepted():
    images = avatar_images(upload("p.jpg", photo_with_location(), "image/jpeg"))
    assert set(images) == set(AVATAR_SIZES)


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (upload("me.png", b"#!/bin/sh\necho hi\n", "image/png"), "could not be read"),
        (upload("me.jpg", b"", "image/jpeg"), "empty"),
        (
            upload("me.gif", image_bytes(fmt="GIF"), "image/gif"),
            "not a JPEG, PNG or WebP",
        ),
    ],
    ids=["not-an-image", "empty", "gif"],
)
def test_a_bad_file_is_refused_and_what_was_typed_stays(
    member_client, member, photo, message
):
    response = member_client.post(
        EDIT_URL, _edit_data(photo=photo, job_title="Typed, not saved")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["photo"]
    assert message in " ".join(errors)
    assert 'value="Typed, not saved"' in response.content.decode()
    member.refresh_from_db()
    assert member.avatar_version == "" and member.job_title != "Typed, not saved"


def test_a_photo_over_the_size_limit_is_refused(member_client, member, settings):
    settings.AVATAR_MAX_MB = 1
    big = image_bytes(size=(50, 50)) + b"\0" * (1024 * 1024)
    response = member_client.post(
        EDIT_URL, _edit_data(photo=upload("big.jpg", big, "image/jpeg"))
    )
    assert response.status_code == 200
    assert "at most 1 MB" in " ".join(response.context["form"].errors["photo"])
    member.refresh_from_db()
    assert member.avatar_version == ""


def test_a_decompression_bomb_is_refused_before_decoding(
    member_client, member, monkeypatch
):
    monkeypatch.setattr(member_images, "IMAGE_MAX_PIXELS", 100)
    response = member_client.post(EDIT_URL, _edit_data(photo=jpeg(size=(20, 20))))
    assert "too large" in " ".join(response.context["form"].errors["photo"])


def test_a_new_photo_replaces_the_old_files(member, django_capture_on_commit_callbacks):
    _give_photo(member)
    old = member.avatar_version
    with django_capture_on_commit_callbacks(execute=True):
        _give_photo(member, color=(0, 90, 0))
    assert member.avatar_version != old
    assert all(_exists(member, side) for side in AVATAR_SIZES)
    assert not any(_exists(member, side, old) for side in AVATAR_SIZES)


def test_the_edit_form_posts_files_with_csrf(member_client):
    html = member_client.get(EDIT_URL).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="photo"' in html and "csrfmiddlewaretoken" in html
    assert REMOVE_URL not in html  # nothing to remove yet


# --- Removing -----------------------------------------------------------------


def test_removing_asks_first_then_goes_back_to_initials(
    member_client, member, django_capture_on_commit_callbacks
):
    _give_photo(member)
    version = member.avatar_version
    assert REMOVE_URL in member_client.get(EDIT_URL).content.decode()
    for asked in (member_client.get(REMOVE_URL), member_client.post(REMOVE_URL)):
        assert asked.status_code == 200
        assert 'name="confirmed" value="yes"' in asked.content.decode()
    member.refresh_from_db()
    assert member.avatar_version == version
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(REMOVE_URL, {"confirmed": "yes"})
    assert response.status_code == 302 and response.url == EDIT_URL
    member.refresh_from_db()
    assert member.avatar_version == ""
    assert not any(_exists(member, side, version) for side in AVATAR_SIZES)
    assert member_client.get(_avatar_url(member, version=version)).status_code == 404


def test_removing_without_a_photo_or_signed_out(client, member_client):
    assert member_client.post(REMOVE_URL, {"confirmed": "yes"}).status_code == 302
    client.logout()
    response = client.post(REMOVE_URL, {"confirmed": "yes"})
    assert response.status_code == 302 and "login" in response.url


# --- Serving ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("anonymous", 302),
        ("owner", 200),
        ("any_member", 200),  # an outsider to every community the owner is in
        ("staff", 200),
    ],
)
def test_who_sees_a_photo(client, member, other_member, staff, viewer, status):
    _give_photo(member)
    users = {"owner": member, "any_member": other_member, "staff": staff}
    if viewer in users:
        client.force_login(users[viewer])
    response = client.get(_avatar_url(member))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (
            64,
            64,
        )
    else:
        assert "login" in response.url


def test_no_photo_for_inactive_members_old_versions_or_odd_sizes(
    member_client, other_member
):
    _give_photo(other_member)
    assert member_client.get(_avatar_url(other_member, side=256)).status_code == 200
    for url in (
        _avatar_url(other_member, side=128),
        _avatar_url(other_member, version="0123456789ab"),
        f"/media/attachments/{_stored(other_member, 64)}",
    ):
        assert member_client.get(url).status_code == 404
    other_member.is_active = False
    other_member.save(update_fields=["is_active"])
    assert member_client.get(_avatar_url(other_member)).status_code == 404


def test_a_lost_file_is_404_not_500(member_client, other_member):
    _give_photo(other_member)
    storages["attachments"].delete(_stored(other_member, 64))
    assert member_client.get(_avatar_url(other_member)).status_code == 404


def test_nginx_sends_the_file_when_configured(member_client, other_member, settings):
    settings.ATTACHMENTS_X_ACCEL_PREFIX = "/protected-attachments/"
    _give_photo(other_member)
    response = member_client.get(_avatar_url(other_member))
    assert response["X-Accel-Redirect"] == (
        f"/protected-attachments/{_stored(other_member, 64)}"
    )


# --- Everywhere a person is named -----------------------------------------------


def test_the_tag_shows_the_photo_or_else_the_initials(member):
    initials = str(avatar_html(member, 40))
    assert initials.startswith("<svg") and "<img" not in initials
    _give_photo(member)
    small, large = str(avatar_html(member, 24)), str(avatar_html(member, 72))
    assert small.startswith('<img class="avatar"') and 'alt=""' in small
    assert 'width="24" height="24"' in small and _avatar_url(member, 64) in small
    assert 'width="72"' in large and _avatar_url(member, 256) in large


def test_pages_show_the_photo(member_client, member, other_member):
    _give_photo(other_member)
    html = member_client.get(
        reverse("members:profile", kwargs={"username": other_member.username})
    ).content.decode()
    assert _avatar_url(other_member, 256) in html
    directory = member_client.get(reverse("members:directory")).content.decode()
    assert _avatar_url(other_member, 256) in directory  # shown at 40 px


@pytest.mark.parametrize("size", [5, 40])
def test_the_directory_costs_no_query_per_photo(
    member_client, django_assert_num_queries, size
):
    for n in range(size):
        person = UserFactory(
            display_name=f"Person {n:03}",
            leadership_role=LeadershipRole.NETWORKER,
            expertise=["lean"],
        )
        if n % 2:
            person.avatar_version = f"v{n}"
            person.save(update_fields=["avatar_version"])
    # session, user, unread badge, tag options, count, page, page's tags
    with django_assert_num_queries(7):
        response = member_client.get(reverse("members:directory"))
    assert response.content.decode().count('<img class="avatar"') > 1


# --- Privacy ------------------------------------------------------------------


def test_erasure_deletes_the_photo(member, django_capture_on_commit_callbacks):
    _give_photo(member)
    version = member.avatar_version
    with django_capture_on_commit_callbacks(execute=True):
        erased = member_erase(member=member)
    assert erased.avatar_version == ""
    assert not any(_exists(member, side, version) for side in AVATAR_SIZES)


def test_the_export_holds_the_photo(member):
    _give_photo(member)
    archive = zipfile.ZipFile(io.BytesIO(_zip_bytes(member)))
    photo = Image.open(io.BytesIO(archive.read("avatar.webp")))
    assert photo.size == (256, 256)
    services.avatar_remove(member=member)
    member.refresh_from_db()
    assert (
        "avatar.webp" not in zipfile.ZipFile(io.BytesIO(_zip_bytes(member))).namelist()
    )
