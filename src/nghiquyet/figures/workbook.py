"""The scorecard as an Excel workbook for people (the page's "Tải bảng"): Vietnamese headers, figures as
real number cells shown as on screen (the target's decimals, thousands grouped — Excel draws the separators
of the reader's locale), percent of plan as a percentage, statuses in words. The CSV stays the machine
format (codes, dot decimals, the JSON's columns).

No cell is ever a formula: text is written as text even when it starts with "=".
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nghiquyet.figures.scorecard import Scorecard, ScorecardRow
from nghiquyet.targets.rules import Direction

HEADERS = {
    "vi": ["Mã", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch", "Kế hoạch (cận trên)", "Thực hiện", "Số liệu", "% kế hoạch",
           "Đánh giá", "Cùng kỳ năm trước", "Trạng thái duyệt"],
    "en": ["Code", "Target", "Unit", "Plan", "Plan (upper bound)", "Actual", "Figure", "% of plan", "Assessment",
           "Same period last year", "Approval"],
}
WIDTHS = [7, 60, 14, 14, 14, 14, 14, 12, 20, 18, 16]
KIND_WORDS = {"vi": {"official": "chính thức", "estimate": "ước thực hiện"}, "en": {"official": "official", "estimate": "estimate"}}
STATE_WORDS = {
    "vi": {"approved": "đã duyệt", "draft": "chưa duyệt", "returned": "trả lại"},
    "en": {"approved": "approved", "draft": "not approved", "returned": "returned"},
}
TITLE_ROWS = 5  # title, unit and period, summary sentence, notice, blank


def number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def scorecard_workbook(scorecard: Scorecard) -> bytes:
    """The .xlsx file of a scorecard, as bytes."""
    book = Workbook()
    fill_scorecard_sheet(book.active, scorecard)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def fill_scorecard_sheet(sheet: Any, scorecard: Scorecard) -> None:
    """The scorecard on `sheet`: title lines, the summary sentence, the notice, then a row per target."""
    lang = scorecard.lang if scorecard.lang in HEADERS else "vi"
    sheet.title = "Đánh giá" if lang == "vi" else "Scorecard"
    resolution = scorecard.resolution
    text_cell(sheet.cell(1, 1), f"{resolution.number} — {resolution.title}").font = Font(bold=True, size=13)
    text_cell(sheet.cell(2, 1), f"{scorecard.org_unit.name} · {scorecard.period_label}")
    text_cell(sheet.cell(3, 1), scorecard.sentence)
    if resolution.notice:
        text_cell(sheet.cell(4, 1), resolution.notice).font = Font(italic=True)
    header_row = TITLE_ROWS + 1
    for column, title in enumerate(HEADERS[lang], start=1):
        cell = text_cell(sheet.cell(header_row, column), title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[column - 1]
    for offset, row in enumerate(scorecard.rows, start=1):
        _row(sheet, header_row + offset, row, lang)
    sheet.freeze_panes = sheet.cell(header_row + 1, 3)


def _row(sheet, at: int, row: ScorecardRow, lang: str) -> None:
    target = row.target
    text_cell(sheet.cell(at, 1), target.code)
    text_cell(sheet.cell(at, 2), target.name).alignment = Alignment(wrap_text=True, vertical="top")
    text_cell(sheet.cell(at, 3), target.unit)
    figure_format = number_format(target.decimals)
    for column, value in ((4, row.plan), (5, row.plan_max), (6, row.actual)):
        if target.direction == Direction.MILESTONE and value is not None:
            text_cell(sheet.cell(at, column), row._figure(value))  # "Hoàn thành" / "Chưa hoàn thành", as on screen
        else:
            number_cell(sheet.cell(at, column), value, figure_format)
    if row.kind:
        text_cell(sheet.cell(at, 7), KIND_WORDS[lang].get(row.kind, row.kind))
    if row.percent_of_plan is not None:
        number_cell(sheet.cell(at, 8), row.percent_of_plan / 100, "0.00%")
    text_cell(sheet.cell(at, 9), row.status_label)
    number_cell(sheet.cell(at, 10), row.previous_actual, figure_format)
    if row.state:
        text_cell(sheet.cell(at, 11), STATE_WORDS[lang].get(row.state, row.state))


def text_cell(cell: Cell, value: str) -> Cell:
    cell.value = value or None
    if value:
        cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def number_cell(cell: Cell, value: Decimal | None, fmt: str) -> None:
    if value is None:
        return
    cell.value = int(value) if value == value.to_integral_value() else float(value)
    cell.number_format = fmt
