"""The item page: replies, helpful marks, adoptions, shares and where an item
may go next."""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from communities.access import visible_communities_q
from communities.models import Community, Membership
from config import compiled_queries
from knowledge.models import (
    Adoption,
    AdoptionCheckIn,
    Attachment,
    Follow,
    HelpfulMark,
    Item,
    ItemSimilarity,
    Reply,
    ReplyHelpfulMark,
)
from knowledge.selectors.visibility import visible_items

# How a question's answers may be ordered (?answers=): the first is the default.
ANSWER_ORDERS = ("oldest", "helpful")


def answer_order(value) -> str:
    """A valid answer order from a request's parameter; anything else is the
    default, so a hand-made URL never fails."""
    return value if value in ANSWER_ORDERS else ANSWER_ORDERS[0]


class Person(NamedTuple):
    """Whoever a reply names (its author, its recommender), as the page
    shows them: name, avatar and the address an empty name falls back to."""

    pk: int
    username: str
    display_name: str
    email: str
    avatar_version: str


class ReplyRow(NamedTuple):
    """A reply as the item page reads it on every view: plain values, no
    model instances (44 replies with their authors were 130 instances a
    view). What a viewer gets of it is decided from these
    (knowledge.permissions.reply_actions); its rendered parts come from
    knowledge.reply_fragments' cache and are rendered from these on a miss."""

    pk: int
    author_id: int
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    hidden_at: datetime | None
    helpful_count: int
    recommended_at: datetime | None
    recommended_by_id: int | None
    marked: bool  # the viewer marked it helpful
    author: Person
    recommended_by: Person | None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


_PERSON = ("id", "username", "display_name", "email", "avatar_version")
_REPLY_COLUMNS = (
    "id",
    "author_id",
    "body_html",
    "created_at",
    "edited_at",
    "hidden_at",
    "helpful_count",
    "recommended_at",
    "recommended_by_id",
    "marked",
    *(f"author__{field}" for field in _PERSON),
    *(f"recommended_by__{field}" for field in _PERSON),
)


def item_replies(*, item: Item, viewer=None, order: str = "oldest") -> list[ReplyRow]:
    """The item's replies as ReplyRow, each with .marked (the viewer marked
    it helpful), in one query. `order` "helpful" (questions only): the
    accepted answer, then recommended ones, then by helpful marks; hidden
    replies last. The query is compiled once per process and order
    (config.compiled_queries): building it cost 2 ms a view."""
    helpful = order == "helpful" and item.is_question
    signed_in = viewer is not None and viewer.is_authenticated
    values = {"item_id": item.pk, "viewer_id": viewer.pk if signed_in else 0}
    if helpful:
        # No reply has id 0: without an accepted answer, none sorts first.
        values["accepted_id"] = item.accepted_reply_id or 0
    found = compiled_queries.rows(
        f"item-replies:{'helpful' if helpful else 'oldest'}",
        partial(_replies_query, helpful=helpful),
        **values,
    )
    return [
        ReplyRow(
            *row[:10],
            author=Person(*row[10:15]),
            recommended_by=Person(*row[15:]) if row[8] is not None else None,
        )
        for row in found
    ]


def _replies_query(*, helpful, item_id, viewer_id, accepted_id=None):
    """Stand-in values in, the shape of item_replies()'s query out. An
    anonymous viewer (id 0) has marked nothing: no member has id 0."""
    replies = Reply.objects.filter(item_id=item_id).annotate(
        marked=Exists(
            ReplyHelpfulMark.objects.filter(reply=OuterRef("pk"), user_id=viewer_id)
        )
    )
    if helpful:
        replies = replies.order_by(
            F("hidden_at").asc(nulls_first=True),
            Case(When(pk=accepted_id, then=Value(0)), default=Value(1)),
            F("recommended_at").asc(nulls_last=True),
            "-helpful_count",
            "created_at",
            "id",
        )
    else:
        replies = replies.order_by("created_at", "id")
    return replies.values_list(*_REPLY_COLUMNS)


@dataclass(frozen=True)
class ItemPageFacts:
    """What the item page needs to know before reading more, from one query:
    the viewer's helpful mark and follow level, the stored related item ids,
    and whether there is anything to read for the files, adoptions and
    shares (most items have none of them, and their queries are skipped)."""

    marked: bool
    follow_level: str
    related_ids: list
    has_files: bool
    has_adoptions: bool
    has_shares: bool


