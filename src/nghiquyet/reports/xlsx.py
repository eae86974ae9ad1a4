"""A report as an Excel workbook: the scorecard (as figures.workbook lays it out: numbers as number cells,
statuses in words), the units directly below, each with its own reported figures and a chart of how many
targets each met, the open tasks beside the targets that lag, and each year-to-date target's running total
month by month beside the year before, with a line chart. No cell is a formula: texts are written as texts,
whatever they start with."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from nghiquyet.figures.dashboard import Cumulative
from nghiquyet.figures.scorecard import Scorecard
from nghiquyet.figures.workbook import fill_scorecard_sheet, number_cell, number_format, text_cell
from nghiquyet.reports.content import ReportContent
from nghiquyet.targets.rules import ACHIEVED, Status

CHILD_HEADERS = ["Đơn vị", "Mã", "Chỉ tiêu đạt và vượt", "Không đạt", "Chưa có số liệu", "Số chỉ tiêu"]
REMEDY_HEADERS = [("Chỉ tiêu", 40), ("Nhiệm vụ", 50), ("Chủ trì", 24), ("Thời hạn", 12), ("Tình trạng", 16), ("Tiến độ", 9)]
DETAIL_HEADERS = ["Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "% kế hoạch", "Đánh giá"]


def report_workbook(content: ReportContent, scorecard: Scorecard, children: list[Scorecard], cumulative: Sequence[Cumulative] = ()) -> bytes:
    book = Workbook()
    fill_scorecard_sheet(book.active, scorecard)
    summary = book.active
    text_cell(summary.cell(3, 1), content.paragraph)  # the report's own paragraph, naming the targets not met
    if children:
        _children(book.create_sheet("Đơn vị trực thuộc"), children)
    if content.remedies:
        _remedies(book.create_sheet("Nhiệm vụ khắc phục"), content)
    if cumulative:
        _running_totals(book.create_sheet("Lũy kế theo tháng"), cumulative)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _children(sheet, children: list[Scorecard]) -> None:
    for column, (title, width) in enumerate(zip(CHILD_HEADERS, (40, 12, 12, 12, 12, 12), strict=True), start=1):
        text_cell(sheet.cell(1, column), title).font = Font(bold=True)
        sheet.cell(1, column).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for at, card in enumerate(children, start=2):
        statuses = [row.status for row in card.rows]
        text_cell(sheet.cell(at, 1), card.org_unit.name)
        text_cell(sheet.cell(at, 2), card.org_unit.code)
        for column, count in ((3, sum(s in ACHIEVED for s in statuses)), (4, statuses.count(Status.NOT_MET)),
                              (5, statuses.count(Status.NO_DATA)), (6, len(statuses))):
            sheet.cell(at, column).value = count
    last = len(children) + 1
    chart = BarChart()
    chart.type, chart.title, chart.y_axis.title = "bar", "Số chỉ tiêu đạt và vượt, không đạt", "chỉ tiêu"
    chart.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=last))
    chart.height, chart.width = max(7.5, 0.6 * len(children) + 3), 26
    sheet.add_chart(chart, "H2")
    # each unit's own figures, a row per unit and target, below the table
    start = last + 3
    for column, title in enumerate(DETAIL_HEADERS, start=1):
        text_cell(sheet.cell(start, column), title).font = Font(bold=True)
    at = start + 1
    for card in children:
        for row in card.rows:
            target = row.target
            text_cell(sheet.cell(at, 1), card.org_unit.name)
            text_cell(sheet.cell(at, 2), target.code)
            text_cell(sheet.cell(at, 3), target.name)
            number_cell(sheet.cell(at, 4), row.plan, number_format(target.decimals))
            number_cell(sheet.cell(at, 5), row.actual, number_format(target.decimals))
            if row.percent_of_plan is not None:
                number_cell(sheet.cell(at, 6), row.percent_of_plan / 100, "0.00%")
            text_cell(sheet.cell(at, 7), row.status_label)
            at += 1


def _remedies(sheet, content: ReportContent) -> None:
    """The open tasks beside the targets that lag (the report's section III), one row each."""
    for column, (title, width) in enumerate(REMEDY_HEADERS, start=1):
        text_cell(sheet.cell(1, column), title).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for at, remedy in enumerate(content.remedies, start=2):
        for column, text in enumerate((remedy.target, remedy.title, remedy.lead_unit, remedy.deadline, remedy.status, remedy.percent),
                                      start=1):
            text_cell(sheet.cell(at, column), text).alignment = Alignment(wrap_text=True, vertical="top")


def _running_totals(sheet, cumulative: Sequence[Cumulative]) -> None:
    """Per year-to-date target: its name, then month by month the running total of the year before and of this
    year (and each as a share of that year's plan, where there is one), and a line chart of the two years."""
    at = 1
    sheet.column_dimensions["A"].width = 10
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 16
    for totals in cumulative:
        target, year = totals.target, totals.year
        text_cell(sheet.cell(at, 1), f"{target.code}. {target.name} ({target.unit})").font = Font(bold=True)
        heads = ["Tháng", f"Năm {year - 1}", f"Năm {year}", f"% KH năm {year - 1}", f"% KH năm {year}"]
        for column, title in enumerate(heads, start=1):
            text_cell(sheet.cell(at + 1, column), title).font = Font(bold=True)
        for month, (before, now) in enumerate(zip(totals.before, totals.totals, strict=True), start=1):
            row = at + 1 + month
            sheet.cell(row, 1).value = month
            number_cell(sheet.cell(row, 2), before, number_format(target.decimals))
            number_cell(sheet.cell(row, 3), now, number_format(target.decimals))
            for column, value, plan in ((4, before, totals.before_plan), (5, now, totals.plan)):
                if value is not None and plan:
                    number_cell(sheet.cell(row, column), value / plan, "0.00%")
        last = at + 1 + len(totals.totals)
        chart = LineChart()
        chart.title, chart.y_axis.title, chart.x_axis.title = f"{target.code}: lũy kế theo tháng", target.unit, "Tháng"
        chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=at + 1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=at + 2, max_row=last))
        chart.height, chart.width = 7.5, 16
        sheet.add_chart(chart, f"G{at}")
        at = max(last, at + 15) + 2  # the next target below this one's chart
