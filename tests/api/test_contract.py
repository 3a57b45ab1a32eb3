"""The API keeps the contract its OpenAPI schema states: schemathesis, with every check.

The site answers in process (its WSGI application, no server) from the demo content plus
a few items with their optional parts left out, so lists have items, links from lists
reach items, and nullable fields come back null. A fixed seed and few examples: the same
cases on every run, in seconds. A failure prints the request (as curl) and what it broke.
"""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from cdfsite.wsgi import application
from tests.factories import (
    EditionFactory,
    PersonFactory,
    PositionFactory,
    ReportFactory,
    SessionFactory,
)

# schemathesis addresses a WSGI application as http://localhost.
HOST = "localhost"

EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    database=None,  # no .hypothesis folder in the project
    suppress_health_check=list(HealthCheck),
)

# Every check; examples, coverage and fuzzing for each operation (the phases schemathesis
# runs for a test it parametrizes), with this seed.
CONTRACT = SchemathesisConfig.from_dict({"seed": 20240325, "checks": {"enabled": True}})

# The schema as /api/schema/ serves it (loaded while the tests are collected, when
# pytest-django has not yet allowed its test host).
with override_settings(ALLOWED_HOSTS=[HOST]):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, config=CONTRACT
    )


@pytest.fixture
def site(demo, settings):
    """The site answering in process, as Django's test client runs it: a finished request
    would otherwise close the database connection of the test's transaction."""
    edition = EditionFactory(host=None, organiser=None)
    SessionFactory(edition=edition, part_of_day="", start_time=datetime.time(9), end_time=None)
    ReportFactory(edition=edition, publisher=None, session=None, single_language="en")
    PositionFactory(person=PersonFactory(given_name_en="", given_name_zh_hans=""))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@EXAMPLES
def test_api_operation_keeps_its_contract(case, site):
    case.call_and_validate()


def test_api_links_from_lists_to_items_keep_the_contract(site):
    # Lists, then the items their ids and slugs lead to (links schemathesis infers).
    schema.as_state_machine().run(settings=settings(EXAMPLES, derandomize=True))
