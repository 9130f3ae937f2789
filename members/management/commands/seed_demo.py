"""Load Practica's demo organisation.

Each app that has demo data provides `<app>/demo.py` with `seed(stdout)`;
they run in INSTALLED_APPS order (members first), so each app may rely on the
data of the apps it depends on. Every seed is idempotent.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from members.demo import PASSWORD as DEMO_PASSWORD

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
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name.startswith("django") or not find_spec(config.name):
                    continue
                if find_spec(module_name) is None:
                    continue
                with transaction.atomic():
                    import_module(module_name).seed(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password for all: {DEMO_PASSWORD}): "
                f"{DEMO_ADMIN_EMAIL} (admin)"
            )
        )
        for email, who in DEMO_VIEWPOINTS:
            self.stdout.write(f"  {email:32} {who}")
