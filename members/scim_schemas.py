"""The SCIM schemas Practica publishes (/scim/v2/Schemas): RFC 7643's, cut
down to the attributes a member actually keeps, so an identity provider (and
a compliance checker) knows what is stored and what is ignored. Its own
module: django-scim2 reads it while loading its views (SCHEMAS_GETTER)."""

import copy

from django_scim.constants import SchemaURI
from django_scim.schemas import ALL

# Attribute -> the sub-attributes kept (None: a simple attribute).
USER_KEPT = {
    "userName": None,
    "name": {"givenName", "familyName"},
    "displayName": None,
    "title": None,
    "active": None,
    "emails": {"value"},
    "groups": {"value", "$ref", "display", "type"},
}
READ_ONLY: set[tuple[str, str]] = set()
ENTERPRISE_KEPT = {"department": None}


def _cut(schema: dict, kept: dict) -> dict:
    schema = copy.deepcopy(schema)
    attributes = []
    for attribute in schema.get("attributes", []):
        name = attribute.get("name")
        if name not in kept:
            continue
        subs = kept[name]
        if subs is not None and attribute.get("subAttributes"):
            attribute["subAttributes"] = [
                {**sub, "mutability": "readOnly"}
                if (name, sub.get("name")) in READ_ONLY
                else sub
                for sub in attribute["subAttributes"]
                if sub.get("name") in subs
            ]
        if name == "emails":
            # A member signs in with their e-mail: Practica needs one.
            attribute["required"] = True
            for sub in attribute["subAttributes"]:
                sub["required"] = sub.get("name") == "value"
        attributes.append(attribute)
    schema["attributes"] = attributes
    return schema


def _group(schema: dict) -> dict:
    """A group needs a name (RFC 7643 4.2 says so; its JSON schema forgets)."""
    schema = copy.deepcopy(schema)
    for attribute in schema.get("attributes", []):
        if attribute.get("name") == "displayName":
            attribute["required"] = True
    return schema


def practica_schemas() -> list[dict]:
    schemas = []
    for schema in ALL:
        if schema.get("id") == SchemaURI.GROUP:
            schema = _group(schema)
        elif schema.get("id") == SchemaURI.USER:
            schema = _cut(schema, USER_KEPT)
        elif schema.get("id") == SchemaURI.ENTERPRISE_USER:
            schema = _cut(schema, ENTERPRISE_KEPT)
        schemas.append(schema)
    return schemas
