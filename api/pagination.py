"""Keyset (cursor) pages: the next page is found from the last row's
position, with no count and no OFFSET, however deep. A malformed cursor is a
404 with a message, never a 500."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class NewestFirstCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = _("That page cursor is not valid: start again.")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValidationError, ValueError, OverflowError):
            # A position that is not a date or a number of this list.
            raise NotFound(self.invalid_cursor_message) from None


class OldestFirstCursor(NewestFirstCursor):
    ordering = ("created_at", "id")


class ByNameCursor(NewestFirstCursor):
    ordering = ("name", "id")


class ByDisplayNameCursor(NewestFirstCursor):
    ordering = ("display_name", "id")
