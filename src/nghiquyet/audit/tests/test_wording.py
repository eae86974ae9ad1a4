"""The audit trail in words: a table of events and the sentences they read as."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nghiquyet.audit.wording import changes, describe, local_time

LABELS = {"value": "giá trị", "state": "trạng thái", "note": "ghi chú", "period": "kỳ"}
AT = datetime(2026, 12, 2, 16, 55, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "action, object_type, summary, old, new, expected",
    [
        ("update", "targets.result", "10 CT-NK-TA 2022", {"value": "95", "state": "draft"}, {"value": "1635.5", "state": "approved"},
         "alice sửa kết quả «10 CT-NK-TA 2022»: giá trị 95 → 1.635,5; trạng thái bản nháp → đã duyệt."),
        ("create", "targets.plan", "10 CT 2022", None, {"value": "91", "note": "", "period": "2022"},
         "alice tạo kế hoạch «10 CT 2022»: giá trị: 91; kỳ: 2022."),
        ("delete", "figures.cause", "", {"note": "dịch bệnh kéo dài"}, None,
         "alice xóa nguyên nhân không đạt: ghi chú: «dịch bệnh kéo dài»."),
        ("login", "", "", None, None, "alice đăng nhập."),
        ("something_new", "x.y", "", None, None, "alice something_new x.y."),
        ("update", "targets.result", "", {"note": ""}, {"note": "đã kiểm tra"}, "alice sửa kết quả: ghi chú (trống) → «đã kiểm tra»."),
    ],
)  # fmt: skip
def test_events_read_as_vietnamese_sentences(action, object_type, summary, old, new, expected):
    text = describe(at=AT, actor="alice", action=action, object_type=object_type, summary=summary, old=old, new=new, labels=LABELS)
    assert text.sentence() == expected


def test_english_words_and_numbers():
    text = describe(at=AT, actor="bob", action="update", object_type="targets.result", summary="", old={"value": "1635.5"},
                    new={"value": "1700"}, labels={"value": "value"}, lang="en")
    assert text.sentence() == "bob changed result: value 1,635.5 → 1,700."


def test_unchanged_fields_and_references_are_left_out():
    assert changes({"value": "1", "note": "a"}, {"value": "1", "note": "b"}, LABELS) == ["ghi chú a → b"]
    assert changes(None, {"target": 3, "note": "x"}, LABELS | {"target": ""}) == ["ghi chú: x"]


def test_times_are_in_vietnam_with_the_offset():
    assert local_time(AT) == "02/12/2026 23:55:12 +07:00"


@pytest.mark.django_db
def test_the_audit_page_reads_as_sentences_in_pages_with_select_filters(client, people):
    from nghiquyet.audit.services import record

    for n in range(60):
        record("update", object_type="targets.result", object_id=str(n), org_unit=people.ward_a, summary=f"10 CT-NK-TA {n}",
               old={"value": "95"}, new={"value": "96"})
    client.force_login(people.alice)
    page = client.get("/nhat-ky/").content.decode()
    assert "sửa kết quả «10 CT-NK-TA 59»: kết quả 95 → 96" in page  # the newest first, in words (the field's label)
    assert "org unit: " not in page and "recorded by" not in page  # references are named by the summary, not by ids
    assert "+07:00" in page and "Trang 1/" in page and 'rel="next"' in page
    assert '<select name="action">' in page and '<option value="update">Sửa</option>' in page
    second = client.get("/nhat-ky/", {"page": 2, "action": "update"}).content.decode()
    assert "«10 CT-NK-TA 9»" in second and "action=update" in second  # the filter stays across pages
    only = client.get("/nhat-ky/", {"object": "targets.plan"}).content.decode()
    assert "kết quả «10 CT-NK-TA" not in only
