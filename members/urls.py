from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/edit/", views.edit, name="edit"),
    path("me/photo/remove/", views.avatar_remove, name="avatar_remove"),
    path("me/language/", views.language_choose, name="language"),
    path("<slug:username>/", views.profile, name="profile"),
    path("<slug:username>/role/", views.set_role, name="set_role"),
    path(
        "<slug:username>/avatar/<int:side>/<slug:version>/",
        views.avatar,
        name="avatar",
    ),
]
