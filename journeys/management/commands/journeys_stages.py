from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from journeys.services.stages import stage_snapshot_build


class Command(BaseCommand):
    help = "Compute members' participation stages (today, or each day since --since)."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="YYYY-MM-DD: replay each day from then")

    def handle(self, *args, since=None, **options):
        today = timezone.localdate()
        try:
            day = date.fromisoformat(since) if since else today
        except ValueError as exc:
            raise CommandError("--since takes a date: YYYY-MM-DD") from exc
        moves = 0
        while day <= today:
            moves += stage_snapshot_build(day=day)
            day += timedelta(days=1)
        self.stdout.write(f"{moves} stage moves")
