"""A target's page lists every change to its figures — who, when (local time with its offset), old → new,
state changes — from the audit trail, and only for the figures the reader may see."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_changes_and_approvals_are_listed_with_who_when_and_old_to_new(client, people):
    client.force_login(people.bob)
    assert client.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": "96,5", "note": "theo quý 4"},
                        content_type="application/json").status_code == 200
    client.force_login(people.alice)
    assert client.post(f"/api/v1/results/{people.draft_a.pk}/approve").status_code == 200
    page = client.get(f"/nghi-quyet/ct-2021/chi-tieu/{people.insurance.code}/").content.decode()
    assert "Lịch sử số liệu" in page
    assert "kết quả CT-NK-TA 2022 (chính thức)" in page
    assert "giá trị: 95 → 96,5" in page and "ghi chú: theo quý 4" in page
    assert "trạng thái: chưa duyệt → đã duyệt" in page
    assert "(+0700)" in page  # local time, offset shown
    history = page[page.index("Lịch sử số liệu"):]
    assert history.index("đã duyệt") < history.index("96,5")  # newest first


def test_a_viewer_sees_no_history_of_figures_hidden_from_them(client, people):
    client.force_login(people.bob)
    client.patch(f"/api/v1/results/{people.draft_a.pk}", {"value": 97}, content_type="application/json")
    client.force_login(people.dana)  # viewer of ward B: ward A's draft is not hers to see
    page = client.get(f"/nghi-quyet/ct-2021/chi-tieu/{people.insurance.code}/").content.decode()
    assert "CT-NK-TA 2022" not in page


def test_a_new_value_lists_what_it_holds_not_its_empty_fields(client, people):
    client.force_login(people.bob)
    body = {"target_id": people.insurance.pk, "org_unit_id": people.ward_a.pk, "period": "2023", "value": 90}
    assert client.post("/api/v1/results", body, content_type="application/json").status_code == 201
    page = client.get(f"/nghi-quyet/ct-2021/chi-tieu/{people.insurance.code}/").content.decode()
    row = page[page.index("kết quả CT-NK-TA 2023"):]
    row = row[:row.index("</tr>")]
    assert "giá trị: 90" in row and "ghi chú" not in row
