"""Build and send digests now, in this process (no broker needed).

    manage.py send_digests --period weekly [--community SLUG]
        [--start 2026-11-16] [--dry-run]

Safe to rerun: digests are rebuilt in place and nobody gets the same
period's e-mail twice (members already sent to are skipped).
"""

from django.core.management.base import BaseCommand, CommandError

from communities.models import Community
from digests import build, deliver, periods
from digests.models import DigestDelivery, DigestPeriod


class Command(BaseCommand):
    help = "Build the last complete period's digests and e-mail them to members."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", required=True, choices=[p.value for p in DigestPeriod]
        )
        parser.add_argument(
            "--community", metavar="SLUG", help="Only this community and its members."
        )
        parser.add_argument(
            "--start",
            metavar="YYYY-MM-DD",
            help="The period starting on this day (default: the last complete one).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be built and sent; write and send nothing.",
        )

    def handle(self, *args, period, community, start, dry_run, **options):
        if start:
            try:
                begin = periods.parse_start(period, start)
            except ValueError as exc:
                raise CommandError(f"--start: {exc}") from exc
        else:
            begin = periods.period_bounds(period)[0]
        end = periods.period_end(period, begin)
        communities = Community.objects.filter(archived_at__isnull=True).order_by(
            "slug"
        )
        target = None
        if community:
            target = communities.filter(slug=community).first()
            if target is None:
                raise CommandError(
                    f"No active community with the address {community!r}."
                )
            communities = communities.filter(pk=target.pk)
        self.stdout.write(
            f"{period} digests from {begin:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"
        )

        for c in communities.iterator():
            if dry_run:
                content = build.digest_content(
                    community=c, period=period, start=begin, end=end
                )
                news = build.has_news(content)
            else:
                digest = build.digest_build(community=c, period=period, start=begin)
                content, news = digest.content, digest.has_news
            f = content["figures"]
            self.stdout.write(
                f"  {c.slug}: {f['items']} items, {f['replies']} replies, "
                f"{f['active_members']} active, {f['new_members']} new members"
                + ("" if news else " (quiet)")
            )

        recipients = deliver.recipient_ids(period=period, community=target)
        totals = {"sent": 0, "failed": 0, "skipped": 0, "nothing": 0}
        for batch in deliver.in_batches(recipients):
            if dry_run:
                plans = deliver.plan_batch(
                    period=period, start=begin, member_ids=batch, save=False
                )
                done = set(
                    DigestDelivery.objects.filter(
                        member_id__in=list(plans), period=period, period_start=begin
                    )
                    .exclude(
                        status__in=[
                            DigestDelivery.Status.PENDING,
                            DigestDelivery.Status.FAILED,
                        ]
                    )
                    .values_list("member_id", flat=True)
                )
                totals["sent"] += len(set(plans) - done)
                totals["skipped"] += len(done)
                totals["nothing"] += len(batch) - len(plans)
                continue
            result = deliver.digest_batch_send(
                period=period, start=begin, member_ids=batch
            )
            for key in totals:
                totals[key] += len(getattr(result, key))
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"E-mails {verb}: {totals['sent']}; already sent or in progress: "
            f"{totals['skipped']}; nothing to tell: {totals['nothing']}; "
            f"failed: {totals['failed']}"
        )
        if totals["failed"]:
            raise CommandError(
                f"{totals['failed']} e-mails failed; run the command again to retry."
            )
