"""Load Practica's demo organisation (the `demo` package).

The steps run in order, each on the data of the ones before it, each in its
own transaction and each idempotent: running the command again completes a
partial demo and otherwise changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo import (
    avatars,
    communities,
    contributions,
    dashboards,
    digests,
    follows,
    integrations,
    journeys,
    knowledge,
    mentions,
    mentoring,
    networks,
    notifications,
    people,
    practice,
    reply_marks,
)

STEPS = [
    people,
    avatars,
    communities,
    knowledge,
    contributions,
    mentoring,
    practice,
    mentions,
    reply_marks,
    follows,
    # Plans opened by the joins above, dated and played out; stage moves.
    journeys,
    digests,
    notifications,
    dashboards,
    integrations,
    # Last: the nightly network snapshot, computed on everything above.
    networks,
]
DEMO_ADMIN_EMAIL = "admin@practica.local"
# Other points of view worth logging in as.
DEMO_VIEWPOINTS = [
    ("maria.lopez@practica.local", "local line leader, steward, brokers mentoring"),
    ("jon.ito@practica.local", "executive leader, mentor"),
    ("sam.okafor@practica.local", "internal networker"),
    ("oliver.brown@practica.local", "newcomer looking for a mentor"),
]


class Command(BaseCommand):
    help = "Create (or complete) the demo organisation. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Do nothing if the demo admin already exists.",
        )

    def handle(self, *args, once=False, **options):
        from members.models import User

        if once and User.objects.filter(email=DEMO_ADMIN_EMAIL).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            with connection.cursor() as cursor:
                # Thousands of small commits (each job after a step runs in
                # its own) need not each wait for the disk: a crash loses at
                # most the last moments, and running again completes the demo.
                cursor.execute("SET synchronous_commit TO off")
            try:
                for step in STEPS:
                    with transaction.atomic():
                        step.seed(self.stdout)
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password for all: {people.PASSWORD}): "
                f"{DEMO_ADMIN_EMAIL} (admin)"
            )
        )
        for email, who in DEMO_VIEWPOINTS:
            self.stdout.write(f"  {email:32} {who}")
