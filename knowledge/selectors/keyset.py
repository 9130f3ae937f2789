"""Keyset pagination of items: newest or most helpful first, after a cursor."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Cursor:
    """Position after the last row shown: (sort value, id)."""

    value: int
    id: int

    def encode(self) -> str:
        return f"{self.value}_{self.id}"

    @classmethod
    def decode(cls, raw: str | None):
        if not raw:
            return None
        value, _sep, pk = raw.partition("_")
        try:
            return cls(int(value), int(pk))
        except ValueError:
            return None


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def keyset_page(queryset, *, order: str, cursor: Cursor | None, size: int):
    """One page of `queryset` ordered newest first ("created") or most
    helpful first ("helpful"), after `cursor`. Returns (rows, next_cursor)."""
    field = "created_at" if order == "created" else "helpful_count"
    if cursor is not None:
        try:
            value = _moment(cursor.value) if field == "created_at" else cursor.value
        except OverflowError:
            value = None
        if value is not None:
            queryset = queryset.filter(
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": cursor.id})
            )
    rows = list(queryset.order_by(f"-{field}", "-id")[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        value = (
            _micros(last.created_at) if field == "created_at" else last.helpful_count
        )
        next_cursor = Cursor(value, last.pk)
    return rows, next_cursor
