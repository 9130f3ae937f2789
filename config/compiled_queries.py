"""Querysets compiled to SQL once per process, for the hottest reads.

Django builds and compiles a queryset to SQL every time it is evaluated.
For a page's few fixed-shape queries that costs more CPU than running them:
the item page's facts (six subqueries) took 2.4 ms to build and compile and
0.1 ms to run. A query whose shape never changes, only its values, is built
here once with stand-in values (`build(**stand_ins)`), compiled, and each
later call runs that SQL with the real values in the stand-ins' places.

`rows()` takes a `values_list()` queryset: rows come back as PostgreSQL
returns them, as the ORM's do for fields that need no conversion from the
database (plain columns, booleans, dates, UUIDs, arrays). `instances()`
takes a plain queryset and makes model instances with `Model.from_db()`, as
the ORM does, with the foreign keys named in `related` loaded as
`select_related()` loads them (and with `only`, just the fields `only()`
would read); its models' fields must need no conversion either
(`tests/knowledge/test_compiled_queries.py` checks the ones used).

Values must be int or str, which the ORM passes as parameters, never
writes into the SQL: compiling checks that every stand-in became a
parameter and that none was written into the SQL. A value that changes the
query's shape (None, a list, a flag that adds a join or an order) needs a
`name` of its own per shape, and `build` must not read anything else that
could change (a setting, the time).

The SQL is also planned once per connection: it runs on a cursor that binds
its values on the server, so psycopg prepares the statement on its second
run on a connection (`DB_PREPARED_STATEMENTS`, the `prepare_threshold` the
settings give) and PostgreSQL can keep its plan. Planning the tag page's
nine-table join took 1.5-2 ms of the server's CPU on every view, running it
0.3-0.6 ms. The ORM's own queries keep Django's client-side binding.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connections, router
from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor
from django.db.backends.utils import CursorWrapper
from django.db.models import (
    BigIntegerField,
    BooleanField,
    F,
    Func,
    Model,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast

# Stand-ins no real value equals: ids are positive, strings have no NUL.
_INT_STAND_IN = -7_351_000_000_000
_STR_STAND_IN = "\x00stand-in-{}\x00"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    constants: tuple
    slots: tuple  # per parameter: the value's name, or None for a constant
    model: type[Model]


_compiled: dict[str, _Compiled] = {}
# instances(): per name, the models read and their columns.
_layouts: dict[str, list] = {}


def rows(name: str, build: Callable[..., QuerySet], **values) -> list[tuple]:
    """`list(build(**values))`, `build` returning a values_list() queryset
    whose shape depends only on `name`. Read from the database the router
    picks for the queryset's model, as the ORM would."""
    compiled = _compiled.get(name)
    if compiled is None:
        compiled = _compiled[name] = _compile(build, values)
    params = [
        values[slot] if slot is not None else constant
        for constant, slot in zip(compiled.constants, compiled.slots, strict=True)
    ]
    with _cursor(router.db_for_read(compiled.model)) as cursor:
        cursor.execute(compiled.sql, params)
        return cursor.fetchall()


def _cursor(alias: str):
    """A Django cursor on `alias` (its queries logged and wrapped as any
    other's) whose values are bound on the server, so that psycopg may
    prepare the statement; Django's own cursor when the connection does not
    prepare statements (`prepare_threshold` None)."""
    connection = connections[alias]
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    if connection.queries_logged:
        return _LoggedCursor(raw, connection)
    return connection.make_cursor(raw)


