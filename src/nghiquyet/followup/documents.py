"""Follow-up as documents: the tasks as an Excel table (no cell a formula), and the report on carrying out a
conclusion (báo cáo tình hình thực hiện kết luận) as DOCX in the Party's layout — every item with its lead
unit, deadline, status and the last progress reported."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.text import capfirst
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from nghiquyet.figures.workbook import number_cell, text_cell
from nghiquyet.followup.reads import TaskRow
from nghiquyet.followup.rules import Status, deadline_text
from nghiquyet.review.documents import _new_document, _paragraph, _party_header, _signature, grid_table

HEADERS = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Người phụ trách", "Thời hạn", "Tình trạng", "Tiến độ (%)", "Kết luận", "Chỉ tiêu"]


def _deadline(row: TaskRow) -> str:
    return capfirst(deadline_text(row.task.deadline, row.task.cadence))  # "30/06/2022", "Thường xuyên, hằng tháng"


def tasks_xlsx(rows: list[TaskRow]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    for column, title in enumerate(HEADERS, start=1):
        cell = text_cell(sheet.cell(1, column), title)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for at, row in enumerate(rows, start=2):
        task = row.task
        values = [None, task.title, task.lead_unit.name, task.owner.get_username() if task.owner else "", _deadline(row), row.status_label,
                  None, task.conclusion.number if task.conclusion else "",
                  ", ".join(f"{t.resolution.key}/{t.code}" for t in task.targets.all())]
        for column, value in enumerate(values, start=1):
            if value is not None:
                text_cell(sheet.cell(at, column), value)
        number_cell(sheet.cell(at, 1), Decimal(at - 1), "0")
        number_cell(sheet.cell(at, 7), Decimal(task.percent), "0")
    for column, width in zip("ABCDEFGHI", (6, 60, 28, 16, 18, 18, 10, 24, 20), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def conclusion_docx(conclusion, rows: list[TaskRow], *, day: date) -> bytes:
    """The report on carrying out `conclusion`: a count by status, then every item."""
    document = _new_document()
    unit = conclusion.org_unit
    _party_header(document, unit_name=unit.name, body=conclusion.issuer, day=day, kind="BC")
    _paragraph(document, "BÁO CÁO", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"tình hình thực hiện {conclusion.number}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    if conclusion.illustrative:
        _paragraph(document, "Dữ liệu minh họa.", italic=True, size=13)
    done = sum(1 for row in rows if row.status in (Status.DONE, Status.DONE_LATE))
    late = sum(1 for row in rows if row.status == Status.DONE_LATE)
    overdue = sum(1 for row in rows if row.status == Status.OVERDUE)
    going = sum(1 for row in rows if row.status in (Status.IN_PROGRESS, Status.NOT_STARTED))
    summary = f"Kết luận có {len(rows)} nội dung: đã hoàn thành {done}"
    summary += f" (trong đó {late} nội dung hoàn thành chậm)" if late else ""
    summary += f"; đang thực hiện {going}" if going else ""
    summary += f"; quá hạn {overdue}" if overdue else ""
    _paragraph(document, summary + ".", size=14)
    items = []
    for at, row in enumerate(rows, start=1):
        last = row.task.reports.first()
        content = row.task.title + (f"\nTiến độ: {last.text}" if last else "") + (f"\nKết quả: {row.task.evidence}" if row.task.evidence else "")
        items.append([at, content, row.task.lead_unit.name, _deadline(row), row.status_label, row.task.percent])
    grid_table(document, ("STT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Tình trạng", "%"), items, (1.3, 6.3, 3.0, 2.4, 2.4, 1.1),
               left={1, 2})
    _signature(document, [f"{conclusion.issuer} (để báo cáo),", "Lưu Văn phòng."], ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
