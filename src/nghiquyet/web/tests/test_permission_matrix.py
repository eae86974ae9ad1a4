"""Every door, tried: each URL pattern of the site and each operation of the API's schema, anonymously
and logged in. Both lists are read from the URL conf and the OpenAPI schema, so an endpoint added
without a row in RULES fails `test_every_endpoint_has_a_rule`."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from nghiquyet.api.api import api
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Result, Target

ANON_REFUSED, LOGIN_REDIRECT = 401, 302

# (method, route) → (status for an anonymous visitor, status for a logged-in user).
# Web routes are Django routes; API routes are OpenAPI paths under /api/v1.
RULES: dict[tuple[str, str], tuple[int, int]] = {
    ("GET", ""): (LOGIN_REDIRECT, 200),
    ("GET", "dang-nhap/"): (200, 302),
    ("POST", "dang-xuat/"): (302, 302),
    ("GET", "nghi-quyet/<slug:key>/"): (LOGIN_REDIRECT, 200),
    ("GET", "nghi-quyet/<slug:key>/danh-gia/"): (LOGIN_REDIRECT, 200),
    ("GET", "nghi-quyet/<slug:key>/chi-tieu/<str:code>/"): (LOGIN_REDIRECT, 200),
    # the API's own pages: public (ninja's root page answers 404 outside DEBUG)
    ("GET", "api/v1/"): (404, 404),
    ("GET", "api/v1/openapi.json"): (200, 200),
    ("GET", "api/v1/docs"): (200, 200),
    ("GET", "/api/v1/health"): (200, 200),
    ("GET", "/api/v1/org-units"): (ANON_REFUSED, 200),
    ("POST", "/api/v1/org-units"): (ANON_REFUSED, 201),
    ("GET", "/api/v1/org-units/{unit_id}"): (ANON_REFUSED, 200),
    ("PATCH", "/api/v1/org-units/{unit_id}"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/resolutions"): (ANON_REFUSED, 200),
    ("POST", "/api/v1/resolutions"): (ANON_REFUSED, 201),
    ("GET", "/api/v1/resolutions/{key}"): (ANON_REFUSED, 200),
    ("PATCH", "/api/v1/resolutions/{key}"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/resolutions/{key}/targets"): (ANON_REFUSED, 200),
    ("POST", "/api/v1/resolutions/{key}/targets"): (ANON_REFUSED, 201),
    ("GET", "/api/v1/targets/{target_id}"): (ANON_REFUSED, 200),
    ("PATCH", "/api/v1/targets/{target_id}"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/plans"): (ANON_REFUSED, 200),
    ("POST", "/api/v1/plans"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/plans/{plan_id}"): (ANON_REFUSED, 200),
    ("PATCH", "/api/v1/plans/{plan_id}"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/results"): (ANON_REFUSED, 200),
    ("POST", "/api/v1/results"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/results/{result_id}"): (ANON_REFUSED, 200),
    ("PATCH", "/api/v1/results/{result_id}"): (ANON_REFUSED, 200),
    ("GET", "/api/v1/scorecard"): (ANON_REFUSED, 200),
}

WEB_METHODS = {"dang-xuat/": "POST"}
API_PAGES = ("api/v1/", "api/v1/openapi.json", "api/v1/docs")


def web_routes() -> list[str]:
    """Every route of the URL conf, the API's included (its operations are also checked from the schema)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, item in schema["paths"].items() for method in item)


def endpoints() -> list[tuple[str, str]]:
    web = [
        (WEB_METHODS.get(route, "GET"), route)
        for route in web_routes()
        # the API's operation routes are covered by the schema; its own pages are listed in RULES
        if not route.startswith("api/v1/") or route in API_PAGES
    ]
    return web + api_operations()


def test_every_endpoint_has_a_rule():
    missing = [endpoint for endpoint in endpoints() if endpoint not in RULES]
    assert not missing, f"endpoints without an access rule in RULES: {missing}"


def test_every_api_route_is_in_the_schema():
    """No API view hides from the schema (and so from the matrix)."""
    schema_paths = {re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/api/v1/")) for _, path in api_operations()}
    for route in web_routes():
        if route.startswith("api/v1/") and route not in API_PAGES:
            normalised = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route.removeprefix("api/v1/"))
            assert normalised in schema_paths, route


def test_rules_name_only_real_endpoints():
    assert set(RULES) == set(endpoints())


@pytest.fixture
def values(demo):
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    target = Target.objects.get(resolution__key="ct-2021", code="19")
    return {
        "key": "ct-2021",
        "code": "19",
        "unit_id": city.pk,
        "target_id": target.pk,
        "plan_id": Plan.objects.filter(target=target).first().pk,
        "result_id": Result.objects.filter(target=target).first().pk,
    }


def bodies(values) -> dict[tuple[str, str], dict]:
    """A valid body for each write, so a logged-in user's request shows the rule, not a validation error."""
    return {
        ("POST", "/api/v1/org-units"): {"code": "NEW", "name": "Đơn vị mới"},
        ("PATCH", "/api/v1/org-units/{unit_id}"): {"level": "thành phố"},
        ("POST", "/api/v1/resolutions"): {"key": "new", "number": "1-NQ", "title": "Mới", "org_unit_id": values["unit_id"]},
        ("PATCH", "/api/v1/resolutions/{key}"): {"issuer": "Ban Chấp hành"},
        ("POST", "/api/v1/resolutions/{key}/targets"): {"code": "99", "name": "Mới", "direction": "increase"},
        ("PATCH", "/api/v1/targets/{target_id}"): {"unit": "người"},
        ("POST", "/api/v1/plans"): {"target_id": values["target_id"], "org_unit_id": values["unit_id"], "period": "2021", "value": 1603},
        ("PATCH", "/api/v1/plans/{plan_id}"): {"value": 1604},
        ("POST", "/api/v1/results"): {"target_id": values["target_id"], "org_unit_id": values["unit_id"], "period": "2021", "value": 1635},
        ("PATCH", "/api/v1/results/{result_id}"): {"note": "ghi chú"},
    }


def url_for(route: str, values: dict) -> str:
    path = route if route.startswith("/") else "/" + route
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    path = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    if path == "/api/v1/scorecard":
        path += "?resolution=ct-2021&org=CT&period=2021"
    return path


def call(client, method: str, route: str, values: dict):
    body = bodies(values).get((method, route))
    url = url_for(route, values)
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, data=body or {}, content_type="application/json")


@pytest.mark.parametrize("endpoint", sorted(RULES), ids=lambda e: f"{e[0]} {e[1]}")
def test_an_anonymous_visitor_is_refused_everywhere_but_the_public_pages(client, values, endpoint):
    method, route = endpoint
    expected, _ = RULES[endpoint]
    response = call(client, method, route, values)
    assert response.status_code == expected, response.content[:300]
    if expected == LOGIN_REDIRECT and method == "GET":
        assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("endpoint", sorted(RULES), ids=lambda e: f"{e[0]} {e[1]}")
def test_a_logged_in_user_gets_through(client, django_user_model, values, endpoint):
    method, route = endpoint
    _, expected = RULES[endpoint]
    client.force_login(django_user_model.objects.create(username="reader"))
    response = call(client, method, route, values)
    assert response.status_code == expected, response.content[:300]
