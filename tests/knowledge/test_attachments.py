"""Uploads in items and replies: checked by content, images cleaned, files
served only to those who may see the item, never as public URLs."""

import io
import re
import uuid

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from PIL import Image

from communities.services.membership import community_leave
from knowledge import attachments, services
from knowledge.models import Attachment, Item, Reply
from tests.knowledge.conftest import login
from tests.knowledge.files import jpeg, pdf, photo_with_location, upload
from tests.knowledge.roles import READERS, ROLES, build_world
from tests.members.factories import UserFactory


def create_url(community):
    return reverse("knowledge:item_create", kwargs={"slug": community.slug})


def publish(client, community, **extra):
    data = {"kind": "story", "title": "Our board", "body": "Look:", "tags": "lean"}
    data.update(extra)
    return client.post(create_url(community), data)


def attach(user, community, file):
    return attachments.attachment_upload(
        acting_user=user, community=community, upload=file
    )


def attach_to(item, user, file):
    """Upload `file` as `user` and save it into `item`'s text by an edit."""
    attachment = attach(user, item.community, file)
    services.item_update(
        item=item,
        acting_user=user,
        kind=item.kind,
        title=item.title,
        body=attachments.markdown_reference(attachment),
        tags=[],
    )
    attachment.refresh_from_db()
    return attachment


def image_in(response):
    return re.search(r'<img[^>]+src="(/files/[^"]+)"', response.content.decode())[1]


# --- Publishing with a file -------------------------------------------------------


def test_an_image_published_with_an_item_shows_inline(client, member, community):
    login(client, member)
    response = publish(client, community, attachment=jpeg())
    item = Item.objects.get()
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.item == item and attachment.reply is None
    assert f"![board]({attachment.get_absolute_url()})" in item.body
    page = client.get(item.get_absolute_url())
    src = image_in(page)
    assert src == attachment.get_absolute_url()
    served = client.get(src)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_upload_button_inserts_the_reference_and_keeps_everything(
    client, member, community
):
    login(client, member)
    response = publish(client, community, attachment=pdf(), upload="1")
    html = response.content.decode()
    attachment = Attachment.objects.get()
    assert not Item.objects.exists()
    assert attachment.item is None  # pending until published
    assert "Our board" in html and "lean" in html
    assert f"[checklist.pdf]({attachment.get_absolute_url()})" in html
    body = f"Look:\n\n[checklist.pdf]({attachment.get_absolute_url()})"
    publish(client, community, body=body)
    attachment.refresh_from_db()
    assert attachment.item == Item.objects.get()


def test_photos_are_resized_turned_upright_and_stripped_of_exif(member, community):
    attachment = attach(
        member, community, upload("holiday.jpeg", photo_with_location(), "image/jpeg")
    )
    assert attachment.name == "holiday.jpg"
    stored = Image.open(attachment.file.open("rb"))
    # 3000×2000 with orientation 6 is upright at 2000×3000, then shrunk.
    assert stored.size == (1067, 1600) == (attachment.width, attachment.height)
    assert not stored.getexif()
    assert b"Secret Camera" not in attachment.file.open("rb").read()
    thumb = Image.open(attachment.thumbnail.open("rb"))
    assert max(thumb.size) == 400


def test_a_big_photo_decoded_at_reduced_scale_keeps_its_display_size(member, community):
    big = upload("big.jpg", photo_with_location(size=(4000, 3000)), "image/jpeg")
    attachment = attach(member, community, big)
    assert (attachment.width, attachment.height) == (1200, 1600)
    assert not Image.open(attachment.file.open("rb")).getexif()


def test_stored_names_are_random_and_never_served_directly(client, member, community):
    first = attach(member, community, jpeg("same.jpg"))
    second = attach(member, community, jpeg("same.jpg"))
    assert first.file.name != second.file.name
    assert "same" not in first.file.name
    location = str(storages["attachments"].location)
    assert "static" not in location
    # Nothing serves the storage's own paths: only the checked view.
    login(client, member)
    for url in (first.file.url, f"/media/attachments/{first.file.name}"):
        assert client.get(url).status_code == 404


# --- Bad files: refused with a message, nothing else lost ------------------------

