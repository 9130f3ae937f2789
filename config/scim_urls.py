"""SCIM 2.0 endpoints (django-scim2's views, namespace "scim" as its adapters
expect), under /scim/v2/. Every view needs the IdP's bearer token
(members.scim_auth). Users: members.scim; groups: communities.scim. What
Practica does not support (bulk, /Me, search at the root) answers 501, as
RFC 7644 says."""

import json

from django.http import HttpResponse
from django.urls import re_path
from django_scim import exceptions
from django_scim import views as scim_views
from django_scim.constants import SCIM_CONTENT_TYPE, SchemaURI

app_name = "scim"
SCHEMA_URN_PREFIX = "urn:ietf:params:scim:schemas:core:2.0:"


def _top_level(attribute: str) -> str:
    """ "name.givenName" -> "name"; a full core URN path -> its attribute;
    anything of the enterprise extension -> the extension's key."""
    attribute = attribute.strip()
    lowered = attribute.lower()
    if lowered.startswith(SchemaURI.ENTERPRISE_USER.lower()):
        return SchemaURI.ENTERPRISE_USER.lower()
    if lowered.startswith(SchemaURI.USER.lower() + ":"):
        attribute = attribute[len(SchemaURI.USER) + 1 :]
    return attribute.split(".")[0].lower()


def _projected(resource: dict, attributes: str, excluded: str) -> dict:
    """RFC 7644 3.4.2.5: `attributes` (only these) or `excludedAttributes`
    (all but these) of each resource; id and schemas are always returned."""
    always = {"id", "schemas"}
    if attributes:
        wanted = {_top_level(a) for a in attributes.split(",")} | always
        return {k: v for k, v in resource.items() if k.lower() in wanted}
    if excluded:
        dropped = {_top_level(a) for a in excluded.split(",")} - always
        return {k: v for k, v in resource.items() if k.lower() not in dropped}
    return resource


def _project_response(response, attributes, excluded):
    if response.status_code != 200 or not (attributes or excluded):
        return response
    doc = json.loads(response.content)
    if "Resources" in doc:
        doc["Resources"] = [
            _projected(r, attributes, excluded) for r in doc["Resources"]
        ]
    else:
        doc = _projected(doc, attributes, excluded)
    response.content = json.dumps(doc)
    return response


class NotImplementedView(scim_views.SCIMView):
    """What Practica does not support: 501 with a SCIM error body."""

    implemented = False

    def status_501(self, request, *args, **kwargs):
        body = {
            "schemas": [SchemaURI.ERROR],
            "status": "501",
            "detail": "Not implemented.",
        }
        return HttpResponse(
            json.dumps(body), status=501, content_type=SCIM_CONTENT_TYPE
        )


class SearchProjected:
    def post(self, request, *args, **kwargs):
        body = self.load_body(request.body)
        response = super().post(request, *args, **kwargs)
        attributes = body.get("attributes") if isinstance(body, dict) else None
        excluded = body.get("excludedAttributes") if isinstance(body, dict) else None
        return _project_response(
            response,
            ",".join(attributes) if isinstance(attributes, list) else "",
            ",".join(excluded) if isinstance(excluded, list) else "",
        )


class UserSearchView(SearchProjected, scim_views.UserSearchView):
    pass


class GroupSearchView(SearchProjected, scim_views.GroupSearchView):
    pass


class ByPrimaryKey:
    def get_object(self):
        # Ids are primary keys: anything else is simply not found (not a 500).
        uuid = str(self.kwargs.get(self.lookup_url_kwarg) or "")
        if not uuid.isdigit() or len(uuid) > 18:
            raise exceptions.NotFoundError(uuid)
        return super().get_object()


class Projected:
    def get(self, request, *args, **kwargs):
        return _project_response(
            super().get(request, *args, **kwargs),
            request.GET.get("attributes", ""),
            request.GET.get("excludedAttributes", ""),
        )


class UsersView(Projected, ByPrimaryKey, scim_views.UsersView):
    pass


class GroupsView(Projected, ByPrimaryKey, scim_views.GroupsView):
    pass


class ListedDiscovery:
    """django-scim2's ResourceTypes and Schemas answer a ListResponse without
    totalResults and a bare 404; RFC 7644 (3.4.2, 3.12) wants both, as
    scim2-tester checks (tests/sso/test_scim_compliance.py)."""

    def get(self, request, uuid=None, *args, **kwargs):
        response = super().get(request, uuid, *args, **kwargs)
        if response.status_code == 404:
            raise exceptions.NotFoundError(uuid)
        doc = json.loads(response.content)
        if "Resources" in doc:
            doc["Resources"] = [self.complete(r) for r in doc["Resources"]]
            doc["totalResults"] = doc["itemsPerPage"] = len(doc["Resources"])
            doc["startIndex"] = 1
        else:
            doc = self.complete(doc)
        response.content = json.dumps(doc)
        response["Content-Type"] = SCIM_CONTENT_TYPE
        return response


class ResourceTypesView(ListedDiscovery, scim_views.ResourceTypesView):
    @staticmethod
    def complete(resource_type: dict) -> dict:
        # "endpoint" is relative to the SCIM base URL ("/Users"), not the site.
        endpoint = resource_type.get("endpoint", "")
        completed = {
            **resource_type,
            "endpoint": "/" + endpoint.rstrip("/").split("/")[-1],
        }
        if resource_type.get("id") == "User":
            # Department (the member's business unit) comes in the
            # enterprise extension.
            completed["schemaExtensions"] = [
                {"schema": SchemaURI.ENTERPRISE_USER, "required": False}
            ]
        return completed


class SchemasView(ListedDiscovery, scim_views.SchemasView):
    @staticmethod
    def complete(schema: dict) -> dict:
        return {"schemas": [f"{SCHEMA_URN_PREFIX}Schema"], **schema}


def not_found(request, path=""):
    """Anything else under /scim/v2/: a SCIM error, not an HTML page."""
    return HttpResponse(
        json.dumps(exceptions.NotFoundError(path).to_dict()),
        status=404,
        content_type=SCIM_CONTENT_TYPE,
    )


urlpatterns = [
    re_path(r"^$", NotImplementedView.as_view(), name="root"),
    re_path(r"^\.search$", NotImplementedView.as_view(), name="search"),
    re_path(r"^Users/\.search$", UserSearchView.as_view(), name="users-search"),
    re_path(r"^Users(?:/(?P<uuid>[^/]+))?$", UsersView.as_view(), name="users"),
    re_path(
        r"^Groups/\.search$",
        GroupSearchView.as_view(),
        name="groups-search",
    ),
    re_path(r"^Groups(?:/(?P<uuid>[^/]+))?$", GroupsView.as_view(), name="groups"),
    re_path(r"^Me$", NotImplementedView.as_view(), name="me"),
    re_path(
        r"^ServiceProviderConfig$",
        scim_views.ServiceProviderConfigView.as_view(),
        name="service-provider-config",
    ),
    re_path(
        r"^ResourceTypes(?:/(?P<uuid>[^/]+))?$",
        ResourceTypesView.as_view(),
        name="resource-types",
    ),
    re_path(
        r"^Schemas(?:/(?P<uuid>[^/]+))?$",
        SchemasView.as_view(),
        name="schemas",
    ),
    re_path(r"^Bulk$", NotImplementedView.as_view(), name="bulk"),
    re_path(r"^(?P<path>.*)$", not_found),
]
