"""What a community's digest is built from, as a short signature, so a
digest whose inputs have not changed since it was built is not built again
(a rerun of the week, the beat firing twice, a send task after the fan-out).

The signature covers the period's own rows in the community (items, replies,
helpful marks, questions first answered, members joined, adoptions either
way: how many, the newest id, and what changes them later: counters, edits,
hides, accepted answers), the older questions still waiting for an answer,
and the community's name, address and visibility. Every query is bounded by
the period (indexed created_at / joined_at / first_reply_at ranges) or by a
five-row index walk, and all communities are read at once: the cost follows
the week, not the history or the number of communities.

What a digest ranks from outside the week (who knows what, who could
answer) is as of its build; hides rebuild it regardless (digests.redact).
"""

import hashlib
import json
from collections import defaultdict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum

from communities.models import Community, Membership
from digests import build
from digests.periods import period_end
from knowledge.models import Adoption, HelpfulMark, Item, ItemKind, Reply


def _grouped(rows, key: str, into: dict, name: str, wanted=None) -> None:
    for row in rows:
        community_id = row.pop(key)
        if wanted is None or community_id in wanted:
            into[community_id][name] = row


def _community_of_item():
    """The item's community, looked up row by row: the week's replies and
    marks lead (a few thousand, on their created_at index), where a join
    filtered on communities had PostgreSQL read every item."""
    return Subquery(Item.objects.filter(pk=OuterRef("item_id")).values("community_id"))


def digest_inputs(*, community_ids, period: str, start) -> dict[int, str]:
    """{community id: signature of its digest's inputs} for the period."""
    ids = list(community_ids)
    if not ids:
        return {}
    end = period_end(period, start)
    found = defaultdict(dict)
    in_period = {"created_at__gte": start, "created_at__lt": end}
    _grouped(
        Item.objects.filter(community_id__in=ids, **in_period)
        .values("community_id")
        .annotate(
            n=Count("pk"),
            last=Max("pk"),
            helpful=Sum("helpful_count"),
            replies=Sum("reply_count"),
            hidden=Count("hidden_at"),
            hidden_last=Max("hidden_at"),
            edited=Max("edited_at"),
            accepted=Count("accepted_reply"),
            answered=Max("first_reply_at"),
        )
        .order_by(),
        "community_id",
        found,
        "items",
    )
    _grouped(
        Item.objects.filter(
            community_id__in=ids, first_reply_at__gte=start, first_reply_at__lt=end
        )
        .values("community_id")
        .annotate(
            n=Count("pk"),
            last=Max("pk"),
            accepted=Count("accepted_reply"),
            hidden=Count("hidden_at"),
            edited=Max("edited_at"),
        )
        .order_by(),
        "community_id",
        found,
        "answered",
    )
    wanted = set(ids)
    _grouped(
        Reply.objects.filter(**in_period)
        .annotate(community=_community_of_item())
        .values("community")
        .annotate(
            n=Count("pk"),
            last=Max("pk"),
            hidden=Count("hidden_at"),
            hidden_last=Max("hidden_at"),
        )
        .order_by(),
        "community",
        found,
        "replies",
        wanted,
    )
    _grouped(
        HelpfulMark.objects.filter(**in_period)
        .annotate(community=_community_of_item())
        .values("community")
        .annotate(n=Count("pk"), last=Max("pk"))
        .order_by(),
        "community",
        found,
        "marks",
        wanted,
    )
    _grouped(
        Membership.objects.filter(
            community_id__in=ids, joined_at__gte=start, joined_at__lt=end
        )
        .values("community_id")
        .annotate(
            n=Count("pk"),
            last=Max("pk"),
            active=Count("pk", filter=Q(status=Membership.Status.ACTIVE)),
        )
        .order_by(),
        "community_id",
        found,
        "joined",
    )
    for adoption_id, adopter_id, origin_id, origin_hidden in Adoption.objects.filter(
        Q(community_id__in=ids) | Q(item__community_id__in=ids), **in_period
    ).values_list("pk", "community_id", "item__community_id", "item__hidden_at"):
        for community_id in {adopter_id, origin_id}:
            found[community_id].setdefault("adoptions", []).append(
                [adoption_id, origin_hidden is not None]
            )
    waiting = ArraySubquery(
        Item.objects.filter(
            community_id=OuterRef("pk"),
            kind=ItemKind.QUESTION,
            accepted_reply__isnull=True,
            hidden_at__isnull=True,
            created_at__lt=start,
        )
        .order_by("-created_at", "-id")
        .values("pk")[: build.STILL_WAITING]
    )
    signatures = {}
    for community in (
        Community.objects.filter(pk__in=ids)
        .annotate(waiting=waiting)
        .only("pk", "name", "slug", "visibility")
    ):
        parts = found.get(community.pk, {})
        parts["community"] = [community.name, community.slug, community.visibility]
        parts["waiting"] = community.waiting
        parts.get("adoptions", []).sort()
        text = json.dumps(parts, sort_keys=True, default=str)
        signatures[community.pk] = hashlib.sha256(text.encode()).hexdigest()[:32]
    return signatures
