"""The results template for one org unit × resolution × period: a workbook a reporter fills in Excel or
LibreOffice and hands back, accepted unchanged by `nghiquyet import` and the upload page.

Sheet "Kết quả" is an ordinary `results` sheet (imports.schema): its key columns (resolution, target, unit,
period) come filled in and locked, its plan and last year's value are reading columns the import skips, and
the value, kind and note are the cells to fill. A row left without a value is skipped by the import, never
written as zero (docs/decisions/0013-excel-template.md). Sheet "Hướng dẫn" says how, in Vietnamese.

Values already entered are filled in, so the workbook downloaded after typing on the entry page and
uploaded again changes nothing. No cell is a formula: texts are written as texts.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from nghiquyet.figures.entry import EntrySheet
from nghiquyet.figures.workbook import number_cell, number_format, text_cell
from nghiquyet.imports.schema import RESULTS
from nghiquyet.targets.models import ResultKind
from nghiquyet.targets.rules import Direction

# (column key, header, width, filled in by the reporter)
COLUMNS = (
    ("resolution", "Nghị quyết", 12, False),
    ("target", "Mã chỉ tiêu", 10, False),
    ("target_name", "Tên chỉ tiêu", 50, False),
    ("measure", "Đơn vị tính", 12, False),
    ("org_unit", "Mã đơn vị", 12, False),
    ("period", "Kỳ", 10, False),
    ("plan", "Kế hoạch", 14, False),
    ("plan_max", "Kế hoạch (cận trên)", 14, False),
    ("last_year", "Cùng kỳ năm trước", 14, False),
    ("value", "Thực hiện", 14, True),
    ("kind", "Loại số liệu", 14, True),
    ("note", "Ghi chú", 40, True),
)
KIND_WORDS = {ResultKind.OFFICIAL: "chính thức", ResultKind.ESTIMATE: "ước"}
MILESTONE_WORDS = ("đạt", "không đạt")
SHEET = "Kết quả"
FILL = PatternFill("solid", fgColor="FFF8DC")  # the cells to fill, as a pale yellow
KEY_FILL = PatternFill("solid", fgColor="EEEEEE")

assert all(RESULTS.column(key) for key, *_ in COLUMNS)  # every column is one the import reads or skips by name


def template_workbook(sheet: EntrySheet) -> bytes:
    """The template of the entry sheet's rows (the caller checked that the user may enter figures there)."""
    book = Workbook()
    results = book.active
    results.title = SHEET
    _header(results)
    for at, row in enumerate(sheet.rows, start=2):
        _row(results, at, sheet, row)
    last = max(len(sheet.rows) + 1, 2)
    _validations(results, sheet, last)
    results.freeze_panes = results.cell(2, 4)
    results.protection.sheet = True  # keys and headers locked; no password: it prevents slips, not people
    results.protection.formatColumns = False
    results.protection.formatRows = False
    results.protection.autoFilter = False
    results.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    # printed: landscape, one page wide, the header on every page
    results.page_setup.orientation = "landscape"
    results.page_setup.paperSize = results.PAPERSIZE_A4
    results.sheet_properties.pageSetUpPr.fitToPage = True
    results.page_setup.fitToWidth, results.page_setup.fitToHeight = 1, 0
    results.print_title_rows = "1:1"
    _instructions(book.create_sheet("Hướng dẫn", 0), sheet)
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header(results: Worksheet) -> None:
    for column, (_key, title, width, _filled) in enumerate(COLUMNS, start=1):
        cell = text_cell(results.cell(1, column), title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        results.column_dimensions[get_column_letter(column)].width = width
    results.row_dimensions[1].height = 32


def _row(results: Worksheet, at: int, sheet: EntrySheet, row: Any) -> None:
    target, score = row.target, row.score
    milestone = target.direction == Direction.MILESTONE
    figure_format = number_format(target.decimals)
    values: dict[str, Any] = {
        "resolution": sheet.resolution.key,
        "target": target.code,
        "target_name": target.name,
        "measure": target.unit,
        "org_unit": sheet.org_unit.code,
        "period": sheet.period.code,
        "kind": KIND_WORDS.get(row.kind, "chính thức"),
        "note": row.result.note if row.result else "",
    }
    figures = {"plan": score.plan, "plan_max": score.plan_max, "last_year": score.previous_actual,
               "value": row.result.value if row.result else None}
    for column, (key, _title, _width, filled) in enumerate(COLUMNS, start=1):
        cell = results.cell(at, column)
        if key in figures:
            value = figures[key]
            if milestone and value is not None:
                text_cell(cell, MILESTONE_WORDS[0] if value else MILESTONE_WORDS[1])
            else:
                number_cell(cell, value, figure_format)
                cell.number_format = figure_format
        else:
            text_cell(cell, values[key])
        if filled:
            cell.protection = Protection(locked=False)
            cell.fill = FILL
        elif key in ("resolution", "target", "org_unit", "period"):
            cell.fill = KEY_FILL
    results.cell(at, 3).alignment = Alignment(wrap_text=True, vertical="top")


def _validations(results: Worksheet, sheet: EntrySheet, last: int) -> None:
    """Lists for the kind and the milestones' values; a number for the other values (text is refused by
    Excel as typed, and by the import in any case)."""
    value_column = get_column_letter(_column_of("value"))
    kind = DataValidation(type="list", formula1='"chính thức,ước"', allow_blank=True, showErrorMessage=True,
                          errorTitle="Loại số liệu", error="Chọn chính thức hoặc ước.")
    kind.add(f"{get_column_letter(_column_of('kind'))}2:{get_column_letter(_column_of('kind'))}{last}")
    milestone = DataValidation(type="list", formula1='"đạt,không đạt"', allow_blank=True, showErrorMessage=True,
                               errorTitle="Chỉ tiêu mốc", error="Chọn đạt hoặc không đạt.")
    number = DataValidation(type="decimal", operator="between", formula1="-1000000000000000", formula2="1000000000000000",
                            allow_blank=True, showErrorMessage=True, errorTitle="Thực hiện",
                            error="Nhập một số (ví dụ 1635 hoặc 0,21).")
    for at, row in enumerate(sheet.rows, start=2):
        (milestone if row.target.direction == Direction.MILESTONE else number).add(f"{value_column}{at}")
    for validation in (kind, milestone, number):
        if validation.sqref:
            results.add_data_validation(validation)


def _column_of(key: str) -> int:
    return next(index for index, (k, *_rest) in enumerate(COLUMNS, start=1) if k == key)


def _instructions(notes: Worksheet, sheet: EntrySheet) -> None:
    resolution = sheet.resolution
    lines = [
        f"Mẫu nhập kết quả: {resolution.number} — {resolution.title}",
        f"Đơn vị: {sheet.org_unit.name} ({sheet.org_unit.code}); kỳ: {sheet.period.code}",
        resolution.notice,
        "",
        "Cách điền",
        "1. Mở sheet «Kết quả». Mỗi dòng là một chỉ tiêu của đơn vị trong kỳ; các cột xám (nghị quyết, mã chỉ tiêu, "
        "mã đơn vị, kỳ) là khóa, đã khóa lại, không sửa.",
        "2. Điền các ô màu vàng: «Thực hiện» (số, ví dụ 1635 hoặc 0,21; chỉ tiêu mốc chọn đạt / không đạt), "
        "«Loại số liệu» (chính thức hoặc ước) và «Ghi chú» nếu cần.",
        "3. Chỉ tiêu tỷ lệ phần trăm: ghi số phần trăm (12,5), không định dạng ô kiểu phần trăm của Excel.",
        "4. Dòng để trống «Thực hiện» được bỏ qua khi tải lên: không ghi số 0, không xóa số đã nhập.",
        "5. Các cột kế hoạch và cùng kỳ năm trước chỉ để đối chiếu; sửa chúng không thay đổi gì.",
        "6. Lưu tệp (.xlsx), rồi tải lên ở trang «Tải lên số liệu» hoặc dùng lệnh: nghiquyet import TỆP.xlsx",
        "7. Hệ thống kiểm tra cả tệp trước; có lỗi thì không ghi gì và liệt kê từng lỗi (sheet, dòng, cột, lý do). "
        "Tải lên lại cùng một tệp không thay đổi gì.",
        "8. Số liệu tải lên là bản nháp của đơn vị, như khi gõ trên trang nhập số liệu; nộp để cấp trên duyệt ở trang đó.",
    ]
    for at, line in enumerate(lines, start=1):
        cell = text_cell(notes.cell(at, 1), line or "")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if at in (1, 5):
            cell.font = Font(bold=True, size=13 if at == 1 else 11)
    notes.column_dimensions["A"].width = 110
