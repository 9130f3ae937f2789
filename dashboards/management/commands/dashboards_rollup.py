"""Backfill the dashboards' daily rollups.

manage.py dashboards_rollup             # every day and item (as nightly)
manage.py dashboards_rollup --days 30   # only the last 30 days
"""

from datetime import timedelta
from time import perf_counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from dashboards import rollups


class Command(BaseCommand):
    help = "Recompute the dashboards' daily rollups (all of them by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            help="Only the last N days (today included); item facts untouched.",
        )

    def handle(self, *args, days=None, **options):
        started = perf_counter()
        if days:
            today = timezone.localdate()
            rollups.rollup_days(today - timedelta(days=days - 1), today)
        else:
            rollups.rollup_all()
        self.stdout.write(f"Rollups done in {perf_counter() - started:.1f} s.")
