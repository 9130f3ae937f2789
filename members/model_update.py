"""Update a model instance the one way services do it: set only the fields
that change, validate, save just those columns, and say whether anything
changed (HackSoft's `model_update`). Lives in members, the lowest app, so
every app can use it."""

from django.db import models


def _differs(instance, field: models.Field, value) -> bool:
    if field.many_to_one or field.one_to_one:
        # Compare ids, so an unloaded relation costs no query.
        new_id = getattr(value, "pk", value)
        return getattr(instance, field.attname) != new_id
    return getattr(instance, field.name) != value


def model_update(
    *,
    instance: models.Model,
    fields: list[str],
    data: dict,
    clean_exclude: list[str] | None = None,
) -> bool:
    """Copy `data[name]` onto `instance` for each name in `fields` present in
    `data`; when any value differs, `full_clean()` and save only the changed
    columns (plus `auto_now` ones such as `updated_at`). Returns whether
    anything changed; an unchanged instance is neither cleaned nor saved.

    `clean_exclude` names fields `full_clean` must skip (e.g. a user's
    password, which this write does not touch). Many-to-many fields are the
    caller's business: set them after, with `.set()`.
    """
    opts = instance._meta
    changed = []
    for name in fields:
        if name not in data:
            continue
        field = opts.get_field(name)
        if field.many_to_many:
            raise ValueError(f"{name} is many-to-many: set it with .set()")
        if _differs(instance, field, data[name]):
            setattr(instance, name, data[name])
            changed.append(name)
    if not changed:
        return False
    instance.full_clean(exclude=clean_exclude)
    auto_now = [
        f.name
        for f in opts.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in changed
    ]
    instance.save(update_fields=changed + auto_now)
    return True
