from django.urls import path

from dashboards import views

app_name = "dashboards"

# Full paths: config/urls.py includes this module at the root, so the
# community dashboard sits under the community's own address.
urlpatterns = [
    path("dashboards/", views.index, name="index"),
    path("communities/<slug:slug>/dashboard/", views.community, name="community"),
]
