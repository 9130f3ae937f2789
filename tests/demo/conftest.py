"""The whole demo, seeded once per test module that asks for it.

Seeding writes through the services and takes a while, so the modules that
look at the full demo share one seed: it runs in a transaction held open for
the module and rolled back at its end (as Django's TestCase.setUpTestData
does); each test still runs in its own savepoint inside it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The output of `manage.py seed_demo` on an empty database."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
