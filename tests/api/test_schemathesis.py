"""Schemathesis walks every operation of the OpenAPI document with generated input:
whatever it sends, the API answers without a server error (invariant 7).

(Driven through Hypothesis directly: schemathesis' pytest plugin does not yet run
under pytest 9.)"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from api import services as api_services

EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def wsgi_app():
    """The WSGI app as Django's test client runs it: without closing the test's
    connection at the end of each request (on PostgreSQL that would end the test
    transaction and every later request would fail)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db):
    _key, raw = api_services.api_key_create(name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


def test_no_input_makes_a_server_error(bearer, world, wsgi_app):
    """Generated bodies, paths and headers get a 2xx or a 4xx with a reason, never a 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            response = case.call(headers=bearer)
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, response.text[:300]))
            elif response.status_code >= 400 and not response.json().get("detail"):
                failures.append(
                    (case.method, case.formatted_path, "4xx without detail")
                )

        call()
    assert failures == []
