"""/api/v1/health, /api/v1/openapi.json and /api/v1/docs: open to anonymous callers."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

RESOURCE_PATHS = {
    "/api/v1/org-units": {"get", "post"},
    "/api/v1/org-units/{unit_id}": {"get", "patch"},
    "/api/v1/resolutions": {"get", "post"},
    "/api/v1/resolutions/{key}": {"get", "patch"},
    "/api/v1/resolutions/{key}/targets": {"get", "post"},
    "/api/v1/targets/{target_id}": {"get", "patch"},
    "/api/v1/plans": {"get", "post"},
    "/api/v1/plans/{plan_id}": {"get", "patch"},
    "/api/v1/results": {"get", "post"},
    "/api/v1/results/{result_id}": {"get", "patch"},
    "/api/v1/scorecard": {"get"},
}


def test_health_answers_anonymously_that_the_database_is_reachable(anonymous):
    response = anonymous.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_health_answers_a_logged_in_user_too(api):
    assert api.get("/api/v1/health").json()["status"] == "ok"


def test_health_is_a_503_when_the_database_is_unreachable(anonymous, monkeypatch):
    class Unreachable:
        vendor = connection.vendor

        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr("nghiquyet.api.api.connection", Unreachable())
    response = anonymous.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": connection.vendor}


def test_health_needs_no_csrf_token_and_no_session(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).get("/api/v1/health")
    assert response.status_code == 200


def test_the_schema_is_open_and_lists_every_resource(anonymous):
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path, methods in RESOURCE_PATHS.items():
        assert path in paths, path
        assert set(paths[path]) >= methods, path
    assert set(paths["/api/v1/health"]) == {"get"}
    for word in ("org-units", "resolutions", "targets", "plans", "results", "scorecard", "health"):
        assert any(word in path for path in paths), word


def test_the_schema_marks_everything_but_health_as_needing_the_session(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["SessionAuth"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    assert "security" not in schema["paths"]["/api/v1/health"]["get"]
    for path, methods in RESOURCE_PATHS.items():
        for method in methods:
            assert {"SessionAuth": []} in schema["paths"][path][method]["security"], (method, path)


def test_the_schema_promises_figures_as_json_numbers(anonymous):
    components = anonymous.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, field in (("PlanOut", "value"), ("PlanOut", "value_max"), ("ResultOut", "value")):
        types = {option.get("type") for option in components[name]["properties"][field]["anyOf"]}
        assert "string" not in types and "number" in types, (name, field)


def test_the_docs_page_is_open(anonymous):
    response = anonymous.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content or b"swagger" in response.content.lower()
