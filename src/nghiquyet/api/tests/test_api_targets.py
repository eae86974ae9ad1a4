"""/api/v1/resolutions/{key}/targets and /api/v1/targets/{id}: list, read, create, update, errors."""

import pytest

from nghiquyet.lib.errors import Invalid
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution, Target

pytestmark = pytest.mark.django_db

JSON = "application/json"
TARGETS = "/api/v1/resolutions/ct-2021/targets"


def target(code, key="ct-2021"):
    return Target.objects.get(resolution__key=key, code=code)


def url(code, key="ct-2021"):
    return f"/api/v1/targets/{target(code, key).pk}"


@pytest.fixture
def new():
    return {
        "code": "20",
        "name": "Tỷ lệ đô thị hóa",
        "unit": "%",
        "direction": "increase",
        "value_kind": "percent",
        "accumulation": "stock",
        "rollup": "none",
        "is_key": True,
        "decimals": 1,
    }


# --- list -------------------------------------------------------------------------------------------------


def test_the_list_is_paginated_in_resolution_order(api, demo):
    response = api.get(TARGETS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"} and body["count"] == 19
    assert [item["code"] for item in body["items"]] == [f"{n:02d}" for n in range(1, 20)]
    last = api.get(TARGETS, {"page_size": 5, "page": 4}).json()
    assert last["count"] == 19 and [item["code"] for item in last["items"]] == ["16", "17", "18", "19"]


def test_the_list_holds_only_the_resolutions_own_targets(api, demo):
    response = api.get("/api/v1/resolutions/ct-xiv/targets")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == ["XIV-01", "XIV-02", "XIV-03", "XIV-04", "XIV-05"]
    assert {item["resolution_key"] for item in response.json()["items"]} == {"ct-xiv"}


def test_the_list_of_an_unknown_resolution_is_a_404(api, demo):
    response = api.get("/api/v1/resolutions/khong-co/targets")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- read -------------------------------------------------------------------------------------------------


def test_read_one_target(api, demo):
    members = target("19")
    response = api.get(url("19"))
    assert response.status_code == 200
    assert response.json().items() >= {
        "id": members.pk,
        "resolution_key": "ct-2021",
        "code": "19",
        "name": "Kết nạp đảng viên mới",
        "unit": "đảng viên",
        "direction": "increase",
        "value_kind": "count",
        "accumulation": "flow",
        "rollup": "sum",
        "numerator_code": None,
        "denominator_code": None,
        "is_key": True,
        "decimals": 0,
        "position": 19,
    }.items()


def test_read_an_unknown_target_is_a_404(api, demo):
    response = api.get("/api/v1/targets/999999")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- create -----------------------------------------------------------------------------------------------


def test_create_stores_the_target_at_the_end(api, demo, new):
    response = api.post(TARGETS, new, content_type=JSON)
    assert response.status_code == 201
    assert response.json()["code"] == "20" and response.json()["position"] == 20
    stored = target("20")
    assert (stored.name, stored.unit, stored.direction, stored.value_kind) == ("Tỷ lệ đô thị hóa", "%", "increase", "percent")
    assert (stored.accumulation, stored.rollup, stored.is_key, stored.decimals, stored.position) == ("stock", "none", True, 1, 20)
    assert stored.pk == response.json()["id"]


def test_create_a_ratio_target_with_its_numerator_and_denominator(api, demo, new):
    body = new | {"code": "21", "rollup": "ratio", "numerator_code": "07", "denominator_code": "08"}
    response = api.post(TARGETS, body, content_type=JSON)
    assert response.status_code == 201
    assert (response.json()["numerator_code"], response.json()["denominator_code"]) == ("07", "08")
    stored = target("21")
    assert (stored.numerator, stored.denominator) == (target("07"), target("08"))


def test_create_an_existing_code_is_a_409(api, demo, new):
    response = api.post(TARGETS, new | {"code": "19"}, content_type=JSON)
    assert response.status_code == 409
    assert response.json() == {"detail": 'Nghị quyết đã có chỉ tiêu mã "19".', "field": "code"}
    assert target("19").name == "Kết nạp đảng viên mới"


def test_create_under_an_unknown_resolution_is_a_404(api, demo, new):
    response = api.post("/api/v1/resolutions/khong-co/targets", new, content_type=JSON)
    assert response.status_code == 404
    assert not Target.objects.filter(code="20").exists()


def test_a_ratio_without_numerator_gets_the_services_message(api, demo, new):
    response = api.post(TARGETS, new | {"rollup": "ratio"}, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    with pytest.raises(Invalid) as refused:
        services.save_target(
            resolution=Resolution.objects.get(key="ct-2021"), code="20", name="x", direction="increase", rollup="ratio"
        )
    assert body == {"detail": str(refused.value), "field": "numerator"}
    assert "cần chỉ tiêu tử số và mẫu số" in body["detail"]
    assert not Target.objects.filter(code="20").exists()


def test_a_numerator_on_a_sum_target_is_refused(api, demo, new):
    response = api.post(TARGETS, new | {"rollup": "sum", "numerator_code": "07", "denominator_code": "08"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "Chỉ tiêu có tử số/mẫu số phải tổng hợp theo tỷ lệ (rollup = ratio).", "field": "rollup"}


def test_an_unknown_numerator_is_a_404_naming_the_code(api, demo, new):
    response = api.post(TARGETS, new | {"rollup": "ratio", "numerator_code": "99", "denominator_code": "08"}, content_type=JSON)
    assert response.status_code == 404
    assert response.json()["detail"] == 'Nghị quyết ct-2021 không có chỉ tiêu mã "99".'
    assert not Target.objects.filter(code="20").exists()


@pytest.mark.parametrize(
    "change, loc",
    [
        ({"direction": "up"}, ["body", "payload", "direction"]),
        ({"decimals": 5}, ["body", "payload", "decimals"]),
        ({"value_kind": "money-ish"}, ["body", "payload", "value_kind"]),
        ({"rollup": "avg"}, ["body", "payload", "rollup"]),
        ({"position": -1}, ["body", "payload", "position"]),
        ({"name": ""}, ["body", "payload", "name"]),
    ],
)
def test_a_malformed_body_is_a_422_naming_the_field(api, demo, new, change, loc):
    response = api.post(TARGETS, new | change, content_type=JSON)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [loc]
    assert not Target.objects.filter(code="20").exists()


def test_a_missing_direction_is_a_422(api, demo, new):
    del new["direction"]
    response = api.post(TARGETS, new, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "direction"]


def test_a_position_beyond_the_column_is_a_4xx(api, demo, new):
    # Found: position has no upper bound. PostgreSQL's integer column overflows: a 500 ("integer out of
    # range"); SQLite stores it. Django documents 0..2147483647 as the portable range.
    response = api.post(TARGETS, new | {"position": 2**31}, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert not Target.objects.filter(code="20").exists()


# --- update -----------------------------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(api, demo):
    response = api.patch(url("08"), {"name": "Số doanh nghiệp thành lập mới trong năm", "is_key": True}, content_type=JSON)
    assert response.status_code == 200
    stored = target("08")
    assert (stored.name, stored.is_key) == ("Số doanh nghiệp thành lập mới trong năm", True)
    assert (stored.code, stored.unit, stored.direction, stored.rollup, stored.position) == ("08", "doanh nghiệp", "increase", "sum", 8)
    assert response.json()["name"] == stored.name


def test_patch_turns_a_target_into_a_ratio(api, demo):
    response = api.patch(url("11"), {"rollup": "ratio", "numerator_code": "07", "denominator_code": "08"}, content_type=JSON)
    assert response.status_code == 200
    stored = target("11")
    assert (stored.rollup, stored.numerator.code, stored.denominator.code) == ("ratio", "07", "08")


def test_patch_a_ratio_without_its_parts_is_refused(api, demo):
    response = api.patch(url("11"), {"rollup": "ratio"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["field"] == "numerator"
    assert target("11").rollup == "none"


def test_patch_a_target_as_its_own_numerator_is_refused(api, demo):
    response = api.patch(url("11"), {"rollup": "ratio", "numerator_code": "11", "denominator_code": "08"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": "Chỉ tiêu numerator phải là một chỉ tiêu khác của cùng nghị quyết.", "field": "numerator"}


def test_patch_an_unknown_target_is_a_404(api, demo):
    response = api.patch("/api/v1/targets/999999", {"name": "X"}, content_type=JSON)
    assert response.status_code == 404


def test_patch_malformed_is_a_422(api, demo):
    response = api.patch(url("08"), {"decimals": 9}, content_type=JSON)
    assert response.status_code == 422
    assert target("08").decimals == 0


# --- anonymous --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, which", [("get", "list"), ("get", "one"), ("post", "list"), ("patch", "one")])
def test_anonymous_gets_a_401(anonymous, demo, new, method, which):
    path = TARGETS if which == "list" else url("19")
    if method == "get":
        response = anonymous.get(path)
    else:
        response = getattr(anonymous, method)(path, new | {"name": "Đổi tên"}, content_type=JSON)
    assert response.status_code == 401
    assert response.json() == {"detail": "Cần đăng nhập.", "field": None}
    assert not Target.objects.filter(code="20").exists() and target("19").name == "Kết nạp đảng viên mới"
