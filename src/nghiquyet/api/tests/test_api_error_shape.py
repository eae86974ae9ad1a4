"""Every 4xx of the API has the documented shape {"detail": "…", "field": "…"}: a request the schema refuses
(422) too, with the first problem in words and pydantic's list kept under "errors"."""

from __future__ import annotations

import pytest

JSON = "application/json"


@pytest.mark.parametrize(
    "method, url, body, field",
    [
        ("post", "/api/v1/results", {"org_unit_id": 1, "period": "2021"}, "value"),
        ("post", "/api/v1/plans", {"value": 1, "period": 2021}, "period"),
        ("get", "/api/v1/scorecard?resolution=ct-2021", None, "org"),
        ("get", "/api/v1/org-units?page=0", None, "page"),
    ],
)
def test_a_request_the_schema_refuses_is_a_422_in_the_documented_shape(api, demo, method, url, body, field):
    kwargs = {"data": body, "content_type": JSON} if body is not None else {}
    response = getattr(api, method)(url, **kwargs)
    assert response.status_code == 422
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    assert data["field"] == field
    assert isinstance(data["errors"], list) and data["errors"][0]["loc"][-1] == field


def test_a_missing_field_is_named_in_vietnamese_and_in_english(api, demo):
    response = api.post("/api/v1/results", {"org_unit_id": 1, "period": "2021"}, content_type=JSON)
    assert response.json()["detail"] == "Thiếu trường value."
    english = api.post("/api/v1/results", {"org_unit_id": 1, "period": "2021"}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "value: required."


def test_a_body_that_is_not_json_is_a_4xx_in_the_documented_shape(api, demo):
    response = api.post("/api/v1/results", "{not json", content_type=JSON)
    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["detail"], str) and "field" in response.json()


def test_figures_may_be_named_by_codes_instead_of_ids(api, demo):
    body = {"resolution": "ct-2021", "target": "10", "org_unit": "CT-NK-TA", "period": "2023", "value": 96}
    response = api.post("/api/v1/results", body, content_type=JSON)
    assert response.status_code == 201
    assert (response.json()["target_code"], response.json()["org_unit_code"]) == ("10", "CT-NK-TA")
    unknown = api.post("/api/v1/results", body | {"org_unit": "XX"}, content_type=JSON)
    assert unknown.status_code == 404 and unknown.json()["field"] == "org_unit"
