"""Why a target was not met: a reporter records the kind (objective / subjective) and the words beside the
figure, under the same locks and versions as the figures; the scorecard carries it for the reports."""

from __future__ import annotations

import pytest

from nghiquyet.audit.models import AuditEvent
from nghiquyet.figures import datasets
from nghiquyet.figures.models import Cause
from nghiquyet.lib.periods import parse_period

pytestmark = pytest.mark.django_db

CAUSE = "/nghi-quyet/ct-2021/nhap-so-lieu/nguyen-nhan/"


def post(client, people, **fields):
    body = {"target": people.insurance.pk, "org": people.ward_a.code, "period": "2022", "cause_kind": "", "cause": ""}
    return client.post(CAUSE, body | fields, HTTP_HX_REQUEST="true")


def test_a_reporter_records_a_cause_and_the_scorecard_carries_it(client, people):
    client.force_login(people.bob)
    response = post(client, people, cause_kind="objective", cause="Dịch bệnh kéo dài, doanh nghiệp tạm dừng")
    assert response.status_code == 200 and "Đã lưu" in response.content.decode()
    cause = Cause.objects.get(target=people.insurance, org_unit=people.ward_a, period="2022")
    assert (cause.kind, cause.updated_by, cause.version) == ("objective", people.bob, 1)
    assert AuditEvent.objects.filter(object_type="figures.cause", action="create").exists()
    card = client.get("/api/v1/scorecard", {"resolution": "ct-2021", "org": people.ward_a.code, "period": "2022", "drafts": "true"}).json()
    row = next(row for row in card["targets"] if row["code"] == people.insurance.code)
    assert row["cause"] == {"kind": "objective", "text": "Dịch bệnh kéo dài, doanh nghiệp tạm dừng"}


def test_a_cause_needs_its_kind_and_words(client, people):
    client.force_login(people.bob)
    answer = post(client, people, cause_kind="objective").content.decode()
    assert "Ghi cả loại" in answer and 'class="message error"' in answer
    assert "Ghi cả loại" in post(client, people, cause="Chỉ có lời").content.decode()
    assert "không có" in post(client, people, cause_kind="trời ơi", cause="x").content.decode()
    assert not Cause.objects.exists()


def test_a_second_person_never_overwrites_the_first(client, people):
    client.force_login(people.bob)
    post(client, people, cause_kind="objective", cause="Lần một")
    post(client, people, cause_kind="subjective", cause="Lần hai", cause_version="1")
    answer = post(client, people, cause_kind="objective", cause="Từ trang cũ", cause_version="1").content.decode()
    assert "đã được sửa" in answer and "bob" in answer
    assert Cause.objects.get().text == "Lần hai"


def test_emptying_both_removes_the_cause(client, people):
    client.force_login(people.bob)
    post(client, people, cause_kind="objective", cause="Tạm")
    post(client, people, cause_version="1")
    assert not Cause.objects.exists()
    assert AuditEvent.objects.filter(object_type="figures.cause", action="delete").exists()


def test_a_submitted_set_locks_its_causes_too(client, people):
    datasets.move(step="submit", user=people.bob, resolution=people.insurance.resolution, org_unit=people.ward_a,
                  period=parse_period("2022"))
    client.force_login(people.bob)
    assert "đã nộp" in post(client, people, cause_kind="objective", cause="Muộn").content.decode()
    assert not Cause.objects.exists()


def test_the_entry_page_counts_targets_not_met_without_a_cause(client, people):
    from nghiquyet.figures.writes import set_plan

    set_plan(target=people.insurance, org_unit=people.ward_a, period=parse_period("2022"), value=99)  # 95 < 99: not met
    client.force_login(people.bob)
    page = client.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": people.ward_a.code, "period": "2022"}).content.decode()
    assert "chưa ghi nguyên nhân" in page and "needs-cause" in page
    post(client, people, cause_kind="subjective", cause="Tuyên truyền chưa tới")
    page = client.get("/nghi-quyet/ct-2021/nhap-so-lieu/", {"org": people.ward_a.code, "period": "2022"}).content.decode()
    assert "chưa ghi nguyên nhân" not in page


def test_nobody_else_writes_a_units_causes(client, people):
    client.force_login(people.dana)
    assert post(client, people, cause_kind="objective", cause="x").status_code == 404
    assert not Cause.objects.exists()


def test_the_csv_carries_the_cause_as_two_flat_columns(client, people):
    client.force_login(people.bob)
    post(client, people, cause_kind="subjective", cause="Chưa quyết liệt, chậm triển khai")
    response = client.get("/nghi-quyet/ct-2021/danh-gia.csv", {"org": people.ward_a.code, "period": "2022", "drafts": "1"})
    import csv
    import io

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    at = rows[0].index("cause_kind")
    assert rows[0][at - 1:at + 2] == ["state", "cause_kind", "cause_text"]  # where they were before the roll-up columns
    assert rows[0][at + 2:] == ["source", "derived_value", "derived_found", "derived_expected", "derived_complete"]
    assert ["subjective", "Chưa quyết liệt, chậm triển khai"] in [row[at:at + 2] for row in rows[1:]]
