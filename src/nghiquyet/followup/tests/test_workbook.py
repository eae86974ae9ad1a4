"""A conclusion's items from the office's workbook: the blank form fills in, every mistake named by sheet, row
and column, all or nothing; the same reading for the web form; `nghiquyet conclusion`."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from nghiquyet.followup import services
from nghiquyet.followup.models import Conclusion, Task
from nghiquyet.followup.workbook import ItemsRejected, form_workbook, import_items
from nghiquyet.lib.errors import Invalid


@pytest.fixture
def conclusion(people):
    return services.create_conclusion(user=people.alice, org_unit=people.city, issuer="Ban Thường vụ", number="Số 1-TB/TU",
                                      issued_on=date(2022, 1, 20))


def book(*rows, header=None) -> bytes:
    workbook = load_workbook(io.BytesIO(form_workbook()))
    sheet = workbook["Nhiệm vụ"]
    sheet.delete_rows(2, sheet.max_row)
    if header:
        for column, text in enumerate(header, start=1):
            sheet.cell(1, column).value = text
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_blank_form_s_examples_become_tasks(people, conclusion):
    made = import_items(user=people.alice, conclusion=conclusion, name="mau.xlsx", content=form_workbook())
    vacancy, recurring = made
    assert (vacancy.kind, vacancy.post, vacancy.deadline, vacancy.vacant_since) == ("vacancy", "Giám đốc Sở Tài chính", date(2022, 9, 30),
                                                                                  date(2021, 11, 15))
    assert (recurring.cadence, recurring.deadline, [t.code for t in recurring.targets.all()], recurring.period) == (
        "monthly", None, ["DTC-01"], "2022")
    assert [t.position for t in made] == [1, 2]


def test_every_mistake_is_named_and_nothing_is_added(people, conclusion):
    content = book(
        ["Việc đúng", "CT-NK-TA", "", "bob", "30/06/2022"],
        ["Đơn vị lạ", "NOPE", "", "", "30/06/2022"],
        ["Người lạ", "CT", "", "ai-do", "31/12/2022"],
        ["Thường xuyên mà không có kỳ", "CT", "", "", "thường xuyên"],
        ["Kỳ lạ", "CT", "", "", "", "hằng tuần"],
        ["Ngày lạ", "CT", "", "", "31/02/2022"],
        ["Chỉ tiêu lạ", "CT", "", "", "31/12/2022", "", "ct-2021/99"],
        ["Cả hạn lẫn kỳ", "CT", "", "", "31/12/2022", "hằng quý"],
        ["", "CT", "", "", "31/12/2022"],
        ["Người không thuộc đơn vị", "CT-NK-TA", "", "dana", "31/12/2022"],
    )
    with pytest.raises(ItemsRejected) as caught:
        import_items(user=people.alice, conclusion=conclusion, name="nv.xlsx", content=content)
    places = [(p.row, p.column) for p in caught.value.problems]
    assert places == [(3, "Mã đơn vị chủ trì"), (4, "Người phụ trách (tên đăng nhập)"), (5, "Kỳ báo cáo (việc thường xuyên)"),
                      (6, "Kỳ báo cáo (việc thường xuyên)"), (7, "Thời hạn"), (8, "Chỉ tiêu liên quan (nghị quyết/mã)"), (9, "Thời hạn"),
                      (10, "Nội dung nhiệm vụ"), (11, "Người phụ trách (tên đăng nhập)")]
    assert "sheet Nhiệm vụ, dòng 3, cột Mã đơn vị chủ trì" in str(caught.value)
    assert not Task.objects.filter(conclusion=conclusion).exists()  # all or nothing


def test_a_unit_outside_the_conclusion_s_tree_is_refused(people, django_user_model):
    ward = services.create_conclusion(user=people.alice, org_unit=people.ward_a, issuer="Đảng ủy phường", number="Số 2-TB/ĐU",
                                      issued_on=date(2022, 1, 20))
    with pytest.raises(ItemsRejected) as caught:
        import_items(user=people.alice, conclusion=ward, name="nv.xlsx", content=book(["Việc của phường khác", "CT-NK-XK", "", "", "30/06/2022"]))
    assert caught.value.problems[0].column == "Mã đơn vị chủ trì" and "không thuộc" in caught.value.problems[0].message


def test_crafted_and_wrong_files_are_refused_whole(people, conclusion):
    for name, content, said in (("x.xlsx", b"PK\x03\x04not a zip", "Không đọc được"), ("x.xlsx", b"", "rỗng"),
                                ("x.xlsx", book(header=["Cột khác"]), 'Thiếu cột "Nội dung nhiệm vụ"')):
        with pytest.raises(Invalid) as caught:
            import_items(user=people.alice, conclusion=conclusion, name=name, content=content)
        assert said in str(caught.value), name
    workbook = Workbook()
    workbook.active.title = "Nhiệm vụ"
    workbook.active.append(["Nội dung nhiệm vụ", "Mã đơn vị chủ trì", "Thời hạn"])
    workbook.active.append(["=HYPERLINK(\"http://x\")", "CT", "30/06/2022"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ItemsRejected) as caught:
        import_items(user=people.alice, conclusion=conclusion, name="f.xlsx", content=out.getvalue())
    assert "công thức" in str(caught.value)
    with pytest.raises(Exception) as caught:  # a reporter of a ward is not the conclusion's writer
        import_items(user=people.bob, conclusion=conclusion, name="mau.xlsx", content=form_workbook())
    assert type(caught.value).__name__ == "Forbidden"
    assert not Task.objects.filter(conclusion=conclusion).exists()


def test_the_command_adds_a_conclusion_with_its_items_or_nothing(people, tmp_path):
    form = tmp_path / "mau.xlsx"
    call_command("conclusion", "form", "-o", str(form))
    out = io.StringIO()
    call_command("conclusion", "add", "--org", "CT", "--issuer", "Ban Thường vụ", "--number", "Số 3-TB/TU", "--date", "2022-02-01",
                 "--items", str(form), "--as", "alice", stdout=out)
    assert "với 2 nhiệm vụ" in out.getvalue()
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(book(["Việc", "NOPE", "", "", "30/06/2022"]))
    with pytest.raises(SystemExit):
        call_command("conclusion", "add", "--org", "CT", "--issuer", "Ban Thường vụ", "--number", "Số 4-TB/TU", "--date", "2022-02-01",
                     "--items", str(bad), "--as", "alice")
    assert not Conclusion.objects.filter(number="Số 4-TB/TU").exists()  # the conclusion is not left without its items
    with pytest.raises(SystemExit):  # a reporter of a ward cannot issue the city's conclusion
        call_command("conclusion", "add", "--org", "CT", "--issuer", "X", "--number", "Số 5", "--date", "2022-02-01", "--as", "bob")
    out = io.StringIO()
    call_command("conclusion", "list", "--format", "json", stdout=out)
    assert '"number": "Số 3-TB/TU"' in out.getvalue()


def test_reassigning_a_task_is_for_the_writers_audited_and_checked(people, conclusion):
    from nghiquyet.accounts.permissions import Forbidden
    from nghiquyet.audit.models import AuditEvent
    from nghiquyet.lib.errors import Conflict

    task = services.add_task(user=people.alice, conclusion=conclusion, lead_unit=people.ward_a, title="Việc", deadline=date(2022, 6, 30))
    with pytest.raises(Forbidden):
        services.update_task(user=people.bob, task=task, owner=people.bob, deadline=date(2022, 9, 30))
    with pytest.raises(Invalid):  # Dana has no role at ward A
        services.update_task(user=people.alice, task=task, owner=people.dana, deadline=date(2022, 9, 30))
    done = services.update_task(user=people.alice, task=task, version=task.version, owner=people.bob, deadline=date(2022, 9, 30))
    assert (done.owner, done.deadline, done.version) == (people.bob, date(2022, 9, 30), 2)
    event = AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk), action="update").get()
    assert event.old == {"owner": None, "deadline": "2022-06-30"} and event.new == {"owner": "bob", "deadline": "2022-09-30"}
    with pytest.raises(Conflict):  # from a page older than the change
        services.update_task(user=people.alice, task=task, version=1, owner=None, deadline=date(2022, 12, 31))
