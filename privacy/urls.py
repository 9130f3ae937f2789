from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_request, name="export_request"),
    path("export/<str:token>/", views.export_download, name="export_download"),
    path("erase/", views.erase, name="erase"),
    path("erase/<slug:username>/", views.erase, name="erase_member"),
]
