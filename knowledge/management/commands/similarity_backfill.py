"""Compute similar/related data for items that lack it (after a bulk load,
or after turning embeddings on or off); `--all` recomputes every item so
related lists take newer items into account."""

from django.core.management.base import BaseCommand

from knowledge import similarity
from knowledge.models import Item


class Command(BaseCommand):
    help = "Compute item embeddings and related items that are missing or stale."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="recompute every item")
        parser.add_argument("--limit", type=int, default=None)

    def handle(self, *args, all=False, limit=None, **options):
        if all:
            ids = Item.objects.order_by("-id").values_list("pk", flat=True)
            ids = list(ids[:limit] if limit else ids)
        else:
            ids = similarity.items_needing_similarity(limit=limit or 10**9)
        for done, item_id in enumerate(ids, 1):
            similarity.similarity_refresh(item_id=item_id, force=all)
            if done % 500 == 0:
                self.stdout.write(f"{done} / {len(ids)}")
        self.stdout.write(self.style.SUCCESS(f"{len(ids)} items computed"))
