"""/api/v1/org-units: list, read, create, update, and the errors a user can make."""

from datetime import date

import pytest

from nghiquyet.lib.errors import Conflict
from nghiquyet.orgunits import services
from nghiquyet.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

JSON = "application/json"
URL = "/api/v1/org-units"


def codes(response):
    return [item["code"] for item in response.json()["items"]]


# --- list -------------------------------------------------------------------------------------------------


def test_the_list_is_paginated_with_items_and_count(api, demo):
    response = api.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == OrgUnit.objects.count() == 20
    assert len(body["items"]) == 20
    assert set(body["items"][0]) >= {
        "id", "code", "name", "level", "unit_type", "parent_id", "depth", "valid_from", "valid_to", "predecessor_ids",
    }


def test_pages_split_the_list_without_overlap(api, demo):
    first = api.get(URL, {"page_size": 7}).json()
    second = api.get(URL, {"page_size": 7, "page": 2}).json()
    last = api.get(URL, {"page_size": 7, "page": 3}).json()
    assert first["count"] == second["count"] == last["count"] == 20
    assert (len(first["items"]), len(second["items"]), len(last["items"])) == (7, 7, 6)
    ids = [u["id"] for page in (first, second, last) for u in page["items"]]
    assert sorted(ids) == sorted(OrgUnit.objects.values_list("pk", flat=True))


