"""Property-based API testing with schemathesis: generated requests for every operation of
/api/v1/openapi.json, as an authenticated user with a read-write token, against the demo data.
Two checks: never a 5xx, and every documented response matches the schema.

The operations are driven with Hypothesis directly (schemathesis's pytest plugin does not run under
pytest 9); a failure names the operation and the generated case."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from nghiquyet.accounts.services import create_token
from nghiquyet.wsgi import application

MAX_EXAMPLES = 25  # per operation; enough to hit the edges, small enough for CI on two cores


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI application directly sends request_started/finished, whose handler closes the
    database connection — and with it the test's transaction on PostgreSQL. Django's test client turns
    that handler off for the same reason; so does this fixture."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(demo, django_user_model, settings):
    settings.NGHIQUYET_RATE_LIMITS = {"login": 0, "api": 0}
    user = django_user_model.objects.create_superuser("schemathesis", password="mat-khau-dai-1")
    _, secret = create_token(user=user, name="schemathesis", scope="read-write")
    return secret


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.django_db
def test_the_schema_lists_every_operation():
    labels = {operation.label for operation in operations()}
    assert "GET /api/v1/scorecard" in labels and "POST /api/v1/results/{result_id}/approve" in labels
    assert len(labels) >= 30


def fuzz(operation, token):
    """A Hypothesis test of one operation."""

    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    return run


@pytest.mark.django_db
def test_the_api_never_fails_and_matches_its_schema(token):
    failures = []
    for operation in operations():
        try:
            fuzz(operation, token)()
        except Exception as error:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert not failures, "\n\n".join(failures)
