"""/api/v1/scorecard: the same JSON as `nghiquyet scorecard --format json`, and the same errors."""

import io
import json

import pytest
from django.core.management import call_command

from nghiquyet.figures.scorecard import build_scorecard

pytestmark = pytest.mark.django_db

URL = "/api/v1/scorecard"


def cli(resolution, org, period, *extra):
    """Run the CLI command; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("scorecard", "--resolution", resolution, "--org", org, "--period", period, *extra, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


CASES = [
    ("ct-2021", "CT", "2021"),
    ("ct-2021", "CT-NK", "2021"),
    ("ct-2021", "CT-NK-TA", "2021"),
    ("ct-2021", "CT", "2020"),
    ("ct-xiv", "CT", "2020-2025"),
]


@pytest.mark.parametrize("resolution, org, period", CASES)
def test_the_json_is_the_clis_json(api, demo, resolution, org, period):
    response = api.get(URL, {"resolution": resolution, "org": org, "period": period})
    assert response.status_code == 200
    code, out, _ = cli(resolution, org, period, "--format", "json")
    assert code == 0
    assert response.json() == json.loads(out)


@pytest.mark.parametrize("resolution, org, period", CASES)
def test_the_json_is_build_scorecard_as_json(api, demo, resolution, org, period):
    response = api.get(URL, {"resolution": resolution, "org": org, "period": period})
    expected = build_scorecard(resolution_key=resolution, org_code=org, period=period).as_json()
    assert response.json() == json.loads(json.dumps(expected))


def test_the_review_figures_come_back_as_numbers(api, demo):
    data = api.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2021"}).json()
    assert list(data) == ["resolution", "org_unit", "period", "summary", "targets"]
    assert (data["resolution"], data["org_unit"], data["period"]) == ("ct-2021", "CT", "2021")
    summary = data["summary"]
    assert (summary["total"], summary["exceeded"] + summary["met"], summary["not_met"]) == (19, 11, 8)
    members = next(t for t in data["targets"] if t["code"] == "19")
    assert members["actual"] == 1635 and isinstance(members["actual"], int) and members["plan"] == 1603
    assert 101.99 < members["percent_of_plan"] < 102.0 and members["status"] == "exceeded"
    poverty = next(t for t in data["targets"] if t["code"] == "09")
    assert poverty["actual"] == 0.21


def test_a_half_year_and_the_period_code_as_written(api, demo):
    response = api.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2021-h1"})
    assert response.status_code == 200
    assert response.json()["period"] == "2021-H1"


def test_the_scorecard_follows_a_change_made_through_the_api(api, ct):
    members = api.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2021"}).json()
    plan_id = api.get("/api/v1/plans", {"resolution": "ct-2021", "org_unit_id": ct.pk, "period": "2021"}).json()["items"]
    plan_id = next(p["id"] for p in plan_id if p["target_code"] == "19")
    assert api.patch(f"/api/v1/plans/{plan_id}", {"value": 1700}, content_type="application/json").status_code == 200
    after = api.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2021"}).json()
    assert next(t for t in members["targets"] if t["code"] == "19")["status"] == "exceeded"
    assert next(t for t in after["targets"] if t["code"] == "19")["status"] == "not_met"


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resolution, org, period, status, field",
    [
        ("khong-co", "CT", "2021", 404, "resolution"),
        ("ct-2021", "ZZ", "2021", 404, "org_unit"),
        ("ct-2021", "CT", "2021-13", 400, "period"),
        ("ct-2021", "CT", "2027", 400, "period"),
        ("ct-2021", "CT-NK", "2025-H2", 404, "org_unit"),  # the districts ended on 30/6/2025
    ],
)
def test_an_error_has_the_clis_message(api, demo, resolution, org, period, status, field):
    response = api.get(URL, {"resolution": resolution, "org": org, "period": period})
    assert response.status_code == status
    body = response.json()
    assert body["field"] == field
    code, out, err = cli(resolution, org, period)
    assert code == 2 and out == ""
    assert err.strip() == f"Lỗi: {body['detail']}"


def test_the_period_outside_the_term_says_so(api, demo):
    response = api.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2027"})
    assert response.json()["detail"] == "Kỳ 2027 nằm ngoài nhiệm kỳ 2020-2025 của nghị quyết ct-2021."


def test_missing_parameters_are_a_422_naming_them(api, demo):
    response = api.get(URL, {"resolution": "ct-2021"})
    assert response.status_code == 422
    assert sorted(error["loc"][-1] for error in response.json()["errors"]) == ["org", "period"]


def test_a_nul_character_in_the_org_code_is_not_a_500(api, demo):
    # Found on PostgreSQL: the lookup by code sends the NUL to the driver, which refuses it: a 500.
    response = api.get(URL, {"resolution": "ct-2021", "org": "C\x00T", "period": "2021"})
    assert 400 <= response.status_code < 500


def test_anonymous_gets_a_401(anonymous, demo):
    response = anonymous.get(URL, {"resolution": "ct-2021", "org": "CT", "period": "2021"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Cần đăng nhập.", "field": None}
