"""SCIM 2.0 groups over django-scim2: the identity provider's groups, mapped
to communities (communities.services.provisioning does every change). A
group's id is its primary key; its members are members' SCIM ids."""

from urllib.parse import urljoin

from django.contrib.auth import get_user_model
from django.urls import reverse
from django_scim import exceptions
from django_scim.adapters import SCIMGroup
from django_scim.constants import SchemaURI
from django_scim.utils import get_base_scim_location_getter

from communities.services import provisioning

GROUP_PREFIX = f"{SchemaURI.GROUP}:".lower()


def _member_ids(value) -> list[int]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise exceptions.BadRequestError(
            '"members" must be a list of {"value": id}.', scim_type="invalidValue"
        )
    ids = []
    for member in value:
        raw = str(member.get("value", "")) if isinstance(member, dict) else ""
        if not raw.isdigit() or len(raw) > 18:
            raise exceptions.BadRequestError(
                f'"{raw}" is not a user of this service.', scim_type="invalidValue"
            )
        ids.append(int(raw))
    return ids


def _users(ids: list[int]) -> list:
    users = list(get_user_model().objects.filter(pk__in=ids, scim_deleted=False))
    if len(users) != len(set(ids)):
        raise exceptions.BadRequestError(
            "A member of the group is not a user of this service.",
            scim_type="invalidValue",
        )
    return users


class CommunityGroupAdapter(SCIMGroup):
    id_field = "pk"

    def __init__(self, obj, request=None):
        super().__init__(obj, request=request)
        self._names: dict = {}
        self._members: list[int] | None = None

    @property
    def display_name(self):
        return self.obj.display_name

    @property
    def members(self):
        base = get_base_scim_location_getter()(self.request)
        found = []
        for user in self.obj.members.all() if self.obj.pk else []:
            found.append(
                {
                    "value": str(user.pk),
                    "$ref": urljoin(
                        base, reverse("scim:users", kwargs={"uuid": user.pk})
                    ),
                    "type": "User",
                }
            )
        return found

    def to_dict(self):
        found = {
            "schemas": [SchemaURI.GROUP],
            "id": self.id,
            "externalId": self.obj.scim_external_id,
            "displayName": self.obj.display_name,
            "members": self.members,
            "meta": {
                "resourceType": "Group",
                "created": self.obj.created_at.isoformat(),
                "lastModified": self.obj.created_at.isoformat(),
                "location": self.location,
            },
        }
        return {key: value for key, value in found.items() if value not in ("", [])}

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")

    def _key(self, attribute: str) -> str:
        key = attribute.strip().lower()
        return key[len(GROUP_PREFIX) :] if key.startswith(GROUP_PREFIX) else key

    def from_dict(self, d):
        self._names, self._members = {}, None
        name = d.get("displayName")
        if not isinstance(name, str) or not name.strip():
            raise exceptions.BadRequestError(
                '"displayName" is required.', scim_type="invalidValue"
            )
        self._names["display_name"] = name
        external = d.get("externalId")
        if external is not None:
            if not isinstance(external, str):
                raise exceptions.BadRequestError('"externalId" must be a string.')
            self._names["external_id"] = external
        if "members" in d:
            self._members = _member_ids(d["members"] or [])

    def save(self):
        members = _users(self._members) if self._members is not None else None
        if self.obj.pk is None:
            self.obj = provisioning.group_provision(**self._names)
        elif self._names:
            provisioning.group_update(group=self.obj, **self._names)
        if members is not None:
            provisioning.group_members_set(group=self.obj, members=members)

    def handle_operations(self, operations):
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        for operation in operations:
            if not isinstance(operation, dict):
                raise exceptions.BadRequestError("Each operation is an object.")
            op = str(operation.get("op", "")).lower()
            path = str(operation.get("path") or "")
            value = operation.get("value")
            key = self._key(path)
            if not path and op in ("add", "replace") and isinstance(value, dict):
                for attribute, item in value.items():
                    self._apply(op, self._key(attribute), item)
            elif op in ("add", "replace", "remove") and path:
                self._apply(op, key, value)
            else:
                raise exceptions.BadRequestError(
                    f'Unsupported PATCH operation "{op}".', scim_type="invalidSyntax"
                )

    def _apply(self, op: str, key: str, value) -> None:
        group = self.obj
        if key == "members" or key.startswith("members["):
            if op == "remove" and key.startswith("members["):
                # members[value eq "12"] (Entra ID's way of removing one)
                raw = key.split('"')[1] if '"' in key else ""
                value = [{"value": raw}]
            if op == "remove" and value is None:
                provisioning.group_members_set(group=group, members=[])
                return
            users = _users(_member_ids(value or []))
            if op == "add":
                provisioning.group_members_change(group=group, add=users)
            elif op == "remove":
                provisioning.group_members_change(group=group, remove=users)
            else:
                provisioning.group_members_set(group=group, members=users)
        elif key == "displayname" and op != "remove":
            if not isinstance(value, str) or not value.strip():
                raise exceptions.BadRequestError('"displayName" must be a name.')
            provisioning.group_update(group=group, display_name=value)
        elif key == "externalid":
            provisioning.group_update(
                group=group, external_id="" if op == "remove" else str(value or "")
            )
        else:
            raise exceptions.BadRequestError(
                f'"{key}" cannot be changed on a group.', scim_type="invalidPath"
            )

    def delete(self):
        provisioning.group_delete(group=self.obj)
