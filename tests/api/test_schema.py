"""The OpenAPI schema describes what the API really answers: schemathesis generates requests for
every operation from /api/schema/ and runs them in-process against the WSGI application (no server),
as a reviewer, checking that nothing answers 5xx and every response matches its schema."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application

from .conftest import client_for


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django's WSGI handler closes the database connection after each request, which would end the
    test's transaction; its test client disconnects the same signals while it runs, and so do we."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Read once at collection, from the application itself (the schema view needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_it_answers_every_operation_as_its_schema_says(case, world, wsgi_keeps_the_test_connection):
    token, _ = Token.objects.get_or_create(user=world.users["reviewer"])
    case.call_and_validate(headers={"Authorization": f"Token {token.key}"},
                           checks=[not_a_server_error, response_schema_conformance])


def test_it_serves_the_schema_and_the_docs_without_a_network(world):
    client = client_for(world, "anonymous")
    schema_response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema_response.status_code == 200
    paths = schema_response.json()["paths"]
    assert "/api/v1/scores/{id}/" in paths and "patch" in paths["/api/v1/scores/{id}/"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "//cdn." not in html and "unpkg.com" not in html
