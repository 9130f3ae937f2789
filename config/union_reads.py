"""Many small reads of the same shape in a few statements.

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
