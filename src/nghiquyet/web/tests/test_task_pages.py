"""The follow-up pages: the list and its filters, a task's page and its forms, mistakes as messages."""

from __future__ import annotations

import html
from datetime import date

import pytest

from nghiquyet.followup import services
from nghiquyet.followup.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(people):
    conclusion = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 1-TB/TU",
                                            issued_on=date(2022, 1, 20))
    services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc sắp tới", owner=people.bob,
                      deadline=date(2099, 6, 30))
    return services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc đã quá hạn",
                             owner=people.bob, deadline=date(2022, 6, 30))


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_list_filters_and_counts(client, people, task):
    client.force_login(people.bob)
    shown = text(client.get("/nhiem-vu/"))
    assert "Việc đã quá hạn" in shown and "Việc sắp tới" in shown and "quá hạn: <strong>1</strong>" in shown
    shown = text(client.get("/nhiem-vu/?overdue=1"))
    assert "Việc đã quá hạn" in shown and "Việc sắp tới" not in shown
    shown = text(client.get("/nhiem-vu/?status=done"))
    assert "Không có nhiệm vụ nào" in shown
    shown = text(client.get("/nhiem-vu/?org=NOPE"))
    assert "Không tìm thấy đơn vị có mã này" in shown
    client.force_login(people.dana)
    assert "Việc đã quá hạn" not in text(client.get("/nhiem-vu/"))  # ward B sees none of ward A's tasks
    assert client.get(f"/nhiem-vu/{task.pk}/").status_code == 404


def test_mistakes_on_the_forms_are_messages_and_change_nothing(client, people, task):
    client.force_login(people.bob)
    for body, said in (({"text": "x", "percent": "abc"}, "Tiến độ là một số"), ({"text": "", "percent": "10"}, "Cần nội dung"),
                       ({"text": "x", "percent": "150"}, "từ 0 đến 100")):
        response = client.post(f"/nhiem-vu/{task.pk}/tien-do/", body, follow=True)
        assert said in text(response), body
    response = client.post(f"/nhiem-vu/{task.pk}/hoan-thanh/", {"evidence": "xong", "done_on": "30/06/2022"}, follow=True)
    assert "không hợp lệ" in text(response)
    response = client.post(f"/nhiem-vu/{task.pk}/hoan-thanh/", {"evidence": "xong", "done_on": "2999-01-01"}, follow=True)
    assert "tương lai" in text(response)
    assert client.post(f"/nhiem-vu/{task.pk}/tien-do/", {"text": "a\x00b", "percent": "10"}).status_code == 400
    task.refresh_from_db()
    assert task.state == "not_started" and task.reports.count() == 0
    assert client.post("/nhiem-vu/999999/tien-do/", {"text": "x", "percent": "1"}).status_code == 404


def test_two_people_closing_from_the_same_page_do_not_both_win(client, people, task):
    client.force_login(people.bob)
    version = Task.objects.get(pk=task.pk).version
    client.post(f"/nhiem-vu/{task.pk}/tien-do/", {"text": "40%", "percent": "40", "version": version})
    response = client.post(f"/nhiem-vu/{task.pk}/hoan-thanh/", {"evidence": "xong", "version": version}, follow=True)
    assert "đã được sửa" in text(response)  # closed from a page older than the last report: refused, nothing lost
    assert Task.objects.get(pk=task.pk).state == "in_progress"


