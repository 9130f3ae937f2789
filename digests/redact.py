"""Stored digests never keep content that was hidden after they were built.

A steward hides an item (or a reply) and every stored digest built before
that moment which shows it is built again from the current data, which
leaves hidden content out. `digests.redact_hidden` runs from beat every few
minutes; each digest it rebuilds gets a new `built_at`, so it is done once.
Knowledge need not know digests exist (apps depend one way).
"""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from digests.build import digest_build
from digests.models import Digest
from knowledge.models import Item, Reply

# Hides older than this were handled by earlier runs.
LOOKBACK = timedelta(days=7)


def _hidden_since(since) -> list[tuple[int, str, object]]:
    """(community id, a piece of link that names it, hidden at) of everything
    hidden since `since`. Item links are /communities/<slug>/<id>-<title>/:
    "/<id>-" names the item even if its title changed since."""
    items = Item.objects.filter(hidden_at__gte=since).values_list(
        "community_id", "pk", "hidden_at"
    )
    replies = Reply.objects.filter(hidden_at__gte=since).values_list(
        "item__community_id", "pk", "hidden_at"
    )
    return [(c, f"/{pk}-", at) for c, pk, at in items] + [
        (c, f"#reply-{pk}", at) for c, pk, at in replies
    ]


def digests_redact_hidden(*, now=None) -> int:
    """Rebuild every stored digest that still shows hidden content. Returns
    how many were rebuilt."""
    now = now or timezone.now()
    stale = Q(pk__in=[])
    for community_id, link, hidden_at in _hidden_since(now - LOOKBACK):
        stale |= Q(
            community_id=community_id, built_at__lt=hidden_at, html__contains=link
        )
    rebuilt = 0
    for digest in Digest.objects.filter(stale).select_related("community"):
        digest_build(
            community=digest.community,
            period=digest.period,
            start=digest.start,
            force=True,
        )
        rebuilt += 1
    return rebuilt
