"""Schemathesis drives every operation of the served OpenAPI schema, in
process against the WSGI application, signed in as a member with a write
token, over a seeded database: no answer is a server error, and every
answer the schema documents matches it. Examples are limited so the run
takes a couple of minutes at most on the shared 2-core machine."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from knowledge import services as knowledge
from mentoring.models import MentoringRequest
from notifications.services import notify
from tests.api.conftest import token_for
from tests.knowledge.roles import build_world

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def seeded(db):
    world = build_world()
    member = world.author
    for n in range(3):
        knowledge.reply_create(
            item=world.open_item, author=world.people["steward"], body=f"Reply {n}"
        )
        notify(recipient=member, kind="test", message=f"Note {n}", url="/")
    MentoringRequest.objects.create(mentee=member, goals="Learn to weld")
    return {"world": world, "token": token_for(member)}


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    """Hundreds of requests a minute from one token: rate limits have their
    own test (test_throttling.py)."""
    rates = {"api": "100000/min", "api_anon": "100000/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """The test's transaction must survive the requests: Django's own test
    client unhooks these signals the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loading the schema reads no table: it is generated from the code.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", get_wsgi_application()
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_and_never_fails(case, seeded):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded['token']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