def test_a_page_below_one_is_a_422(api, demo):
    response = api.get(URL, {"page": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "page"]


def test_filter_by_code_gives_both_units_that_used_the_code(api, demo):
    response = api.get(URL, {"code": "CT"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {item["valid_to"] for item in body["items"]} == {"2025-06-30", None}


def test_filter_by_code_and_day_picks_the_unit_valid_that_day(api, demo):
    before = api.get(URL, {"code": "CT", "on": "2021-06-01"}).json()
    after = api.get(URL, {"code": "CT", "on": "2025-07-01"}).json()
    assert before["count"] == after["count"] == 1
    assert before["items"][0]["name"] == "Thành phố Cần Thơ"
    merged = after["items"][0]
    assert merged["name"] == "Thành phố Cần Thơ (sau sắp xếp 2025)"
    old_ids = set(OrgUnit.objects.filter(code__in=["CT", "ST", "HG"], valid_to="2025-06-30").values_list("pk", flat=True))
    assert set(merged["predecessor_ids"]) == old_ids


def test_filter_by_parent_and_type(api, ct):
    children = api.get(URL, {"parent_id": ct.pk}).json()
    assert children["count"] == 12  # nine districts, the party committee and two departments
    assert all(item["parent_id"] == ct.pk for item in children["items"])
    departments = api.get(URL, {"unit_type": "department"})
    assert sorted(codes(departments)) == ["CT-SGD", "CT-SYT"]


def test_filter_under_a_unit_gives_its_subtree(api, ct_nk):
    response = api.get(URL, {"under": ct_nk.pk})
    assert response.status_code == 200
    assert sorted(codes(response)) == ["CT-NK", "CT-NK-AH", "CT-NK-TA", "CT-NK-XK"]


def test_filter_under_an_unknown_unit_is_a_404(api, demo):
    response = api.get(URL, {"under": 999999})
    assert response.status_code == 404
    assert response.json()["detail"]


def test_a_malformed_filter_is_a_422_naming_it(api, demo):
    response = api.get(URL, {"on": "hôm qua"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "on"]


def test_a_huge_parent_id_filter_is_not_a_500(api, demo):
    # SQLite cannot bind an integer above 2**63 - 1: OverflowError, a 500. PostgreSQL answers an empty page.
    response = api.get(URL, {"parent_id": "99999999999999999999"})
    assert response.status_code in (200, 400, 404, 422)


# --- read -------------------------------------------------------------------------------------------------


def test_read_one_unit(api, ct, ct_nk):
    response = api.get(f"{URL}/{ct_nk.pk}")
    assert response.status_code == 200
    assert response.json().items() >= {
        "id": ct_nk.pk,
        "code": "CT-NK",
        "name": "Quận Ninh Kiều",
        "level": "quận",
        "unit_type": "territory",
        "parent_id": ct.pk,
        "depth": 1,
        "valid_from": "2004-01-01",
        "valid_to": "2025-06-30",
        "predecessor_ids": [],
    }.items()


def test_read_an_unknown_unit_is_a_404(api, demo):
    response = api.get(f"{URL}/999999")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- create -----------------------------------------------------------------------------------------------


def test_create_stores_the_unit_under_its_parent(api, ct_nk):
    payload = {
        "code": "CT-NK-TH",
        "name": "Phường Thới Bình",
        "parent_id": ct_nk.pk,
        "level": "phường",
        "valid_from": "2004-01-01",
        "valid_to": "2025-06-30",
    }
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    unit = OrgUnit.objects.get(pk=body["id"])
    assert (unit.code, unit.name, unit.level, unit.unit_type) == ("CT-NK-TH", "Phường Thới Bình", "phường", "territory")
    assert unit.parent == ct_nk
    assert (unit.valid_from, unit.valid_to) == (date(2004, 1, 1), date(2025, 6, 30))
    assert unit.path == f"{ct_nk.path}{unit.pk}/" and unit.depth == 2
    assert body["depth"] == 2 and body["parent_id"] == ct_nk.pk


def test_create_with_predecessors(api, demo):
    old = list(OrgUnit.objects.filter(code__in=["CT-NK-TA", "CT-NK-XK"]))
    payload = {"code": "NK-MOI", "name": "Phường Ninh Kiều", "valid_from": "2025-07-01", "predecessor_ids": [u.pk for u in old]}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    unit = OrgUnit.objects.get(pk=response.json()["id"])
    assert set(unit.predecessors.all()) == set(old)
    assert sorted(response.json()["predecessor_ids"]) == sorted(u.pk for u in old)


def test_a_code_may_be_reused_when_the_dates_do_not_overlap(api, demo):
    payload = {"code": "CT", "name": "Thành phố Cần Thơ (trước 2004)", "valid_to": "2003-12-31"}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 201
    assert OrgUnit.objects.filter(code="CT").count() == 3


def test_a_code_reused_on_overlapping_dates_is_a_409_with_the_services_message(api, ct):
    payload = {"code": "CT", "name": "Trùng mã", "valid_from": "2020-01-01", "valid_to": "2020-12-31"}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 409
    body = response.json()
    assert body["field"] == "code"
    with pytest.raises(Conflict) as refused:
        services.save_org_unit(code="CT", name="Trùng mã", valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31))
    assert body["detail"] == str(refused.value)
    assert 'Mã "CT" đã được một đơn vị khác dùng trong cùng thời gian hiệu lực' in body["detail"]
    assert "Cần Thơ" not in body["detail"]  # the clash may be a unit the writer may not see
    assert OrgUnit.objects.filter(name="Trùng mã").count() == 0


def test_the_error_is_in_english_when_asked(api, ct):
    response = api.post(URL, {"code": "CT", "name": "X"}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["detail"].startswith('Code "CT" is already used by another unit')


@pytest.mark.parametrize(
    "payload, field, words",
    [
        ({"code": "X1", "name": "X", "valid_from": "2021-01-01", "valid_to": "2020-01-01"}, "valid_to", "Ngày hết hiệu lực trước ngày bắt đầu"),
        ({"code": "   ", "name": "X"}, "code", "Thiếu mã đơn vị"),
        ({"code": "X1", "name": "   "}, "name", "Thiếu tên đơn vị"),
        ({"code": "X1", "name": "X", "level": "c" * 65}, "level", "Quá dài"),
    ],
)
def test_a_rule_broken_is_a_400_naming_the_field(api, demo, payload, field, words):
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == field and words in body["detail"]
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_a_parent_not_valid_at_the_time_is_refused(api, ct_nk):
    payload = {"code": "X1", "name": "Phường mới", "parent_id": ct_nk.pk, "valid_from": "2026-01-01"}
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {
        "detail": 'Đơn vị cấp trên "CT-NK" không có hiệu lực trong thời gian của "X1".',
        "field": "parent",
    }


@pytest.mark.parametrize(
    "payload, loc",
    [
        ({"name": "Không mã"}, ["body", "payload", "code"]),
        ({"code": "X1", "name": "X", "unit_type": "province"}, ["body", "payload", "unit_type"]),
        ({"code": "X1", "name": "X", "valid_from": "2021-02-30"}, ["body", "payload", "valid_from"]),
        ({"code": "X" * 33, "name": "X"}, ["body", "payload", "code"]),
    ],
)
def test_a_malformed_body_is_a_422_naming_the_field(api, demo, payload, loc):
    response = api.post(URL, payload, content_type=JSON)
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["errors"]] == [loc]


def test_a_body_that_is_not_json_is_a_400(api, demo):
    response = api.post(URL, "{code: CT", content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_an_unknown_predecessor_is_a_404_naming_it(api, ct):
    response = api.post(URL, {"code": "X1", "name": "X", "predecessor_ids": [ct.pk, 999999]}, content_type=JSON)
    assert response.status_code == 404
    assert response.json()["field"] == "predecessor_ids" and "999999" in response.json()["detail"]


def test_an_unknown_parent_is_reported_against_parent_id(api, demo):
    # Found: the body blames "predecessor_ids", a field the request did not send.
    response = api.post(URL, {"code": "X1", "name": "X", "parent_id": 999999}, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == "parent_id"
    assert "999999" in response.json()["detail"]


def test_a_nul_character_in_a_code_is_a_4xx(api, demo):
    # Found: SQLite stores the NUL (201); PostgreSQL refuses it in the driver, a 500.
    response = api.post(URL, {"code": "A\x00B", "name": "X"}, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert not OrgUnit.objects.filter(name="X").exists()


# --- update -----------------------------------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(api, ct, ct_nk):
    response = api.patch(f"{URL}/{ct_nk.pk}", {"name": "Quận Ninh Kiều (sửa)"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["name"] == "Quận Ninh Kiều (sửa)"
    ct_nk.refresh_from_db()
    assert ct_nk.name == "Quận Ninh Kiều (sửa)"
    assert (ct_nk.code, ct_nk.parent, ct_nk.level, ct_nk.valid_from) == ("CT-NK", ct, "quận", date(2004, 1, 1))


def test_patch_moves_a_unit_and_its_subtree(api, demo):
    ninh_kieu, binh_thuy = OrgUnit.objects.get(code="CT-NK"), OrgUnit.objects.get(code="CT-BT")
    response = api.patch(f"{URL}/{ninh_kieu.pk}", {"parent_id": binh_thuy.pk}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["depth"] == 2
    ward = OrgUnit.objects.get(code="CT-NK-TA")
    assert ward.path.startswith(binh_thuy.path) and ward.depth == 3


def test_patch_an_unknown_unit_is_a_404(api, demo):
    response = api.patch(f"{URL}/999999", {"name": "X"}, content_type=JSON)
    assert response.status_code == 404


def test_patch_to_a_code_in_use_is_a_409(api, demo):
    binh_thuy = OrgUnit.objects.get(code="CT-BT")
    response = api.patch(f"{URL}/{binh_thuy.pk}", {"code": "CT-NK"}, content_type=JSON)
    assert response.status_code == 409
    assert response.json()["field"] == "code" and '"CT-NK"' in response.json()["detail"]
    binh_thuy.refresh_from_db()
    assert binh_thuy.code == "CT-BT"


def test_patch_a_unit_under_its_own_child_is_refused(api, ct, ct_nk):
    response = api.patch(f"{URL}/{ct.pk}", {"parent_id": ct_nk.pk}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == {"detail": '"CT-NK" nằm trong "CT", không thể là đơn vị cấp trên của nó.', "field": "parent"}


def test_patch_an_end_before_the_start_is_refused(api, ct_nk):
    response = api.patch(f"{URL}/{ct_nk.pk}", {"valid_to": "2000-01-01"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["field"] == "valid_to"
    ct_nk.refresh_from_db()
    assert ct_nk.valid_to == date(2025, 6, 30)


@pytest.mark.parametrize("field", ["code", "name"])
def test_patch_a_required_field_to_null_is_a_4xx_not_a_500(api, ct_nk, field):
    # Found: the schema allows null, the view passes None to the service, None.strip() raises: a 500.
    response = api.patch(f"{URL}/{ct_nk.pk}", {field: None}, content_type=JSON)
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    ct_nk.refresh_from_db()
    assert (ct_nk.code, ct_nk.name) == ("CT-NK", "Quận Ninh Kiều")


# --- anonymous --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [("get", URL), ("get", f"{URL}/1"), ("post", URL), ("patch", f"{URL}/1")],
)
def test_anonymous_gets_a_401(anonymous, demo, method, path):
    if method == "get":
        response = anonymous.get(path)
    else:
        response = getattr(anonymous, method)(path, {"code": "X1", "name": "X"}, content_type=JSON)
    assert response.status_code == 401
    assert response.json() == {"detail": "Cần đăng nhập.", "field": None}
    assert not OrgUnit.objects.filter(code="X1").exists()