BAD = [
    ("notes.png", b"<html><script>alert(1)</script></html>", "is not the PNG file"),
    ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not the JPEG file"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "could not be read"),
    ("tool.exe", b"MZ\x90\x00", "cannot be attached"),
    ("vector.svg", b"<svg onload=alert(1)>", "cannot be attached"),
    ("empty.pdf", b"", "cannot be attached"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD)
def test_bad_files_are_refused_and_the_form_keeps_what_was_typed(
    client, member, community, name, content, message
):
    if name == "empty.pdf":
        message = "is not the PDF file"
    login(client, member)
    response = publish(
        client,
        community,
        title="Kept title",
        body="Kept body",
        tags="kept-tag",
        attachment=upload(name, content),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Kept title" in html and "Kept body" in html and "kept-tag" in html
    assert not Item.objects.exists() and not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused(client, member, community, settings):
    settings.ATTACHMENT_MAX_MB = {**settings.ATTACHMENT_MAX_MB, "pdf": 1}
    login(client, member)
    response = publish(client, community, attachment=pdf(size=1_200_000))
    html = response.content.decode()
    assert "may be at most 1 MB" in html and "Our board" in html
    assert not Item.objects.exists() and not Attachment.objects.exists()


def test_an_image_too_large_to_decode_safely_is_refused(member, community):
    from django.core.exceptions import ValidationError

    huge = upload("huge.png", _png(8000, 6000), "image/png")
    with pytest.raises(ValidationError, match="too large to show"):
        attach(member, community, huge)


def _png(width, height):
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


def test_a_bad_file_on_a_reply_keeps_the_reply_text(client, member, story):
    login(client, member)
    url = reverse(
        "knowledge:reply_create", kwargs={"slug": story.community.slug, "pk": story.pk}
    )
    response = client.post(
        url, {"body": "My kept reply", "attachment": upload("x.pdf", b"nope")}
    )
    html = response.content.decode()
    assert "is not the PDF file" in html and "My kept reply" in html
    assert not Reply.objects.exists()


def test_a_reply_with_a_pdf_offers_it_for_download(client, member, story):
    login(client, member)
    url = reverse(
        "knowledge:reply_create", kwargs={"slug": story.community.slug, "pk": story.pk}
    )
    client.post(url, {"body": "Our checklist", "attachment": pdf()})
    attachment = Attachment.objects.get()
    assert attachment.reply == Reply.objects.get() and attachment.item == story
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="checklist.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_images_are_served_inline_with_safe_headers(client, member, community):
    attachment = attach(member, community, jpeg())
    response = login(client, member).get(attachment.get_absolute_url())
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    thumb = client.get(attachment.thumbnail_url)
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


# --- Who may fetch a file ---------------------------------------------------------

FETCH = READERS


@pytest.mark.parametrize("where", ["open", "private"])
@pytest.mark.parametrize("role", ROLES)
def test_file_permission_table(client, db, role, where):
    world = build_world()
    item = world.open_item if where == "open" else world.private_item
    attachment = attach_to(item, world.author, jpeg())
    assert attachment.item == item
    client = world.login(client, role)
    for url in (attachment.get_absolute_url(), attachment.thumbnail_url):
        response = client.get(url)
        assert response.status_code == FETCH[where][role], url
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


def test_a_guessed_id_or_name_finds_nothing(client, member, secret):
    attachment = attach_to(secret, member, jpeg())
    outsider = UserFactory()
    login(client, outsider)
    guessed = reverse("knowledge:file", kwargs={"pk": uuid.uuid4(), "name": "a.jpg"})
    assert client.get(guessed).status_code == 404
    renamed = reverse("knowledge:file", kwargs={"pk": attachment.pk, "name": "x.jpg"})
    assert client.get(renamed).status_code == 404
    assert client.get("/files/../media/attachments/").status_code == 404


def test_a_private_file_is_unreachable_after_leaving(client, member, secret):
    attachment = attach_to(secret, member, jpeg())
    login(client, member)
    assert client.get(attachment.get_absolute_url()).status_code == 200
    community_leave(acting_user=member, community=secret.community)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert client.get(attachment.thumbnail_url).status_code == 404


def test_a_file_not_yet_published_is_its_uploaders_alone(
    client, member, other_member, steward, community
):
    attachment = attach(member, community, jpeg())
    assert login(client, member).get(attachment.get_absolute_url()).status_code == 200
    for someone in (other_member, steward):
        response = login(client, someone).get(attachment.get_absolute_url())
        assert response.status_code == 404


def test_someone_elses_pending_file_is_not_taken_over(
    client, member, steward, community, story
):
    """Referring to another member's pending upload does not publish it."""
    attachment = attach(member, community, jpeg())
    services.item_update(
        item=story,
        acting_user=steward,
        kind=story.kind,
        title=story.title,
        body=attachments.markdown_reference(attachment),
        tags=[],
    )
    attachment.refresh_from_db()
    assert attachment.item is None


def test_a_hidden_replys_files_are_for_its_author_and_stewards(
    client, member, other_member, steward, story
):
    attachment = attach(member, story.community, pdf())
    reply = services.reply_create(
        item=story, author=member, body=attachments.markdown_reference(attachment)
    )
    services.reply_hide(reply=reply, acting_user=steward)
    url = attachment.get_absolute_url()
    assert login(client, other_member).get(url).status_code == 404
    assert login(client, member).get(url).status_code == 200
    assert login(client, steward).get(url).status_code == 200


def test_upload_is_refused_to_those_who_may_not_post(client, other_member, community):
    login(client, other_member)
    response = publish(client, community, attachment=jpeg())
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_behind_nginx_the_view_only_decides(client, member, community, settings):
    settings.ATTACHMENTS_X_ACCEL_PREFIX = "/protected-attachments/"
    attachment = attach(member, community, pdf())
    response = login(client, member).get(attachment.get_absolute_url())
    assert response["X-Accel-Redirect"] == (
        f"/protected-attachments/{attachment.file.name}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b""
    outsider = login(client, UserFactory())
    assert outsider.get(attachment.get_absolute_url()).status_code == 404


def test_abandoned_uploads_are_pruned_after_a_week(member, community, story):
    import datetime as dt

    from django.utils import timezone

    from knowledge import drafts
    from knowledge.tasks import attachments_prune

    abandoned = attach(member, community, jpeg())
    in_a_draft = attach(member, community, jpeg())
    published = attach_to(story, member, jpeg())
    fresh = attach(member, community, pdf())
    drafts.draft_save(
        acting_user=member,
        community=community,
        kind="story",
        title="Later",
        body=attachments.markdown_reference(in_a_draft),
        tags="",
    )
    old = timezone.now() - dt.timedelta(days=8)
    Attachment.objects.exclude(pk=fresh.pk).update(created_at=old)
    storage = abandoned.file.storage
    assert attachments_prune() == 1
    left = set(Attachment.objects.values_list("pk", flat=True))
    assert left == {in_a_draft.pk, published.pk, fresh.pk}
    assert not storage.exists(abandoned.file.name)
    assert not storage.exists(abandoned.thumbnail.name)
    assert attachments_prune() == 0