def test_the_list_downloads_as_xlsx_with_no_formula(client, people, task):
    import io

    from openpyxl import load_workbook

    services.add_task(user=people.alice, conclusion=task.conclusion, lead_unit=people.ward_a, title='=HYPERLINK("x")',
                      owner=people.bob, deadline=date(2099, 1, 1))
    client.force_login(people.bob)
    response = client.get("/nhiem-vu/danh-sach.xlsx?overdue=1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [sheet.cell(row, 2).value for row in range(2, sheet.max_row + 1)]
    assert titles == ["Việc đã quá hạn"]  # the page's filter applies
    response = client.get("/nhiem-vu/danh-sach.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [sheet.cell(row, 2) for row in range(2, sheet.max_row + 1)]
    formula = next(cell for cell in cells if str(cell.value).startswith("="))
    assert formula.data_type == "s"  # text, never run as a formula


def test_the_conclusion_report_lists_every_item_with_its_status(client, people, task):
    import io

    from docx import Document

    client.force_login(people.alice)
    response = client.get(f"/ket-luan/{task.conclusion_id}/bao-cao.docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "BÁO CÁO" in text and "tình hình thực hiện Số 1-TB/TU" in text and "quá hạn 1" in text
    assert "Việc đã quá hạn" in cells and "Việc sắp tới" in cells and "Quá hạn" in cells and "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "Số    -BC/…" in cells.splitlines()  # the number's line under the issuing body, left for the register
    client.force_login(people.bob)  # a reporter of a ward below: not the conclusion's reader
    assert client.get(f"/ket-luan/{task.conclusion_id}/bao-cao.docx").status_code == 404


def test_the_list_filters_by_conclusion_and_target_and_shows_a_calendar(client, people, task):
    from nghiquyet.targets.models import Target

    target = Target.objects.get(resolution__key="ct-dtc", code="DTC-01")
    other = services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 2-TB/TU",
                                       issued_on=date(2022, 2, 1))
    services.add_task(user=people.alice, conclusion=other, lead_unit=people.ward_a, title="Giải ngân ở phường", owner=people.bob,
                      cadence="monthly", targets=[target])
    client.force_login(people.bob)
    shown = text(client.get("/nhiem-vu/"))
    assert "Số 2-TB/TU" in shown and 'value="ct-dtc/DTC-01"' in shown  # the choices: what the reader's tasks name
    shown = text(client.get(f"/nhiem-vu/?conclusion={other.pk}"))
    assert "Giải ngân ở phường" in shown and "Việc đã quá hạn" not in shown
    shown = text(client.get("/nhiem-vu/?target=ct-dtc/DTC-01"))
    assert "Giải ngân ở phường" in shown and "Việc sắp tới" not in shown
    shown = text(client.get(f"/nhiem-vu/?view=calendar&conclusion={task.conclusion_id}"))
    assert "Tháng 06/2022" in shown and "Tháng 06/2099" in shown and "Giải ngân ở phường" not in shown
    assert shown.index("Tháng 06/2022") < shown.index("Tháng 06/2099") and "1 quá hạn" in shown
    assert "hằng tháng" in text(client.get("/nhiem-vu/?view=calendar"))  # the recurring ones, by cadence, last
    assert "<td>thường xuyên, hằng tháng</td>" in text(client.get("/nhiem-vu/"))  # the list: recurring, and how often reported
    for query, said in (("conclusion=abc", "Không tìm thấy kết luận này"), ("conclusion=999999", "Không tìm thấy kết luận này"),
                        ("target=ct-dtc/NOPE", "Không tìm thấy chỉ tiêu này"), ("target=nothing", "Không tìm thấy chỉ tiêu này")):
        response = client.get(f"/nhiem-vu/?{query}")
        assert response.status_code == 200 and said in text(response), query
    client.force_login(people.dana)  # a conclusion whose tasks the reader cannot see is not found, not filtered on
    assert "Không tìm thấy kết luận này" in text(client.get(f"/nhiem-vu/?conclusion={other.pk}"))
    xlsx = client.get(f"/nhiem-vu/danh-sach.xlsx?conclusion={other.pk}")
    assert xlsx.status_code == 200


def test_the_scorecard_and_dashboard_show_open_tasks_and_vacancies(client, people, task, django_capture_on_commit_callbacks):
    from nghiquyet.followup.models import TaskKind
    from nghiquyet.targets.models import Target

    target = Target.objects.get(resolution__key="ct-dtc", code="DTC-01")
    chase = services.add_task(user=people.alice, conclusion=task.conclusion, lead_unit=people.city, title="Đẩy nhanh giải ngân",
                              cadence="monthly", targets=[target], owner=people.alice)
    post = services.add_task(user=people.alice, conclusion=task.conclusion, lead_unit=people.city, title="Bổ nhiệm Giám đốc Sở Tài chính",
                             kind=TaskKind.VACANCY, post="Giám đốc Sở Tài chính", deadline=date(2099, 9, 30))
    client.force_login(people.alice)
    shown = text(client.get("/nghi-quyet/ct-dtc/danh-gia/?org=CT&period=2022"))
    assert "Đẩy nhanh giải ngân" in shown and f"/nhiem-vu/{chase.pk}/" in shown
    board = text(client.get("/nghi-quyet/ct-dtc/tong-quan/?org=CT&period=2022"))
    assert "Lũy kế đến hết tháng 12/2022: 4.640 tỷ đồng, đạt 90,98% kế hoạch năm" in board and 'id="chart-cumulative-DTC-01"' in board
    assert "còn 1/1 vị trí chưa bổ nhiệm" in board and "Giám đốc Sở Tài chính" in board
    with django_capture_on_commit_callbacks(execute=True):  # committed, as a request's write is before its answer
        services.close_task(user=people.alice, task=post, evidence="Quyết định bổ nhiệm", done_on=date(2022, 10, 1))
    board = text(client.get("/nghi-quyet/ct-dtc/tong-quan/?org=CT&period=2022"))  # the body is kept; the follow-up moved with the task
    assert "còn 0/1 vị trí chưa bổ nhiệm (đã bổ nhiệm 1)" in board
    assert "Lũy kế đến hết tháng" not in text(client.get("/nghi-quyet/ct-2021/tong-quan/?org=CT&period=2021"))  # yearly figures only


def test_the_dashboards_follow_up_panel_is_kept_until_a_task_or_the_day_changes(client, people, task, monkeypatch,
                                                                                django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from nghiquyet.followup import generations

    page = "/nghi-quyet/ct-dtc/tong-quan/?org=CT-NK-TA&period=2022"
    client.force_login(people.bob)

    def board(day: date) -> tuple[str, int]:
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)
        with CaptureQueriesContext(connection) as seen:
            shown = text(client.get(page))
        return shown, sum('"followup_task"' in query["sql"] for query in seen.captured_queries)

    shown, reads = board(date(2022, 6, 30))
    assert "quá hạn: 0" in shown and reads == 1  # due today: not yet overdue
    shown, reads = board(date(2022, 6, 30))
    assert "quá hạn: 0" in shown and reads == 0  # kept
    shown, reads = board(date(2022, 7, 1))
    assert "quá hạn: 1" in shown and reads == 1  # a new day: the deadline has passed
    with django_capture_on_commit_callbacks(execute=True):
        services.report_progress(user=people.bob, task=task, text="Đang làm", percent=40)
        services.close_task(user=people.bob, task=task, evidence="Xong", done_on=date(2022, 7, 1))
    shown, reads = board(date(2022, 7, 1))
    assert "quá hạn: 0" in shown and reads == 1  # the task moved: read again
    cache.delete(generations.KEY)  # the cache lost the tasks' generation: nothing kept under the old one is used
    Task.objects.filter(pk=task.pk).update(state="not_started")  # (a change behind the services' back, to show it)
    shown, reads = board(date(2022, 7, 1))
    assert "quá hạn: 1" in shown and reads == 1


def test_a_conclusion_is_made_on_the_web_with_its_items_or_not_at_all(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from nghiquyet.followup.models import Conclusion
    from nghiquyet.followup.workbook import form_workbook

    client.force_login(people.alice)
    assert "Thêm kết luận" in text(client.get("/ket-luan/"))
    fields = {"org": "CT", "issuer": "Ban Thường vụ Thành ủy", "number": "Số 7-TB/TU", "issued_on": "2022-02-10"}
    response = client.post("/ket-luan/them/", fields | {"items": SimpleUploadedFile("nv.xlsx", form_workbook())})
    conclusion = Conclusion.objects.get(number="Số 7-TB/TU")
    assert response.status_code == 302 and response["Location"] == f"/ket-luan/{conclusion.pk}/"
    page = text(client.get(f"/ket-luan/{conclusion.pk}/"))
    assert "Bổ nhiệm Giám đốc Sở Tài chính" in page and "hằng tháng" in page and "Thêm nhiệm vụ" in page
    broken = SimpleUploadedFile("nv.xlsx", b"PK\x03\x04broken")
    response = client.post("/ket-luan/them/", fields | {"number": "Số 8-TB/TU", "items": broken})
    assert response.status_code == 400 and "Không đọc được" in text(response) and 'value="Số 8-TB/TU"' in text(response)  # kept to mend
    assert not Conclusion.objects.filter(number="Số 8-TB/TU").exists()
    for mistake, said in (({"issued_on": ""}, "Cần ngày ban hành"), ({"org": "NOPE"}, "NOPE"), ({"number": ""}, "số, ký hiệu"),
                          ({"issuer": "a\x00b"}, "")):
        response = client.post("/ket-luan/them/", fields | {"number": "Số 9"} | mistake)
        assert response.status_code == 400 and said in text(response), mistake
    assert not Conclusion.objects.filter(number="Số 9").exists()
    client.force_login(people.bob)  # a reporter: no form, and the post is refused
    assert "Thêm kết luận" not in text(client.get("/ket-luan/"))
    assert client.post("/ket-luan/them/", fields | {"org": "CT-NK-TA", "number": "Số 10"}).status_code == 403


def test_items_are_added_one_by_one_and_tasks_reassigned(client, people, task):
    conclusion = task.conclusion
    client.force_login(people.alice)
    item = {"title": "Rà soát quy hoạch", "lead_unit": "CT-NK-TA", "owner": "bob", "deadline": "2099-03-31", "targets": "ct-dtc/DTC-01"}
    response = client.post(f"/ket-luan/{conclusion.pk}/nhiem-vu/", item)
    added = Task.objects.get(title="Rà soát quy hoạch")
    assert response.status_code == 302 and added.owner == people.bob and [t.code for t in added.targets.all()] == ["DTC-01"]
    for mistake, said in (({"supporting_units": "ST", "title": "Phối hợp tỉnh khác"}, "không thuộc"), ({"deadline": "", "title": "Không hạn"}, "thời hạn"),
                          ({"owner": "dana", "title": "Người ngoài"}, "không có vai trò"), ({"targets": "x/y", "title": "Chỉ tiêu lạ"}, "ct-2021/03")):
        response = client.post(f"/ket-luan/{conclusion.pk}/nhiem-vu/", item | mistake)
        assert response.status_code == 400 and said in text(response).lower() and 'value="' + mistake["title"] + '"' in text(response), mistake
        assert not Task.objects.filter(title=mistake["title"]).exists()
    response = client.post(f"/nhiem-vu/{task.pk}/giao-lai/", {"owner": "alice", "deadline": "2099-12-31", "version": task.version}, follow=True)
    assert "Đã lưu người phụ trách và thời hạn" in text(response)
    task.refresh_from_db()
    assert task.owner == people.alice and task.deadline == date(2099, 12, 31)
    response = client.post(f"/nhiem-vu/{task.pk}/giao-lai/", {"owner": "nobody", "deadline": "2099-12-31"}, follow=True)
    assert "Không có tài khoản" in text(response)
    client.force_login(people.bob)
    assert client.post(f"/ket-luan/{conclusion.pk}/nhiem-vu/", item).status_code == 403
    assert client.post(f"/nhiem-vu/{added.pk}/giao-lai/", {"owner": "bob", "deadline": "2099-01-01"}).status_code == 403
    assert "Rà soát quy hoạch" in text(client.get(f"/ket-luan/{conclusion.pk}/")) and "Thêm nhiệm vụ" not in text(client.get(f"/ket-luan/{conclusion.pk}/"))


def test_attached_files_download_for_those_who_see_the_task_only(client, people, task):
    other = services.add_task(user=people.alice, conclusion=task.conclusion, lead_unit=people.ward_b, title="Việc phường B",
                              deadline=date(2099, 1, 1))
    report = services.report_progress(user=people.bob, task=task, text="Biên bản", percent=10,
                                      files=[('<script>"bao cao".html', b"<script>alert(1)</script>")])
    attached = report.files.get()
    client.force_login(people.bob)
    page = text(client.get(f"/nhiem-vu/{task.pk}/"))
    url = f"/nhiem-vu/{task.pk}/tep/{attached.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "application/octet-stream" and response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"] and response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/nhiem-vu/{other.pk}/tep/{attached.pk}/").status_code == 404  # not through another task
    client.force_login(people.dana)
    assert client.get(url).status_code == 404
