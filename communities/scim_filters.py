"""SCIM filters on groups (`displayName eq "Lean"`). Its own module:
django-scim2 imports it while loading its adapters."""

from django_scim.filters import GroupFilterQuery


class ProvisionedGroupFilterQuery(GroupFilterQuery):
    attr_map = {
        ("displayName", None, None): "display_name",
        ("externalId", None, None): "scim_external_id",
    }
