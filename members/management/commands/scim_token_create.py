from django.core.management.base import BaseCommand

from members.services import scim_token_create


class Command(BaseCommand):
    help = (
        "Make a bearer token for the identity provider's SCIM provisioning. "
        "The token is printed once; Practica keeps only its SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help='Who uses it, e.g. "Entra ID".')

    def handle(self, *args, name, **options):
        token, raw = scim_token_create(name=name)
        self.stderr.write(
            f"SCIM token {token.name!r} made. Give your identity provider the "
            f"base URL <SITE_URL>/scim/v2/ and this token (shown only now):"
        )
        self.stdout.write(raw)
