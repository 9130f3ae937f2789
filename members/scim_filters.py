"""SCIM filters on members (`userName eq "ana@example.com"`, how an identity
provider finds someone before creating them): SCIM attributes -> columns.
Its own module: django-scim2 imports it while loading its adapters."""

from django_scim.filters import UserFilterQuery


class MemberFilterQuery(UserFilterQuery):
    attr_map = {
        # userName is the e-mail unless the IdP gave another (members.scim).
        ("userName", None, None): "COALESCE(NULLIF(scim_user_name, ''), email)",
        ("emails", None, None): "email",
        ("emails", "value", None): "email",
        ("externalId", None, None): "scim_external_id",
        ("displayName", None, None): "display_name",
        ("name", "givenName", None): "first_name",
        ("name", "familyName", None): "last_name",
        ("active", None, None): "is_active",
        ("title", None, None): "job_title",
    }
