"""The item page: replies, helpful marks, adoptions, shares and where an item
may go next."""

from dataclasses import dataclass

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


# What the item page reads of a reply and of the people it names (a reply
# is shown with its author's name and avatar, and its recommender's name):
# the page reads 40-odd of them on every view.
_REPLY_SHOWN = (
    "item_id",
    "author_id",
    "body_html",
    "created_at",
    "edited_at",
    "hidden_at",
    "helpful_count",
    "recommended_at",
    "recommended_by_id",
)


def _people_shown(relation: str) -> list[str]:
    fields = ("username", "display_name", "email", "avatar_version")
    return [f"{relation}__{field}" for field in fields]


def item_replies(*, item: Item, viewer=None, order: str = "oldest"):
    """The item's replies, each with .marked (the viewer marked it helpful),
    in one query. `order` "helpful" (questions only): the accepted answer,
    then recommended ones, then by helpful marks; hidden replies last."""
    replies = (
        Reply.objects.filter(item=item)
        .select_related("author", "recommended_by")
        .only(*_REPLY_SHOWN, *_people_shown("author"), *_people_shown("recommended_by"))
    )
    if viewer is not None and viewer.is_authenticated:
        replies = replies.annotate(
            marked=Exists(
                ReplyHelpfulMark.objects.filter(reply=OuterRef("pk"), user_id=viewer.pk)
            )
        )
    else:
        replies = replies.annotate(marked=Value(False))
    if order == "helpful" and item.is_question:
        replies = replies.order_by(
            F("hidden_at").asc(nulls_first=True),
            Case(
                When(pk=item.accepted_reply_id, then=Value(0)),
                default=Value(1),
            ),
            F("recommended_at").asc(nulls_last=True),
            "-helpful_count",
            "created_at",
            "id",
        )
    else:
        replies = replies.order_by("created_at", "id")
    return list(replies)


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
    pk = OuterRef("pk")
    row = (
        Item.objects.filter(pk=item.pk)
        .values(
            marked=Exists(HelpfulMark.objects.filter(item=pk, user_id=viewer.pk)),
            follow_level=Subquery(
                Follow.objects.filter(item=pk, user_id=viewer.pk).values("level")[:1]
            ),
            related_ids=Subquery(
                ItemSimilarity.objects.filter(item=pk).values("related_ids")[:1],
                output_field=ArrayField(IntegerField()),
            ),
            has_files=Exists(Attachment.objects.filter(item=pk)),
            has_adoptions=Exists(Adoption.objects.filter(item=pk)),
            has_shares=Exists(Item.objects.filter(shared_from=pk)),
        )
        .first()
    ) or {}
    return ItemPageFacts(
        marked=bool(row.get("marked")),
        follow_level=row.get("follow_level") or "",
        related_ids=row.get("related_ids") or [],
        has_files=bool(row.get("has_files")),
        has_adoptions=bool(row.get("has_adoptions")),
        has_shares=bool(row.get("has_shares")),
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
