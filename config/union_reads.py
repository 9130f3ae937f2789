"""Many small reads of the same shape in a few statements, and reads that
choose their plan on a real row count.

A batch (a bulk load, a job given many ids) often needs one small query per
object: each item's candidates, each new reply's watchers. Run one by one
they cost a round trip and a result set each; `rows_per_part` sends them
`per_statement` to a statement as one UNION ALL, each part keeping its own
ORDER BY and LIMIT, and hands back each part's rows apart. The SQL of each
part is exactly the one its own caller would run, so the batch reads what
the one-by-one path reads. Rows of a part come in no promised order:
callers sort them as the part's own query would.
"""

from django.db.models import IntegerField, Value
from django.db.models.expressions import RawSQL

# The column that tells the parts apart, last in every row.
_PART = "union_part"


def rows_per_part(parts: list, *, per_statement: int) -> list[list[tuple]]:
    """The rows of each `values_list()` queryset of `parts` (all with the
    same columns), in a list per part, read `per_statement` parts to a
    statement."""
    found = [[] for _part in parts]
    for start in range(0, len(parts), per_statement):
        marked = [
            part.annotate(**{_PART: Value(start + n, output_field=IntegerField())})
            for n, part in enumerate(parts[start : start + per_statement])
        ]
        for *row, n in marked[0].union(*marked[1:], all=True):
            found[n].append(tuple(row))
    return found


def ids_by_count(probe, parts: list) -> RawSQL:
    """A subquery of ids, one statement, that chooses on a real row count:
    `probe`, a queryset, is read once as the MATERIALIZED CTE "probe", and
    each of `parts`, a pair (ids, test), adds its ids when `test` (such as
    "< 5", or None: always) holds for the probe's row count. `ids` is a
    values("id") queryset, or SQL that may read "probe". A CTE, which the
    ORM cannot write: PostgreSQL then decides on the count it read, not on
    its estimate, and skips a part whose test fails (a one-time filter)."""
    sql, params = probe.query.sql_with_params()
    statement, values = f"WITH probe AS MATERIALIZED ({sql})", list(params)
    for n, (ids, test) in enumerate(parts):
        part_sql, part_params = (
            (ids, ()) if isinstance(ids, str) else ids.query.sql_with_params()
        )
        # `test` and the SQL are the callers' constants and the ORM's output.
        where = f" WHERE (SELECT count(*) FROM probe) {test}" if test else ""  # noqa: S608
        union = " UNION ALL" if n else ""
        statement += f"{union} SELECT id FROM ({part_sql}) part{n}{where}"  # noqa: S608
        values += part_params
    return RawSQL(statement, values)  # noqa: S611
