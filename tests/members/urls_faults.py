"""The project's URLs plus two views that fail, for the error-page tests."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def database_unreachable(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("test-faults/database", database_unreachable),
    path("test-faults/bug", bug),
    *urlpatterns,
]
