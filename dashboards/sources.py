"""The rows every figure counts from, defined once.

- Hidden items and replies never count, nor replies on hidden items.
- A share (an item whose `shared_from` is set) is spread, not a new
  contribution: it is counted under Spread only.
- A reply "answers" a question only when someone other than the asker
  wrote it (thanking yourself is not an answer).
"""

from django.db.models import OuterRef, QuerySet, Subquery

from dashboards.scope import Scope
from knowledge.models import Item, ItemKind, Reply


def items_in(scope: Scope) -> QuerySet:
    """Visible original items (not shares) in the scope."""
    return Item.objects.filter(
        scope.q("community_id"), hidden_at__isnull=True, shared_from__isnull=True
    )


def replies_in(scope: Scope) -> QuerySet:
    return Reply.objects.filter(
        scope.q("item__community_id"),
        hidden_at__isnull=True,
        item__hidden_at__isnull=True,
    )


def questions_in(scope: Scope) -> QuerySet:
    return items_in(scope).filter(kind=ItemKind.QUESTION)


def answers_to(item_ref: str = "pk", author_ref: str = "author_id") -> QuerySet:
    """Visible replies to the outer item by someone other than its author."""
    return Reply.objects.filter(
        item_id=OuterRef(item_ref), hidden_at__isnull=True
    ).exclude(author_id=OuterRef(author_ref))


def first_answer_at() -> Subquery:
    """When the outer item first got an answer (None if never)."""
    return Subquery(answers_to().order_by("created_at").values("created_at")[:1])
