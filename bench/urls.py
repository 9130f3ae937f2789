"""The production URLconf plus the floor view, for bench.run's server only."""

from django.urls import path

from bench import views
from config.urls import handler403, handler404, handler500, urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    *urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
