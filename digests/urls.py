from django.urls import path

from digests import views

app_name = "digests"

urlpatterns = [
    path("communities/<slug:slug>/digests/", views.digest_archive, name="archive"),
    path(
        "communities/<slug:slug>/digests/latest/",
        views.digest_latest,
        name="latest",
    ),
    path(
        "communities/<slug:slug>/digests/<int:pk>/",
        views.digest_detail,
        name="detail",
    ),
]
