"""SCIM 2.0 users (RFC 7643/7644) over django-scim2: the organisation's
identity provider creates, updates, deactivates and deletes members.

The adapter only translates: every change goes through members.services
(member_provision, member_provision_update, deactivate_member,
reactivate_member, member_deprovision). A member's SCIM id is their primary
key; userName is their e-mail (what Entra ID, Okta and Google send).
Attributes Practica does not keep (phone numbers, addresses, ...) are
accepted and ignored, as identity providers send many of them.
"""

from django.core.exceptions import ValidationError
from django_scim import exceptions
from django_scim.adapters import SCIMUser
from django_scim.constants import SchemaURI
from django_scim.models import SCIMServiceProviderConfig

from members import services
from members.models import User

DEPARTMENT = f"{SchemaURI.ENTERPRISE_USER}:department"
USER_PREFIX = f"{SchemaURI.USER}:".lower()


def _bool(value, attribute: str) -> bool:
    # Entra ID sends "True"/"False" as strings in PATCH operations.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise exceptions.BadRequestError(
        f'"{attribute}" must be true or false.', scim_type="invalidValue"
    )


def _text(value, attribute: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise exceptions.BadRequestError(
            f'"{attribute}" must be a string.', scim_type="invalidValue"
        )
    return value.strip()


def _email_from(value) -> str:
    """emails: a list of {value, primary, type}, or one such dict."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise exceptions.BadRequestError(
            '"emails" must be a list of {"value": ...}.', scim_type="invalidValue"
        )
    ordered = sorted(
        value, key=lambda e: (not e.get("primary"), e.get("type") != "work")
    )
    return _text(ordered[0].get("value") if ordered else "", "emails")


def extra_filter_kwargs_getter(model):
    """Members the IdP deleted are gone for SCIM (404), as RFC 7644 3.6 says,
    though they stay in Practica, deactivated and credited."""

    def extra_filter_kwargs(request, *args, **kwargs):
        return {"scim_deleted": False} if model is User else {}

    return extra_filter_kwargs


class MemberScimAdapter(SCIMUser):
    id_field = "pk"

    def __init__(self, obj, request=None):
        super().__init__(obj, request=request)
        self._data: dict = {}
        self._active: bool | None = None

    # --- Reading ------------------------------------------------------------

    @property
    def display_name(self):
        return self.obj.display_name

    @property
    def groups(self):
        return []

    @property
    def meta(self):
        joined = self.obj.date_joined.isoformat()
        return {
            "resourceType": self.resource_type,
            "created": joined,
            "lastModified": joined,
            "location": self.location,
        }

    def to_dict(self):
        """The member as a SCIM User. Attributes with no value are left out
        (RFC 7643 2.5: unassigned and null are the same)."""
        member = self.obj
        name = {
            key: value
            for key, value in (
                ("givenName", member.first_name),
                ("familyName", member.last_name),
            )
            if value
        }
        found = {
            "schemas": [SchemaURI.USER, SchemaURI.ENTERPRISE_USER],
            "id": self.id,
            "externalId": member.scim_external_id,
            "userName": member.scim_user_name or member.email,
            "name": name,
            "displayName": member.display_name,
            "title": member.job_title,
            "emails": [{"value": member.email}],
            "active": member.is_active,
            SchemaURI.ENTERPRISE_USER: (
                {"department": member.business_unit} if member.business_unit else {}
            ),
            "meta": self.meta,
        }
        return {key: value for key, value in found.items() if value not in ("", {})}

    # --- Writing ------------------------------------------------------------

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")

    def _take(self, attribute: str, value) -> None:
        """One SCIM attribute (a path such as "name.givenName") into the
        fields members.services understands; unknown ones are ignored."""
        key = attribute.strip().lower()
        if key.startswith(USER_PREFIX):
            key = key[len(USER_PREFIX) :]
        data = self._data
        if key == "active":
            self._active = _bool(value, "active")
        elif key == "username":
            user_name = _text(value, "userName")
            data["scim_user_name"] = user_name
            if "@" in user_name:
                # Entra ID, Okta, Google: the userName is the work e-mail.
                data.setdefault("email", user_name)
        elif key == "emails" or key.startswith("emails[") or key == "emails.value":
            email = _email_from(value) if not isinstance(value, str) else value
            if email:
                data["email"] = _text(email, "emails")
        elif key == "displayname":
            data["display_name"] = _text(value, "displayName")
        elif key == "name":
            if not isinstance(value, dict):
                raise exceptions.BadRequestError(
                    '"name" must be an object.', scim_type="invalidValue"
                )
            for part, field in (
                ("givenName", "first_name"),
                ("familyName", "last_name"),
            ):
                if part in value:
                    data[field] = _text(value[part], f"name.{part}")
        elif key == "name.givenname":
            data["first_name"] = _text(value, "name.givenName")
        elif key == "name.familyname":
            data["last_name"] = _text(value, "name.familyName")
        elif key == "title":
            data["job_title"] = _text(value, "title")
        elif key == "externalid":
            data["scim_external_id"] = _text(value, "externalId")
        elif key == DEPARTMENT.lower():
            data["business_unit"] = _text(value, "department")
        elif (
            key == SchemaURI.ENTERPRISE_USER.lower()
            and isinstance(value, dict)
            and "department" in value
        ):
            data["business_unit"] = _text(value["department"], "department")

    def _remove(self, attribute: str) -> None:
        """A PATCH "remove": what Practica keeps empty becomes empty. A
        member always has an e-mail, a name to show and a state, so removing
        userName or emails is refused, and removing displayName or active
        leaves them as they are."""
        key = attribute.strip().lower()
        if key.startswith(USER_PREFIX):
            key = key[len(USER_PREFIX) :]
        if key in ("username", "emails") or key.startswith("emails"):
            raise exceptions.BadRequestError(
                f'"{attribute}" is required and cannot be removed.',
                scim_type="mutability",
            )
        emptied = {
            "name": ["first_name", "last_name"],
            "name.givenname": ["first_name"],
            "name.familyname": ["last_name"],
            "title": ["job_title"],
            "externalid": ["scim_external_id"],
            SchemaURI.ENTERPRISE_USER.lower(): ["business_unit"],
            DEPARTMENT.lower(): ["business_unit"],
        }
        for field in emptied.get(key, []):
            self._data[field] = ""

    def from_dict(self, d):
        self._data, self._active = {}, None
        # userName first: a primary address in "emails" is the e-mail.
        for attribute in sorted(d, key=lambda a: a.lower() != "username"):
            if attribute in ("schemas", "id", "meta", "password", "groups"):
                continue
            self._take(attribute, d[attribute])
        if self.obj.pk is None and not self._data.get("email"):
            raise exceptions.BadRequestError(
                "An e-mail address is required (userName or emails).",
                scim_type="invalidValue",
            )

    def handle_operations(self, operations):
        self._data, self._active = {}, None
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        for operation in operations:
            if not isinstance(operation, dict):
                raise exceptions.BadRequestError("Each operation is an object.")
            op = str(operation.get("op", "")).lower()
            path, value = operation.get("path"), operation.get("value")
            if op not in ("add", "replace", "remove"):
                raise exceptions.BadRequestError(f'Unknown PATCH op "{op}".')
            if op == "remove":
                if not path:
                    raise exceptions.BadRequestError(
                        '"path" is required to remove.', scim_type="noTarget"
                    )
                self._remove(str(path))
                continue
            if path:
                self._take(str(path), value)
            elif isinstance(value, dict):
                for attribute, item in value.items():
                    self._take(attribute, item)
            else:
                raise exceptions.BadRequestError(
                    "An operation without a path needs an object value.",
                    scim_type="invalidValue",
                )
        self.save()

    def save(self):
        data = {k: v for k, v in self._data.items() if k != "email" or v}
        email = (data.get("email") or self.obj.email or "").strip().lower()
        if data.get("scim_user_name", "").lower() == email:
            data["scim_user_name"] = ""  # the e-mail is the userName
        try:
            if self.obj.pk is None:
                self.obj = self._create(data)
            else:
                services.member_provision_update(member=self.obj, **data)
        except ValidationError as error:
            codes = (
                [e.code for errors in error.error_dict.values() for e in errors]
                if hasattr(error, "error_dict")
                else []
            )
            message = " ".join(error.messages)
            if "unique" in codes:
                raise exceptions.IntegrityError(
                    message, scim_type="uniqueness"
                ) from None
            raise exceptions.BadRequestError(
                message, scim_type="invalidValue"
            ) from None
        if self._active is False:
            services.deactivate_member(member=self.obj)
        elif self._active is True:
            services.reactivate_member(member=self.obj)
        self.obj.refresh_from_db()

    def _create(self, data: dict) -> User:
        # Someone the IdP deleted and now creates again comes back as the
        # same member, with their history.
        returning = User.objects.filter(
            email__iexact=data["email"], scim_deleted=True
        ).first()
        if returning is not None:
            services.reactivate_member(member=returning)
            services.member_provision_update(member=returning, **data)
            return returning
        fields = dict(data)
        return services.member_provision(
            email=fields.pop("email"),
            external_id=fields.pop("scim_external_id", ""),
            user_name=fields.pop("scim_user_name", ""),
            **fields,
        )

    def delete(self):
        services.member_deprovision(member=self.obj)


class ServiceProviderConfig(SCIMServiceProviderConfig):
    """What Practica's SCIM service does (RFC 7643 section 5)."""

    def to_dict(self):
        config = super().to_dict()
        config["filter"] = {"supported": True, "maxResults": 200}
        config["changePassword"] = {"supported": False}
        config["bulk"] = {"supported": False, "maxOperations": 0, "maxPayloadSize": 0}
        return config
