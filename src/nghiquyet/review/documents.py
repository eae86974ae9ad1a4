"""The review's results as documents: the vote-count and results table (biên bản kiểm phiếu và tổng hợp kết quả
xếp loại) as DOCX in the Party's layout (HD 36-HD/VPTW: header, place and date in words, title, table,
signature block, "Nơi nhận"), and the same table as XLSX. Both are made from a CycleTally (review.tally):
counts appear only for closed questions, as on the page. No cell of the workbook is a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from nghiquyet.figures.workbook import number_cell, text_cell
from nghiquyet.lib.vnformat import format_date_long
from nghiquyet.reports.content import place_of
from nghiquyet.reports.template_builder import keep_on_one_page
from nghiquyet.review.assessments import FORMS
from nghiquyet.review.models import SelfAssessment
from nghiquyet.review.rules import LEVELS, level_label
from nghiquyet.review.tally import CycleTally, QuestionTally

FONT = "Times New Roman"  # rendered with a metric-compatible font where it is missing (README: Tinos)
HEADERS = ["STT", "Tập thể, cá nhân", "Chức vụ", *(level_label(level) for level in LEVELS), "Số đã bỏ phiếu",
           "Mức được biểu quyết", "Quyết định xếp loại"]


COLUMN_CM = (1.2, 4.6, 4.6, 2.0, 2.0, 2.0, 2.0, 1.8, 2.5, 2.5)  # 25,2 cm: the landscape page inside its margins


def _rows(tally: CycleTally) -> list[list[object]]:
    items: list[tuple[str, str, QuestionTally]] = [(tally.cycle.collective, "Tập thể", tally.collective),
                                                   *((t.member.name, t.member.position, t) for t in tally.members)]
    rows = []
    for number, (name, position, item) in enumerate(items, start=1):
        data = item.as_json()
        counts = [data["counts"][level.value] if data["counts"] else "" for level in LEVELS]
        carried = level_label(data["carried"]) if data["carried"] else ("" if data["counts"] is None else "Không mức nào đủ phiếu")
        decided = level_label(data["decided"]) if data["decided"] else ""
        rows.append([number, name, position, *counts, data["voted"] if data["state"] != "not_asked" else "", carried, decided])
    return rows


def results_xlsx(tally: CycleTally) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả xếp loại"
    text_cell(sheet.cell(1, 1), f"{tally.cycle.title} — {tally.cycle.collective} — {tally.rule_set.short}").font = Font(bold=True)
    for column, title in enumerate(HEADERS, start=1):
        cell = text_cell(sheet.cell(3, column), title)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for at, row in enumerate(_rows(tally), start=4):
        for column, value in enumerate(row, start=1):
            if isinstance(value, int) and not isinstance(value, bool):
                number_cell(sheet.cell(at, column), Decimal(value), "0")
            else:
                text_cell(sheet.cell(at, column), str(value))
    at = 5 + len(tally.members) + 1
    for check in tally.checks + tally.flags:
        text_cell(sheet.cell(at, 2), ("✓ " if check.get("passed", False) else "! ") + check["text"])
        at += 1
    for column, width in zip("ABCDEFGHIJ", (6, 34, 34, 12, 12, 12, 12, 12, 22, 22), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _paragraph(document: Document, text: str, *, bold: bool = False, italic: bool = False, size: int = 14,
               align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY, cell=None) -> None:
    paragraph = (cell.add_paragraph() if cell is not None else document.add_paragraph())
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT


def _party_header(document: Document, *, unit_name: str, body: str, day: date, issuer: str = "", place: str = "", kind: str = "") -> None:
    """The two-column header of HD 36: the issuing body (left) with, for a document `kind` ("BC": a báo cáo), the line of
    its number left blank ("Số    -BC/…": the office fills it in when it registers the document; types as in
    DOCUMENT-LAYOUT.md §1, so none for a biên bản, whose symbol we have not verified), and the
    Party's name and the place and date (right)."""
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0].text = ""
    _paragraph(document, (issuer or f"ĐẢNG BỘ {unit_name.upper()}"), size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    _paragraph(document, body.upper(), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    _paragraph(document, "*", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    if kind:
        _paragraph(document, f"Số    -{kind}/…", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=left)
    _paragraph(document, "ĐẢNG CỘNG SẢN VIỆT NAM", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)
    _paragraph(document, f"{place or place_of(unit_name)}, {format_date_long(day)}", italic=True, size=14,
               align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)


def grid_table(document: Document, headers: list[str] | tuple[str, ...], rows: list[list[object]], widths_cm: tuple[float, ...], *,
               left: set[int], centred: bool = False) -> None:
    """A bordered table: headers in bold, one row per item (the `left` columns aligned left, the rest centred),
    column widths in the grid (which LibreOffice and Word read first) and on every cell, and no empty paragraph
    left where python-docx puts one in each new cell."""
    table = document.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    if centred:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, title in enumerate(headers):
        _paragraph(document, title, bold=True, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, cell=table.rows[0].cells[column])
    for at, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.LEFT if column in left else WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(document, str(value), size=12, align=align, cell=table.rows[at].cells[column])
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for cell_row in table.rows:
        for cell, width in zip(cell_row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
            first = cell.paragraphs[0]
            if not first.text and len(cell.paragraphs) > 1:
                first._element.getparent().remove(first._element)


def _signature(document: Document, recipients: list[str], office: list[str]) -> None:
    table = document.add_table(rows=1, cols=2)
    keep_on_one_page(table.rows[0])
    left, right = table.rows[0].cells
    left.paragraphs[0].text = right.paragraphs[0].text = ""
    _paragraph(document, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, cell=left)
    for line in recipients:
        _paragraph(document, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, cell=left)
    for line in office:
        _paragraph(document, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, cell=right)


def results_docx(tally: CycleTally, *, day: date, issuer: str = "", place: str = "") -> bytes:
    """The results table in the Party's layout, landscape (the table has ten columns)."""
    cycle = tally.cycle
    document = _new_document(landscape=True)
    _party_header(document, unit_name=cycle.org_unit.name, body=cycle.collective, day=day, issuer=issuer, place=place)
    _paragraph(document, "BIÊN BẢN", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"kiểm phiếu và tổng hợp kết quả xếp loại chất lượng năm {cycle.year}", bold=True, size=14,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"Căn cứ {tally.rule_set.regulation}.", size=14)
    if cycle.illustrative:
        _paragraph(document, "Dữ liệu minh họa: người và kết quả không có thật.", italic=True, size=13)
    grid_table(document, HEADERS, _rows(tally), COLUMN_CM, left={1, 2, 8, 9}, centred=True)
    _paragraph(document, "Kiểm tra theo quy định:", bold=True, size=14)
    for check in tally.checks:
        _paragraph(document, ("- " if check["passed"] else "- Vi phạm: ") + check["text"], size=13)
    for flag in tally.flags:
        _paragraph(document, f"- Lưu ý: {flag['text']}", size=13)
    _signature(document, [f"{cycle.collective},", "Lưu hồ sơ kiểm điểm."], ["T/M BAN KIỂM PHIẾU", "TRƯỞNG BAN"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _new_document(*, landscape: bool = False) -> Document:
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    return document


def review_report_docx(tally: CycleTally, *, day: date, assessment: SelfAssessment | None, sentence: str = "",
                       issuer: str = "", place: str = "") -> bytes:
    """The collective's review report (Mẫu 01's parts, HD 43) in the Party's layout: the figures' sentence
    ("Thực hiện đạt và vượt 11/19 chỉ tiêu …"), the report's sections as the collective wrote them, its proposed
    level and the highest level the rules allow, with their reasons."""
    cycle = tally.cycle
    document = _new_document()
    _party_header(document, unit_name=cycle.org_unit.name, body=cycle.collective, day=day, issuer=issuer, place=place, kind="BC")
    _paragraph(document, "BÁO CÁO", bold=True, size=15, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"kiểm điểm tập thể {cycle.collective} năm {cycle.year}", bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, f"Căn cứ {tally.rule_set.regulation}, {cycle.collective} báo cáo kết quả kiểm điểm năm {cycle.year} như sau:", size=14)
    if cycle.illustrative:
        _paragraph(document, "Dữ liệu minh họa: người và nội dung không có thật.", italic=True, size=13)
    _paragraph(document, "A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ VÀ TỰ KIỂM ĐIỂM", bold=True, size=14)
    if sentence:
        _paragraph(document, sentence, size=14)
    sections = FORMS["forms"]["01"]["sections"]
    for section in sections:
        _paragraph(document, section["vi"], bold=True, size=14)
        text = (assessment.sections.get(section["key"], "") if assessment else "").strip()
        _paragraph(document, text or "(Chưa có nội dung.)", italic=not text, size=14)
    _paragraph(document, "B. TỰ ĐÁNH GIÁ, XẾP LOẠI", bold=True, size=14)
    proposed = level_label(assessment.proposed_level) if assessment and assessment.proposed_level else "(chưa tự xếp loại)"
    if assessment and assessment.general_points is not None and assessment.task_points is not None:
        total = assessment.general_points + assessment.task_points
        _paragraph(document, f"Tự chấm: {assessment.general_points} + {assessment.task_points} = {total}/100 điểm.", size=14)
    _paragraph(document, f"Tập thể tự xếp loại: {proposed}.", size=14)
    _paragraph(document, f"Mức cao nhất theo quy định và kết quả chỉ tiêu: {level_label(tally.ceiling.level)}, vì:", size=14)
    for text in tally.ceiling.texts:
        _paragraph(document, f"- {text}", size=13)
    _signature(document, ["Cấp ủy cấp trên (để báo cáo),", f"{cycle.collective},", "Lưu Văn phòng."],
               ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
