"""CSRF on writes made with a session: refused without the token, accepted with X-CSRFToken.

The client enforces CSRF checks, takes its csrftoken cookie from the login page the way a browser does,
and is then logged in.
"""

from decimal import Decimal as D

import pytest
from django.test import Client

from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Target

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def browser(user):
    """A logged-in client with CSRF checks on and a csrftoken cookie; returns (client, token)."""
    client = Client(enforce_csrf_checks=True)
    client.raise_request_exception = False
    assert client.get("/dang-nhap/").status_code == 200
    client.force_login(user)
    assert "sessionid" in client.cookies
    return client, client.cookies["csrftoken"].value


def test_a_post_without_the_token_is_a_403_and_stores_nothing(browser, demo):
    client, _ = browser
    response = client.post("/api/v1/org-units", {"code": "X1", "name": "Đơn vị thử"}, content_type=JSON)
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_a_post_with_the_token_in_x_csrftoken_succeeds(browser, demo):
    client, token = browser
    response = client.post("/api/v1/org-units", {"code": "X1", "name": "Đơn vị thử"}, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    assert OrgUnit.objects.get(code="X1").name == "Đơn vị thử"


def test_a_post_with_a_wrong_token_is_a_403(browser, demo):
    client, token = browser
    wrong = token[::-1] if token[::-1] != token else "x" * len(token)
    response = client.post("/api/v1/org-units", {"code": "X1", "name": "X"}, content_type=JSON, HTTP_X_CSRFTOKEN=wrong)
    assert response.status_code == 403
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_a_patch_needs_the_token_too(browser, demo):
    client, token = browser
    members = Plan.objects.get(target=Target.objects.get(resolution__key="ct-2021", code="19"), org_unit__code="CT", period="2021")
    refused = client.patch(f"/api/v1/plans/{members.pk}", {"value": 1700}, content_type=JSON)
    assert refused.status_code == 403
    members.refresh_from_db()
    assert members.value == D(1603)
    accepted = client.patch(f"/api/v1/plans/{members.pk}", {"value": 1700}, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    members.refresh_from_db()
    assert members.value == D(1700)


def test_a_post_to_a_nested_resource_needs_the_token(browser, demo):
    client, token = browser
    body = {"code": "20", "name": "Chỉ tiêu thử", "direction": "increase"}
    assert client.post("/api/v1/resolutions/ct-2021/targets", body, content_type=JSON).status_code == 403
    assert not Target.objects.filter(resolution__key="ct-2021", code="20").exists()
    response = client.post("/api/v1/resolutions/ct-2021/targets", body, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_reads_need_no_token(browser, demo):
    client, _ = browser
    assert client.get("/api/v1/org-units").status_code == 200
    assert client.get("/api/v1/scorecard", {"resolution": "ct-2021", "org": "CT", "period": "2021"}).status_code == 200


def test_without_a_session_the_token_does_not_help(demo):
    client = Client(enforce_csrf_checks=True)
    client.get("/dang-nhap/")
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/org-units", {"code": "X1", "name": "X"}, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 401
    assert not OrgUnit.objects.filter(code="X1").exists()