def item_page_facts(*, item: Item, viewer) -> ItemPageFacts:
    """Compiled once per process (config.compiled_queries): building and
    compiling its six subqueries cost 2.4 ms a view, running it 0.1 ms."""
    found = compiled_queries.rows(
        "item-page-facts", _facts_query, item_id=item.pk, viewer_id=viewer.pk
    )
    if not found:
        return ItemPageFacts(False, "", [], False, False, False)
    marked, follow_level, related_ids, has_files, has_adoptions, has_shares = found[0]
    return ItemPageFacts(
        marked=bool(marked),
        follow_level=follow_level or "",
        related_ids=related_ids or [],
        has_files=bool(has_files),
        has_adoptions=bool(has_adoptions),
        has_shares=bool(has_shares),
    )


def _facts_query(*, item_id, viewer_id):
    pk = OuterRef("pk")
    return Item.objects.filter(pk=item_id).values_list(
        Exists(HelpfulMark.objects.filter(item=pk, user_id=viewer_id)),
        Subquery(Follow.objects.filter(item=pk, user_id=viewer_id).values("level")[:1]),
        Subquery(
            ItemSimilarity.objects.filter(item=pk).values("related_ids")[:1],
            output_field=ArrayField(IntegerField()),
        ),
        Exists(Attachment.objects.filter(item=pk)),
        Exists(Adoption.objects.filter(item=pk)),
        Exists(Item.objects.filter(shared_from=pk)),
    )


def has_marked_helpful(*, item: Item, user) -> bool:
    return HelpfulMark.objects.filter(item=item, user_id=user.pk).exists()


def item_adoptions(*, item: Item, viewer) -> tuple[list[Adoption], int]:
    """Adoptions the viewer may read, and how many more happened in private
    communities they cannot see (counted, never named). Each carries its
    `outcome` (kept, adapted, dropped or unknown) and `checkin_id`, the
    check-in to open (the first unanswered, else the last)."""
    from knowledge.selectors.adoptions import latest_answer

    checkins = AdoptionCheckIn.objects.filter(adoption_id=OuterRef("pk"))
    adoptions = (
        Adoption.objects.filter(item=item)
        .select_related("community", "recorded_by")
        .annotate(
            outcome=latest_answer(),
            checkin_id=Coalesce(
                Subquery(checkins.filter(answer="").order_by("day").values("pk")[:1]),
                Subquery(checkins.order_by("-day").values("pk")[:1]),
            ),
        )
    )
    gate = visible_communities_q(viewer, "community__")
    if gate:  # an empty Q means "sees everything" (staff)
        adoptions = adoptions.annotate(
            visible=ExpressionWrapper(gate, output_field=BooleanField())
        )
    else:
        adoptions = adoptions.annotate(visible=Value(True))
    adoptions = list(adoptions.order_by("-created_at"))
    shown = [a for a in adoptions if a.visible]
    return shown, len(adoptions) - len(shown)


def item_shares(*, item: Item, viewer) -> list[Item]:
    """Linked copies of `item` the viewer may see."""
    return list(
        visible_items(viewer)
        .filter(shared_from=item)
        .select_related("community", "shared_by")
        .order_by("created_at")
    )


def _target_communities(user, item):
    return (
        Community.objects.filter(
            memberships__user_id=user.pk,
            memberships__status=Membership.Status.ACTIVE,
            archived_at__isnull=True,
        )
        .exclude(pk=item.community_id)
        .order_by("name")
    )


def share_targets(*, user, item: Item):
    """Communities `user` may share `item` into (not yet shared there)."""
    taken = Item.objects.filter(shared_from=item).values("community_id")
    return _target_communities(user, item).exclude(pk__in=taken)


def adoption_targets(*, user, item: Item):
    taken = Adoption.objects.filter(item=item).values("community_id")
    return _target_communities(user, item).exclude(pk__in=taken)


def submitted_item(*, author, token) -> bool:
    """Whether this form (its one-time token) already published an item."""
    return Item.objects.filter(author_id=author.pk, submission_token=token).exists()
