"""Serving attached files: only to those who may see them, never as a public
URL, with headers that keep a browser from treating a file as a page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from knowledge.attachments import access_attachment
from members.served_files import private_file_response


@login_required
@require_GET
def file(request, pk, name, thumbnail=False):
    """The file (or an image's thumbnail). 404 for anyone who may not see
    it: the same answer as for an id that does not exist. `name` is only
    for people and downloads; the id decides."""
    attachment = access_attachment(request.user, pk)
    if attachment is None:
        raise Http404
    stored = (
        attachment.thumbnail if thumbnail and attachment.thumbnail else attachment.file
    )
    inline = attachment.is_image
    response = private_file_response(
        stored.storage, stored.name, content_type=attachment.content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        not inline, attachment.name
    )
    # Readers' browsers may keep it; shared caches must not.
    response["Cache-Control"] = "private, max-age=3600"
    return response
