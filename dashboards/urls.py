from django.urls import path

from dashboards import audit_views, network_views, views

app_name = "dashboards"

# Full paths: config/urls.py includes this module at the root, so the
# community dashboard sits under the community's own address.
urlpatterns = [
    path("dashboards/", views.index, name="index"),
    path("communities/<slug:slug>/dashboard/", views.community, name="community"),
    path("dashboards/leaders/", network_views.leaders, name="leaders"),
    path(
        "communities/<slug:slug>/dashboard/leaders/",
        network_views.community_leaders,
        name="community_leaders",
    ),
    path("dashboards/spread-next/", network_views.spread_next, name="spread_next"),
    path("dashboards/audit/", audit_views.audit, name="audit"),
    path(
        "communities/<slug:slug>/dashboard/audit/",
        audit_views.community_audit,
        name="community_audit",
    ),
    path("dashboards/journeys/", network_views.journeys, name="journeys"),
    path(
        "communities/<slug:slug>/dashboard/journeys/",
        network_views.community_journeys,
        name="community_journeys",
    ),
]
