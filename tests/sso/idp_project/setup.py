"""python -m tests.sso.idp_project.setup '<json>': migrate the IdP's own
database and create its people and the Practica client application."""

import json
import sys

import django


def main(spec: dict) -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for person in spec["users"]:
        User.objects.create_user(
            username=person["username"],
            email=person["email"],
            password=person["password"],
            first_name=person.get("first_name", ""),
            last_name=person.get("last_name", ""),
        )
    Application.objects.create(
        name="Practica",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=spec["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
