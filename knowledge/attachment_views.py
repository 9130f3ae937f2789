"""Serving attached files: only to those who may see them, never as a public
URL, with headers that keep a browser from treating a file as a page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from knowledge.attachments import access_attachment


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
    if settings.ATTACHMENTS_X_ACCEL_PREFIX:
        # nginx sends the file from its internal location; Django only decided.
        response = HttpResponse(content_type=attachment.content_type)
        response["X-Accel-Redirect"] = settings.ATTACHMENTS_X_ACCEL_PREFIX + stored.name
    else:
        try:
            handle = stored.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        not inline, attachment.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Readers' browsers may keep it; shared caches must not.
    response["Cache-Control"] = "private, max-age=3600"
    return response
