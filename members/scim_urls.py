"""SCIM 2.0 endpoints (django-scim2's views, namespace "scim" as its adapters
expect), under /scim/v2/. Every view needs the IdP's bearer token
(members.scim_auth). Groups are not provisioned yet: 501, as RFC 7644 says
for what a service provider does not support."""

from django.urls import re_path
from django_scim import exceptions
from django_scim import views as scim_views

app_name = "scim"


class UsersView(scim_views.UsersView):
    def get_object(self):
        # Ids are primary keys: anything else is simply not found (not a 500).
        uuid = str(self.kwargs.get(self.lookup_url_kwarg) or "")
        if not uuid.isdigit() or len(uuid) > 18:
            raise exceptions.NotFoundError(uuid)
        return super().get_object()


urlpatterns = [
    re_path(r"^$", scim_views.SCIMView.as_view(implemented=False), name="root"),
    re_path(
        r"^\.search$", scim_views.SearchView.as_view(implemented=False), name="search"
    ),
    re_path(
        r"^Users/\.search$", scim_views.UserSearchView.as_view(), name="users-search"
    ),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", UsersView.as_view(), name="users"),
    re_path(
        r"^Groups/\.search$",
        scim_views.SCIMView.as_view(implemented=False),
        name="groups-search",
    ),
    re_path(
        r"^Groups(?:/(?P<uuid>[^/]+))?$",
        scim_views.SCIMView.as_view(implemented=False),
        name="groups",
    ),
    re_path(r"^Me$", scim_views.SCIMView.as_view(implemented=False), name="me"),
    re_path(
        r"^ServiceProviderConfig$",
        scim_views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        scim_views.ResourceTypesView.as_view(),
        name="resource-types",
    ),
    re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        scim_views.SchemasView.as_view(),
        name="schemas",
    ),
    re_path(r"^Bulk$", scim_views.SCIMView.as_view(implemented=False), name="bulk"),
]
