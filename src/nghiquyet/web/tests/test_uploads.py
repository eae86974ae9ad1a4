"""The Excel round trip: a reporter downloads the template of their unit and period, fills it, uploads it;
the upload is checked (a dry run on the task queue) and every problem is listed with its sheet, row and
column, nothing written; once clean, "Ghi vào hệ thống" writes the figures as the reporter's drafts, as if
typed in; uploading the same file again changes nothing and says so. The command line takes the same file."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from nghiquyet.figures import datasets
from nghiquyet.imports.models import Upload, UploadState
from nghiquyet.lib.periods import parse_period
from nghiquyet.targets.models import Result, ResultState, Target

pytestmark = pytest.mark.django_db

TEMPLATE = "/nghi-quyet/ct-2021/nhap-so-lieu/mau.xlsx"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def bob(client, people, settings):
    settings.TASKS = IMMEDIATE  # the queue's jobs run as they are enqueued; test_the_database_queue runs a worker
    client.force_login(people.bob)
    return client


def template_of(client, people, period="2022") -> openpyxl.Workbook:
    response = client.get(TEMPLATE, {"org": people.ward_a.code, "period": period})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows_by_code(book) -> dict[str, int]:
    sheet = book["Kết quả"]
    return {sheet.cell(row, 2).value: row for row in range(2, sheet.max_row + 1)}


def fill(book, values: dict[str, object], column: int = 10) -> bytes:
    sheet, rows = book["Kết quả"], rows_by_code(book)
    for code, value in values.items():
        sheet.cell(rows[code], column).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "ket-qua.xlsx", django_capture_on_commit_callbacks=None) -> Upload:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-len/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:300]
    return Upload.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def send(bob, django_capture_on_commit_callbacks):
    def send(content: bytes, name: str = "ket-qua.xlsx") -> Upload:
        return upload(bob, content, name, django_capture_on_commit_callbacks)

    return send


def apply(client, item: Upload, django_capture_on_commit_callbacks) -> Upload:
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/tai-len/{item.pk}/ghi/").status_code == 302
    item.refresh_from_db()
    return item


# The template ----------------------------------------------------------------------------------------


def test_the_template_holds_the_units_targets_locked_keys_and_cells_to_fill(bob, people):
    book = template_of(bob, people)
    assert book.sheetnames == ["Hướng dẫn", "Kết quả"]
    assert "Cách điền" in [cell.value for cell in book["Hướng dẫn"]["A"]]
    sheet = book["Kết quả"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Nghị quyết", "Mã chỉ tiêu"] and "Thực hiện" in header and "Cùng kỳ năm trước" in header
    rows = rows_by_code(book)
    insurance = rows[people.insurance.code]
    assert [sheet.cell(insurance, c).value for c in (1, 5, 6)] == ["ct-2021", people.ward_a.code, "2022"]
    assert sheet.cell(insurance, 10).value == 95  # Bob's draft, as a number cell
    assert sheet.protection.sheet
    assert sheet.cell(insurance, 2).protection.locked and not sheet.cell(insurance, 10).protection.locked
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert any(v.type == "list" and "ước" in v.formula1 for v in validations.values())
    assert any(v.type == "decimal" for v in validations.values())


def test_the_template_is_for_who_may_enter_figures_there(client, people):
    client.force_login(people.dana)  # a viewer of the sibling ward
    assert client.get(TEMPLATE, {"org": people.ward_a.code, "period": "2022"}).status_code == 404


def test_the_command_line_writes_the_same_template(people, tmp_path):
    out = tmp_path / "mau.xlsx"
    call_command("template", resolution="ct-2021", org=people.ward_a.code, period="2022", output=str(out))
    assert "Kết quả" in openpyxl.load_workbook(out).sheetnames


# The round trip -------------------------------------------------------------------------------------


def test_a_filled_template_is_checked_then_written_as_the_reporters_drafts(bob, people, send, django_capture_on_commit_callbacks):
    target = Target.objects.get(resolution__key="ct-2021", code="03")
    content = fill(template_of(bob, people), {"03": "12.064,5", people.insurance.code: 96})
    item = send(content)
    assert item.state == UploadState.READY and item.report["changes"] == 2
    assert not Result.objects.filter(target=target, org_unit=people.ward_a).exists()  # checked, not written
    page = bob.get(f"/tai-len/{item.pk}/").content.decode()
    assert "Ghi vào hệ thống" in page and "2 thay đổi" in page
    assert "bỏ qua" in page  # the rows left empty are named, not written

    item = apply(bob, item, django_capture_on_commit_callbacks)
    assert item.state == UploadState.DONE and item.content is None
    stored = Result.objects.get(target=target, org_unit=people.ward_a, period="2022")
    assert stored.value == Decimal("12064.5") and stored.state == ResultState.DRAFT and stored.recorded_by == people.bob
    assert Result.objects.get(pk=people.draft_a.pk).value == 96

    again = send(content)  # the same file again: nothing to write, and the page says so
    assert again.state == UploadState.READY and again.report["changes"] == 0
    assert "không thay đổi gì" in bob.get(f"/tai-len/{again.pk}/").content.decode()


def test_the_command_line_imports_the_filled_template_unchanged_as_approved(bob, people, tmp_path, capsys):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(fill(template_of(bob, people), {"03": 12000}))
    call_command("import", str(path))
    stored = Result.objects.get(target__code="03", target__resolution__key="ct-2021", org_unit=people.ward_a, period="2022")
    assert stored.value == 12000 and stored.state == ResultState.APPROVED  # a trusted road
    said = capsys.readouterr()
    assert "1 thay đổi" in said.out and "đã duyệt" in said.err  # the command line says its figures arrive approved


def test_writing_twice_queues_one_job(bob, people, send, django_capture_on_commit_callbacks):
    item = send(fill(template_of(bob, people), {"03": 1}))
    assert apply(bob, item, django_capture_on_commit_callbacks).state == UploadState.DONE
    response = bob.post(f"/tai-len/{item.pk}/ghi/", follow=True)
    assert "không ghi được nữa" in response.content.decode()


def test_an_upload_is_its_makers_only(bob, people, send, client):
    item = send(fill(template_of(bob, people), {"03": 1}))
    client.force_login(people.alice)  # an admin above, but not who uploaded it
    assert client.get(f"/tai-len/{item.pk}/").status_code == 404
    assert client.post(f"/tai-len/{item.pk}/ghi/").status_code == 404


# Bad input: each names its place; nothing is written ----------------------------------------------------


def _book_with(people, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    sheet.append(["resolution", "target", "org_unit", "period", "value", "kind"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _formula(people) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(_book_with(people, [["ct-2021", "03", people.ward_a.code, "2022", 1]])))
    book.active["E2"] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merged(people) -> bytes:
    rows = [["ct-2021", "03", people.ward_a.code, "2022", 1], ["ct-2021", "04", people.ward_a.code, "2022", 2]]
    book = openpyxl.load_workbook(io.BytesIO(_book_with(people, rows)))
    book.active.merge_cells("C2:C3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _percent(people) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(_book_with(people, [["ct-2021", "03", people.ward_a.code, "2022", 0.125]])))
    book.active["E2"].number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _org_units(people) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "org_units"
    book.active.append(["code", "name"])
    book.active.append(["NEW", "Đơn vị mới"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WARD = "CT-NK-TA"
BAD = {
    "text in a number cell": (lambda p: _book_with(p, [["ct-2021", "03", WARD, "2022", "nhiều"]]), (2, "value"), "không phải là số"),
    "unknown target": (lambda p: _book_with(p, [["ct-2021", "99", WARD, "2022", 1]]), (2, "target"), "99"),
    "unknown unit": (lambda p: _book_with(p, [["ct-2021", "03", "CT-XYZ", "2022", 1]]), (2, "org_unit"), "CT-XYZ"),
    "period outside the term": (lambda p: _book_with(p, [["ct-2021", "03", WARD, "2019", 1]]), (2, "period"), "2019"),
    "duplicate row": (lambda p: _book_with(p, [["ct-2021", "03", WARD, "2022", 1], ["ct-2021", "03", WARD, "2022", 2]]),
                      (3, "target"), "Trùng"),
    "formula": (_formula, (2, "value"), "công thức"),
    "merged cells": (_merged, (2, "org_unit"), "gộp"),
    "percent-formatted cell": (_percent, (2, "value"), "%"),
    "a sheet a reporter may not load": (_org_units, (None, None), "kế hoạch và kết quả"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_upload_lists_its_problems_and_writes_nothing(bob, people, send, case):
    build, (row, column), words = BAD[case]
    before = Result.objects.count(), Result.objects.get(pk=people.draft_a.pk).version
    item = send(build(people))
    assert item.state == UploadState.PROBLEMS
    problem = item.report["problems"][0]
    assert (problem["row"], problem["column"]) == (row, column), problem
    assert words in problem["vi"]
    page = bob.get(f"/tai-len/{item.pk}/").content.decode()
    assert 'id="problems"' in page and words in page and "Ghi vào hệ thống" not in page
    assert (Result.objects.count(), Result.objects.get(pk=people.draft_a.pk).version) == before


def test_a_submitted_set_refuses_the_upload_by_row(bob, people, send):
    datasets.move(step="submit", user=people.bob, resolution=people.insurance.resolution, org_unit=people.ward_a,
                  period=parse_period("2022"))
    item = send(_book_with(people, [["ct-2021", people.insurance.code, WARD, "2022", 97]]))
    assert item.state == UploadState.PROBLEMS and item.report["problems"][0]["row"] == 2
    assert Result.objects.get(pk=people.draft_a.pk).value == 95


def test_a_period_closed_for_entry_refuses_the_upload(bob, people, send):
    from nghiquyet.targets.models import Resolution

    Resolution.objects.filter(key="ct-2021").update(entry_closes_after_days=10)  # 2022 closed on 11/01/2023
    item = send(_book_with(people, [["ct-2021", people.insurance.code, WARD, "2022", 97]]))
    assert item.state == UploadState.PROBLEMS and "khóa nhập" in item.report["problems"][0]["vi"]
    assert Result.objects.get(pk=people.draft_a.pk).value == 95


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("ket-qua.xlsx", b"this is not a workbook at all", "không phải .xlsx"),
        ("ket-qua.txt", b"a,b\n", "chỉ nhận .xlsx"),
        ("ket-qua.xlsx", b"", "rỗng"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(bob, people, send, name, content, words):
    if name.endswith(".txt") or not content:
        response = bob.post("/tai-len/", {"file": SimpleUploadedFile(name, content)}, follow=True)
        assert words in response.content.decode() and not Upload.objects.exists()
        return
    item = send(content, name)
    assert item.state == UploadState.PROBLEMS and words in item.report["problems"][0]["vi"]


def test_a_file_over_the_limit_is_refused_before_it_is_kept(bob, people, settings):
    settings.NGHIQUYET_IMPORT_MAX_BYTES = 1000
    response = bob.post("/tai-len/", {"file": SimpleUploadedFile("lon.xlsx", b"x" * 5000)}, follow=True)
    assert "quá giới hạn" in response.content.decode() and not Upload.objects.exists()


# The queue ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_runs_the_check_in_a_worker(people, client, settings):
    """The real backend (django-tasks-db): the upload waits in the queue until a worker takes it."""
    from nghiquyet.schedule.worker import run_pending

    client.force_login(people.bob)
    content = fill(template_of(client, people), {"03": 5})
    response = client.post("/tai-len/", {"file": SimpleUploadedFile("a.xlsx", content)})
    item = Upload.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert item.state == UploadState.QUEUED
    assert 'hx-trigger="every 1s"' in client.get(f"/tai-len/{item.pk}/").content.decode()  # the page polls
    run_pending()
    item.refresh_from_db()
    assert item.state == UploadState.READY and item.report["changes"] == 1


def test_the_upload_pages_speak_english_when_asked(bob, people, send):
    item = send(_book_with(people, [["ct-2021", "03", WARD, "2022", "nhiều"]]))
    bob.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = bob.get(f"/tai-len/{item.pk}/").content.decode()
    assert "Problems found, nothing written" in page and "is not a number" in page.lower() or "not a number" in page
    assert "Upload figures" in bob.get("/tai-len/").content.decode()


def test_old_uploads_are_forgotten_by_the_daily_job(people):
    from datetime import timedelta

    from django.utils import timezone

    from nghiquyet.imports.jobs import forget_old_uploads

    def upload(state, days):
        item = Upload.objects.create(user=people.bob, file_name="a.xlsx", size=1, sha256="0", content=b"x", state=state)
        Upload.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days))
        return item.pk

    kept = {upload(UploadState.READY, 2), upload(UploadState.DONE, 30), upload(UploadState.CHECKING, 30)}
    upload(UploadState.PROBLEMS, 8)
    upload(UploadState.DONE, 91)
    assert "đã xóa 2" in forget_old_uploads()
    assert set(Upload.objects.values_list("pk", flat=True)) == kept