class _LoggedCursor(CursorDebugWrapper):
    """Logs a compiled read with its values written in, as Django logs the
    queries it binds itself (DEBUG, assertNumQueries, the debug toolbar):
    psycopg keeps no text of a statement it ran prepared, so Django's own
    debug cursor would log None."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


def instances(
    name: str,
    build: Callable[..., QuerySet],
    *,
    related: tuple = (),
    only: tuple = (),
    extra: tuple = (),
    **values,
) -> list[Model]:
    """`list(build(**values).select_related(*related))`, compiled once as
    `rows()` is: `related` are relations of the queryset's model, followed
    with "__" as select_related() follows them. With `only` (field names in
    only()'s notation, "author__display_name"), just those fields are read,
    as `.select_related(...).only(*only)` reads them: the relations they
    name are followed, and the rest of each model's fields are deferred.
    `extra` names annotations of the queryset, set on each instance."""
    layout = _layouts.get(name)
    if layout is None:
        layout = _layouts[name] = _layout(build(**values).model, related, only)

    def flat(**stand_ins):
        return build(**stand_ins).values_list(
            *(
                f"{path}__{attname}" if path else attname
                for path, _model, attnames in layout
                for attname in attnames
            ),
            *extra,
        )

    found = rows(name, flat, **values)
    if not found:
        return []
    db = router.db_for_read(layout[0][1])
    made = []
    for row in found:
        start = 0
        loaded = {}
        for path, model, attnames in layout:
            part = row[start : start + len(attnames)]
            start += len(attnames)
            # The related row's primary key is None when there is none.
            pk = part[attnames.index(model._meta.pk.attname)]
            made_one = None if pk is None else model.from_db(db, attnames, part)
            loaded[path] = made_one
            if path:
                parent, _, relation = path.rpartition("__")
                if loaded.get(parent) is not None:
                    setattr(loaded[parent], relation, made_one)
        for attribute, value in zip(extra, row[start:], strict=True):
            setattr(loaded[""], attribute, value)
        made.append(loaded[""])
    return made


def _layout(model, related, only=()) -> list[tuple[str, type[Model], list[str]]]:
    """Per model read, parents first: its path from the queryset's model
    ("" for the model itself) and the columns read (all of them, or with
    `only` its primary key, the named ones and the foreign keys that reach
    the next model)."""
    paths = {"": model}
    wanted: dict[str, list[str]] = {"": []}
    for entry in [*related, *only]:
        parts = entry.split("__")
        is_field = entry in only
        relations, field_name = (parts[:-1], parts[-1]) if is_field else (parts, None)
        path, current = "", model
        for part in relations:
            field = current._meta.get_field(part)
            wanted[path].append(field.attname)
            path = f"{path}__{part}" if path else part
            current = paths.setdefault(path, field.related_model)
            wanted.setdefault(path, [])
        if field_name is not None:
            wanted[path].append(current._meta.get_field(field_name).attname)

    def attnames(path, of):
        # In the model's order, as from_db() takes a subset of its fields.
        names = {of._meta.pk.attname, *wanted[path]}
        return [
            f.attname
            for f in of._meta.concrete_fields
            if not only or f.attname in names
        ]

    return [(path, of, attnames(path, of)) for path, of in paths.items()]


def _compile(build, values) -> _Compiled:
    stand_ins = {}
    for n, (key, value) in enumerate(sorted(values.items())):
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise TypeError(f"{key}: only int and str values can be stood in for")
        stand_ins[key] = (
            _INT_STAND_IN - n if isinstance(value, int) else _STR_STAND_IN.format(n)
        )
    queryset = build(**stand_ins)
    sql, params = queryset.query.sql_with_params()
    by_stand_in = {stand_in: key for key, stand_in in stand_ins.items()}
    slots = tuple(
        by_stand_in.get(param) if isinstance(param, int | str) else None
        for param in params
    )
    for key, stand_in in stand_ins.items():
        if key not in slots or str(stand_in) in sql:
            raise ValueError(f"{key} is not a parameter of the compiled query")
    return _Compiled(sql, tuple(params), slots, queryset.model)


def id_array(ids) -> str:
    """`ids` (integers) as one PostgreSQL array literal, "{3,1,2}": a value
    for any_of(), so a list of any length is one parameter and the query
    keeps one shape."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def any_of(field: str, ids) -> Func:
    """A condition for filter(): `field = ANY(ids::bigint[])`, `ids` an
    id_array() (or its stand-in). `field__in=[...]` writes one parameter
    per id, a new shape for each length of the list."""
    return Func(
        F(field),
        Cast(Value(ids), ArrayField(BigIntegerField())),
        arg_joiner=" = ANY(",
        template="%(expressions)s)",
        output_field=BooleanField(),
    )
