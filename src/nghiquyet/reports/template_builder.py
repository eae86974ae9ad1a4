"""Builds the report template shipped with the package (reports/templates/bao-cao.docx): a Party "BÁO CÁO" laid out
as ../shared/domain/DOCUMENT-LAYOUT.md gives it (HD 36-HD/VPTW): A4, margins 20/20/30/15 mm, Times New Roman 14,
the two-column header, the type name and subject centred, the body justified, the signature block and "Nơi nhận".
Its fields are Jinja tags that docxtpl fills (reports.docx); an office may edit the file in Word or LibreOffice
and keep the tags. Run again after changing it: python -m nghiquyet.reports.template_builder
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TEMPLATE = Path(__file__).resolve().parent / "templates" / "bao-cao.docx"
FONT = "Times New Roman"  # named as Party documents name it; servers render it with a metric-compatible font


def _font(style_or_run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    font = style_or_run.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts() if hasattr(style_or_run.element, "get_or_add_rPr") \
        else style_or_run.element.rPr.rFonts
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)


def _line(container, text: str, size: float = 14, *, bold: bool = False, italic: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER,
          after: float = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    _font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def build(path: Path = TEMPLATE) -> Path:
    document = Document()
    _page(document)
    _heading(document)
    _figures(document)
    _charts(document)
    _not_met(document)
    _remedies(document)
    _signature(document)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = document.styles["Normal"]
    _font(normal, 14)
    normal.paragraph_format.space_after = Pt(6)


def _heading(document) -> None:
    """The two-column header, the type name, the subject, the notice and the opening paragraph."""
    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _line(left, "{{ h.superior }}", 14)
    _line(left, "{{ h.issuer }}", 14, bold=True)
    _line(left, "*", 14)
    _line(left, "{{ h.number }}", 14)
    _line(left, "{% if secret %}MẬT{% endif %}", 14, bold=True)
    _line(right, "{{ h.party }}", 15, bold=True)
    _line(right, "―――――――――――――", 10)
    _line(right, "{{ h.place_date }}", 14, italic=True)
    _line(document, "", 14)
    _line(document, "{{ h.kind }}", 16, bold=True)
    _line(document, "{{ h.subject }}", 14, bold=True)
    _line(document, "-----", 14, after=12)
    _line(document, "{{ notice }}", 12, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _line(document, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", 14, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    body = _line(document, "{{ paragraph }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    body.paragraph_format.first_line_indent = Mm(10)


def _figures(document) -> None:
    """The target table: a header row, then one row per target (docxtpl's {%tr %} loop)."""
    columns = ("TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Đánh giá", "So với cùng kỳ")
    fields = ("number", "name", "unit", "plan", "actual", "percent", "status", "change")
    widths = (10, 43, 15, 18, 18, 19, 18, 24)  # mm: 165 between the margins
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(columns):
        cell = table.rows[0].cells[index]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(title), 12, bold=True)
    table.rows[1].cells[0].paragraphs[0].add_run("{%tr for row in table %}")
    for index, field in enumerate(fields):
        cell = table.rows[2].cells[index]
        right_aligned = field in ("plan", "actual", "percent")
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT if right_aligned else WD_ALIGN_PARAGRAPH.LEFT
        _font(cell.paragraphs[0].add_run(f"{{{{ row.{field} }}}}"), 12)
    table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):  # the grid: what LibreOffice reads
        column.width = Mm(width)
    for each in table.rows:  # and every cell: what Word reads
        for cell, width in zip(each.cells, widths, strict=True):
            cell.width = Mm(width)


def _charts(document) -> None:
    """The charts under the table, each with its caption (images made by reports.charts)."""
    _line(document, "{%p for chart in charts %}", 14)
    _line(document, "{{ chart.image }}", 14)
    _line(document, "{{ chart.caption }}", 12, italic=True)
    _line(document, "{%p endfor %}", 14)


def _not_met(document) -> None:
    _line(document, "", 14)
    _line(document, "II. CÁC CHỈ TIÊU KHÔNG ĐẠT VÀ NGUYÊN NHÂN", 14, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "{%p for line in not_met %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "- {{ line }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _line(document, "{%p endfor %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "{%p if not not_met %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "Không có chỉ tiêu nào không đạt.", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _line(document, "{%p endif %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)


def _remedies(document) -> None:
    """The open tasks beside the targets that lag; the section only where there are any."""
    _line(document, "{%p if remedies %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "", 14)
    _line(document, "III. NHIỆM VỤ KHẮC PHỤC CÁC CHỈ TIÊU CHƯA ĐẠT", 14, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "{%p for remedy in remedies %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "- {{ remedy.line }}", 14, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _line(document, "{%p endfor %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(document, "{%p endif %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)


def keep_on_one_page(row) -> None:
    """A table row that Word and LibreOffice never split over a page break (w:cantSplit): a signature block
    stays whole, its title with its signer."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _signature(document) -> None:
    """"Nơi nhận" on the left, the authority, the office and the signer on the right, on one page."""
    signature = document.add_table(rows=1, cols=2)
    _no_borders(signature)
    keep_on_one_page(signature.rows[0])
    recipients, signer = signature.rows[0].cells
    recipients.paragraphs[0].text = ""
    run = recipients.add_paragraph().add_run("Nơi nhận:")
    _font(run, 14)
    run.font.underline = True
    _line(recipients, "{%p for item in recipients %}", 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(recipients, "- {{ item }}", 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(recipients, "{%p endfor %}", 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signer, "{{ authority }}", 14, bold=True)
    _line(signer, "{{ office }}", 14)
    for _ in range(3):
        _line(signer, "", 14)
    _line(signer, "{{ signer }}", 14, bold=True)


if __name__ == "__main__":
    print(build())
