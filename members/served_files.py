"""Answering with a file from the private "attachments" storage, once a view
has decided the reader may have it: never a public URL."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse


def private_file_response(storage, name: str, *, content_type: str):
    """The file `name` of `storage` as the response, or nginx's
    X-Accel-Redirect to it when configured; 404 when the file is gone.
    Callers add Content-Disposition and Cache-Control."""
    if settings.ATTACHMENTS_X_ACCEL_PREFIX:
        # nginx sends the file from its internal location; Django only decided.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.ATTACHMENTS_X_ACCEL_PREFIX + name
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
