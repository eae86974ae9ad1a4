"""/api/v1/plans: list, read, set (create or update), update, and the errors a user can make."""

from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.figures import writes
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.periods import parse_period
from nghiquyet.targets.models import Plan, Target

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/plans"


def target(code, key="ct-2021"):
    return Target.objects.get(resolution__key=key, code=code)


def plan(code, unit, period):
    return Plan.objects.get(target=target(code), org_unit=unit, period=period)


def number(value):
    """A figure from the body as a Decimal, whether it came as a JSON number or a string."""
    return D(str(value))


# --- list -------------------------------------------------------------------------------------------------


def test_the_list_is_paginated_with_items_and_count(api, demo):
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"} and body["count"] == Plan.objects.count() == 92
    assert len(body["items"]) == 92
    second = api.get(URL, {"page_size": 40, "page": 3}).json()
    assert second["count"] == 92 and len(second["items"]) == 12


def test_filter_by_resolution_target_and_period(api, demo):
    response = api.get(URL, {"resolution": "ct-2021", "target_id": target("19").pk, "period": "2021"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 11  # the city, nine districts and the party committee
    assert {item["target_code"] for item in body["items"]} == {"19"}
    assert {item["period"] for item in body["items"]} == {"2021"}
    assert sum(number(item["value"]) for item in body["items"] if item["org_unit_code"] != "CT") == 1603


def test_filter_by_org_unit(api, ct_nk):
    response = api.get(URL, {"org_unit_id": ct_nk.pk})
    assert response.status_code == 200
    assert sorted((item["target_code"], number(item["value"])) for item in response.json()["items"]) == [
        ("08", D(520)),
        ("09", D("0.1")),
        ("10", D(93)),
        ("19", D(240)),
    ]


def test_filter_by_resolution(api, demo):
    response = api.get(URL, {"resolution": "ct-xiv"})
    assert response.json()["count"] == Plan.objects.filter(target__resolution__key="ct-xiv").count() > 0
    assert {item["resolution_key"] for item in response.json()["items"]} == {"ct-xiv"}


def test_a_malformed_period_filter_is_a_400_naming_the_forms(api, demo):
    response = api.get(URL, {"period": "năm 2021"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "period" and 'Kỳ báo cáo "năm 2021" không hợp lệ' in body["detail"]


def test_a_page_far_beyond_the_end_is_empty(api, demo):
    response = api.get(URL, {"page": 1000})
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 92}


def test_a_huge_page_number_is_not_a_500(api, demo):
    # Found: the offset overflows the database's integer (SQLite "datatype mismatch", PostgreSQL
    # "bigint out of range"): a 500.
    response = api.get(URL, {"page": "99999999999999999999"})
    assert response.status_code in (200, 400, 422)


# --- read -------------------------------------------------------------------------------------------------


def test_read_one_plan(api, ct):
    members = plan("19", ct, "2021")
    response = api.get(f"{URL}/{members.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body.items() >= {
        "id": members.pk,
        "target_id": members.target_id,
        "target_code": "19",
        "resolution_key": "ct-2021",
        "org_unit_id": ct.pk,
        "org_unit_code": "CT",
        "period": "2021",
        "value_max": None,
    }.items()
    assert number(body["value"]) == 1603


def test_figures_come_back_as_json_numbers(api, ct):
    # Found: "1603.0000", "6.5000", "7.0000": ninja serialises Decimal as a string; the Figure
    # serializer (when_used="json") never runs because ninja dumps the schema in python mode.
    members = api.get(f"{URL}/{plan('19', ct, '2021').pk}").json()
    growth = api.get(f"{URL}/{plan('01', ct, '2021').pk}").json()
    assert members["value"] == 1603 and isinstance(members["value"], int)
    assert (growth["value"], growth["value_max"]) == (6.5, 7)


def test_read_an_unknown_plan_is_a_404(api, demo):
    response = api.get(f"{URL}/999999")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- set (create or update) -------------------------------------------------------------------------------


def test_post_creates_a_plan(api, ct):
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2022", "value": 1650}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    stored = plan("19", ct, "2022")
    assert (stored.value, stored.value_max) == (D(1650), None)
    assert (stored.period_start, stored.period_end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert response.json()["id"] == stored.pk and number(response.json()["value"]) == 1650


def test_post_normalises_the_period_code(api, ct):
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2022-h1", "value": 800}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["period"] == "2022-H1"
    assert plan("19", ct, "2022-H1").period_end == date(2022, 6, 30)


def test_post_a_range_plan_with_its_upper_bound(api, ct):
    payload = {"target_id": target("01").pk, "org_unit_id": ct.pk, "period": "2022", "value": "6.5", "value_max": 7}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    stored = plan("01", ct, "2022")
    assert (stored.value, stored.value_max) == (D("6.5"), D(7))


def test_post_again_for_the_same_cell_updates_it(api, ct):
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2021", "value": 1610}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 200
    assert Plan.objects.filter(target=target("19"), org_unit=ct, period="2021").count() == 1
    assert plan("19", ct, "2021").value == D(1610)


def test_a_period_outside_the_term_is_refused_with_the_services_message(api, ct):
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2026", "value": 1700}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body == {"detail": "Kỳ 2026 nằm ngoài nhiệm kỳ 2020-2025 của nghị quyết ct-2021.", "field": "period"}
    with pytest.raises(Invalid) as refused:
        writes.set_plan(target=target("19"), org_unit=ct, period=parse_period("2026"), value=D(1700))
    assert body["detail"] == str(refused.value)
    assert "ngoài nhiệm kỳ" in body["detail"]
    assert not Plan.objects.filter(period="2026").exists()


def test_an_upper_bound_below_the_plan_is_refused(api, ct):
    payload = {"target_id": target("01").pk, "org_unit_id": ct.pk, "period": "2022", "value": 7, "value_max": 6}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "Cận trên 6 nhỏ hơn kế hoạch 7.", "field": "value_max"}
    assert not Plan.objects.filter(target=target("01"), period="2022").exists()


def test_a_milestone_plan_of_2_is_refused(api, ct):
    payload = {"target_id": target("16").pk, "org_unit_id": ct.pk, "period": "2022", "value": 2}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Chỉ tiêu dạng hoàn thành/chưa hoàn thành chỉ nhận 1 (có) hoặc 0 (không).",
        "field": "value",
    }
    assert not Plan.objects.filter(target=target("16"), period="2022").exists()


@pytest.mark.parametrize(
    "code, change, field, words",
    [
        ("19", {"value_max": 2000}, "value_max", "Cận trên chỉ dùng cho chỉ tiêu dạng khoảng"),
        ("19", {"value": "1.23456"}, "value", "quá 4 chữ số thập phân"),
        ("19", {"value": 1e16}, "value", "Giá trị quá lớn"),
        ("19", {"value": "NaN"}, "value", "không phải là số"),
        ("19", {"value": "1234567890.123456"}, "value", "quá 4 chữ số thập phân"),
        ("19", {"period": "2022-13"}, "period", 'Kỳ báo cáo "2022-13" không hợp lệ'),
        ("19", {"period": "2019"}, "period", "ngoài nhiệm kỳ"),
    ],
)
def test_a_rule_broken_is_a_400_naming_the_field(api, ct, code, change, field, words):
    payload = {"target_id": target(code).pk, "org_unit_id": ct.pk, "period": "2022", "value": 1} | change
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and words in body["detail"]
    assert Plan.objects.count() == 92


def test_a_unit_not_valid_in_the_period_is_refused(api, ct_nk):
    payload = {"target_id": target("19").pk, "org_unit_id": ct_nk.pk, "period": "2025-H2", "value": 100}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {
        "detail": 'Đơn vị "CT-NK" không có hiệu lực trong kỳ 2025-H2 (2004-01-01 – 2025-06-30).',
        "field": "org_unit",
    }


@pytest.mark.parametrize(
    "change, loc",
    [
        ({"value": None}, ["body", "payload", "value"]),
        ({"value": [6.5]}, ["body", "payload", "value"]),
        ({"period": 2022}, ["body", "payload", "period"]),
        ({"target_id": "mười chín"}, ["body", "payload", "target_id"]),
    ],
)
def test_a_malformed_body_is_a_422_naming_the_field(api, ct, change, loc):
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2022", "value": 1} | change
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [loc]


@pytest.mark.parametrize("field", ["target_id", "org_unit_id"])
def test_an_unknown_target_or_unit_is_a_4xx_naming_it(api, ct, field):
    # Found: a bare 404 "Không tìm thấy." with field null; nothing says which id was not found.
    payload = {"target_id": target("19").pk, "org_unit_id": ct.pk, "period": "2022", "value": 1} | {field: 999999}
    response = api.post(URL, payload, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == field


# --- update -----------------------------------------------------------------------------------------------


def test_patch_changes_the_stored_value(api, ct):
    members = plan("19", ct, "2021")
    response = api.patch(f"{URL}/{members.pk}", {"value": "1620"}, content_type=JSON)
    assert response.status_code == 200
    members.refresh_from_db()
    assert members.value == D(1620) and members.period == "2021"
    assert number(response.json()["value"]) == 1620


def test_patch_the_upper_bound_keeps_the_value(api, ct):
    growth = plan("01", ct, "2021")
    response = api.patch(f"{URL}/{growth.pk}", {"value_max": "7.5"}, content_type=JSON)
    assert response.status_code == 200
    growth.refresh_from_db()
    assert (growth.value, growth.value_max) == (D("6.5"), D("7.5"))


def test_patch_the_value_to_null_is_refused(api, ct):
    members = plan("19", ct, "2021")
    response = api.patch(f"{URL}/{members.pk}", {"value": None}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "Kế hoạch không được để trống.", "field": "value"}
    members.refresh_from_db()
    assert members.value == D(1603)


def test_patch_an_upper_bound_below_the_value_is_refused(api, ct):
    growth = plan("01", ct, "2021")
    response = api.patch(f"{URL}/{growth.pk}", {"value_max": 5}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["field"] == "value_max"
    assert response.json()["detail"].startswith("Cận trên 5 nhỏ hơn kế hoạch 6.5")
    growth.refresh_from_db()
    assert growth.value_max == D(7)


def test_patch_a_milestone_to_2_is_refused(api, ct):
    done = plan("16", ct, "2021")
    response = api.patch(f"{URL}/{done.pk}", {"value": 2}, content_type=JSON)
    assert response.status_code == 400 and response.json()["field"] == "value"
    done.refresh_from_db()
    assert done.value == 1


def test_patch_an_unknown_plan_is_a_404(api, demo):
    response = api.patch(f"{URL}/999999", {"value": 1}, content_type=JSON)
    assert response.status_code == 404


def test_patch_a_malformed_value_is_a_422(api, ct):
    members = plan("19", ct, "2021")
    response = api.patch(f"{URL}/{members.pk}", {"value": {"n": 1}}, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "value"]
    response = api.patch(f"{URL}/{members.pk}", {"value": "nhiều"}, content_type=JSON)
    assert response.status_code == 400 and response.json()["field"] == "value"


# --- anonymous --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, which", [("get", "list"), ("get", "one"), ("post", "list"), ("patch", "one")])
def test_anonymous_gets_a_401(anonymous, ct, method, which):
    members = plan("19", ct, "2021")
    path = URL if which == "list" else f"{URL}/{members.pk}"
    payload = {"target_id": members.target_id, "org_unit_id": ct.pk, "period": "2022", "value": 1}
    if method == "get":
        response = anonymous.get(path)
    else:
        response = getattr(anonymous, method)(path, payload, content_type=JSON)
    assert response.status_code == 401
    assert response.json() == {"detail": "Cần đăng nhập.", "field": None}
    assert Plan.objects.count() == 92
    assert plan("19", ct, "2021").value == D(1603)
