"""The review report of the demo, as the command line writes it (Markdown for now): the Party document's header,
the opening paragraph with the news report's figures, the target table, the targets not met with causes."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nghiquyet.figures.models import Cause
from nghiquyet.reports.content import place_of
from nghiquyet.targets.models import Target

pytestmark = pytest.mark.django_db


def report(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", *args, stdout=out)
    return out.getvalue()


def test_the_demo_report_says_what_the_news_report_said(demo):
    text = report("--date", "2022-01-17", "--issuer", "Thành ủy Cần Thơ", "--superior", "Đảng bộ thành phố Cần Thơ",
                  "--number", "Số 12-BC/TU")
    for line in ("ĐẢNG BỘ THÀNH PHỐ CẦN THƠ", "**THÀNH ỦY CẦN THƠ**", "Số 12-BC/TU", "**ĐẢNG CỘNG SẢN VIỆT NAM**",
                 "*Cần Thơ, ngày 17 tháng 01 năm 2022*", "# BÁO CÁO"):
        assert line in text.splitlines()
    assert "Năm 2021, thành phố Cần Thơ thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt, gồm: " in text
    members = next(line for line in text.splitlines() if "Kết nạp đảng viên mới" in line)
    assert "1.635" in members and "102%" in members
    assert text.count("\n| ") == 20  # the header row and the 19 targets
    assert "Dữ liệu minh họa" in text  # the demo is labelled wherever it is shown


def test_the_not_met_section_carries_the_causes_recorded(demo):
    from nghiquyet.orgunits.models import OrgUnit

    target = Target.objects.get(resolution__key="ct-2021", code="07")
    Cause.objects.create(target=target, org_unit=OrgUnit.objects.get(code="CT", valid_to__isnull=False), period="2021",
                         kind="objective", text="dịch COVID-19 kéo dài")
    section = report().split("## II.")[1]
    assert "- Lượt khách du lịch (nguyên nhân khách quan: dịch COVID-19 kéo dài)." in section
    assert "- Tốc độ tăng trưởng kinh tế (GRDP)." in section


def test_it_writes_a_file_and_refuses_a_bad_date(demo, tmp_path):
    out = tmp_path / "bao-cao.md"
    assert "Đã ghi" in report("-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("**")
    with pytest.raises(SystemExit) as stop:
        call_command("report", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--date", "17/01/2022",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert stop.value.code == 2


@pytest.mark.parametrize("name, place", [("Thành phố Cần Thơ", "Cần Thơ"), ("Tỉnh Sóc Trăng", "Sóc Trăng"),
                                         ("Quận Ninh Kiều", "Ninh Kiều"), ("Đảng bộ Khối", "Đảng bộ Khối")])
def test_the_place_a_report_is_dated_at(name, place):
    assert place_of(name) == place


# --- DOCX -------------------------------------------------------------------------------------------------


def docx_text(path) -> str:
    """Every paragraph of the document, its tables' included, a line each."""
    import docx

    document = docx.Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(lines)


def test_the_docx_report_opens_and_holds_the_party_header_and_the_figures(demo, tmp_path):
    out = tmp_path / "bao-cao.docx"
    report("--format", "docx", "-o", str(out), "--date", "2022-01-17", "--issuer", "Thành ủy Cần Thơ",
           "--superior", "Đảng bộ thành phố Cần Thơ", "--number", "Số 12-BC/TU", "--signer", "(họ và tên)",
           "--recipient", "Ban Chấp hành Trung ương,", "--recipient", "Lưu Văn phòng Thành ủy.", "--secret")
    text = docx_text(out)
    for line in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ THÀNH PHỐ CẦN THƠ", "THÀNH ỦY CẦN THƠ", "Số 12-BC/TU", "MẬT",
                 "Cần Thơ, ngày 17 tháng 01 năm 2022", "BÁO CÁO", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(họ và tên)", "Nơi nhận:",
                 "- Lưu Văn phòng Thành ủy."):
        assert line in text.splitlines(), line
    assert "đạt và vượt 11/19 chỉ tiêu" in text and "1.635" in text and "102%" in text
    assert "{{" not in text and "{%" not in text  # every tag filled
    import docx

    document = docx.Document(str(out))
    figures = document.tables[1]
    assert len(figures.rows) == 20 and figures.rows[19].cells[1].text == "Kết nạp đảng viên mới"
    section = document.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.top_margin.mm)) == (30, 15, 20)
    # the dashboard's charts as pictures, each captioned under it
    assert len(document.inline_shapes) == 3
    assert round(document.inline_shapes[0].width.mm) == 160
    assert "Biểu đồ 1. Kết quả thực hiện 19 chỉ tiêu" in text.splitlines()
    assert "Biểu đồ 2. Tỷ lệ thực hiện so với kế hoạch (%)" in text.splitlines()
    assert "Biểu đồ 3. Kết quả thực hiện chỉ tiêu của các đơn vị trực thuộc" in text.splitlines()  # the units below


def test_a_template_is_rendered_in_the_sandbox(demo, tmp_path):
    """An office's template that tries to reach Python's internals is refused, with a message, not run."""
    import docx

    from nghiquyet.figures.scorecard import build_scorecard
    from nghiquyet.lib.errors import Invalid
    from nghiquyet.reports.content import report_content
    from nghiquyet.reports.docx import render_docx

    crafted = tmp_path / "mau.docx"
    document = docx.Document()
    document.add_paragraph("{{ h.__class__.__init__.__globals__['os'].system('touch /tmp/pwned') }}")
    document.save(crafted)
    from datetime import date

    content = report_content(build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), day=date(2022, 1, 17))
    with pytest.raises(Invalid, match="Mẫu báo cáo có lỗi"):
        render_docx(content, template=crafted)


def test_the_scorecard_page_offers_the_report_as_a_word_document(client, people):
    client.force_login(people.alice)
    page = client.get("/nghi-quyet/ct-2021/danh-gia/", {"org": "CT", "period": "2021"}).content.decode()
    assert 'id="download-report"' in page
    response = client.get("/nghi-quyet/ct-2021/bao-cao.docx", {"org": "CT", "period": "2021"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('bao-cao-ct-2021-CT-2021.docx"')
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
        handle.write(response.content)
        handle.flush()
        assert "đạt và vượt 11/19 chỉ tiêu" in docx_text(handle.name)


# --- PDF --------------------------------------------------------------------------------------------------

import shutil  # noqa: E402
import subprocess  # noqa: E402

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (scripts/system-packages) not installed")


@needs_poppler
def test_one_font_carries_every_vietnamese_letter(tmp_path):
    """The line of the issue, rendered: one font family embedded for all of it, no fallback for the accents."""
    from nghiquyet.reports.pdf import html_to_pdf

    line = "Đảng bộ thành phố Cần Thơ, ngày 17 tháng 01 năm 2022"
    pdf = tmp_path / "line.pdf"
    pdf.write_bytes(html_to_pdf(f'<p style="font: 14pt Tinos, \'Liberation Serif\', serif">{line}</p>'))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(fonts) == 1, fonts
    assert "Tinos" in fonts[0] or "LiberationSerif" in fonts[0]
    assert line in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_the_pdf_report_reads_back_in_vietnamese(demo, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    report("--format", "pdf", "-o", str(out), "--date", "2022-01-17", "--issuer", "Thành ủy Cần Thơ")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "THÀNH ỦY CẦN THƠ", "Cần Thơ, ngày 17 tháng 01 năm 2022", "BÁO CÁO",
                  "đạt và vượt 11/19 chỉ tiêu", "1.635", "102%", "T/M BAN THƯỜNG VỤ", "Nơi nhận:", "Biểu đồ 1. Kết quả thực hiện 19 chỉ tiêu"):
        assert words in text, words
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len([line for line in images if line.split()[2] == "image"]) == 3  # the three charts (not counting their alpha masks)


def bare_content(**fields):
    """A report with nothing but its header and what a test gives it, no database needed."""
    from nghiquyet.reports.content import Header, ReportContent

    header = Header(superior="", issuer="THÀNH ỦY CẦN THƠ", number="Số    -BC/TU", place_date="Cần Thơ, ngày 17 tháng 01 năm 2022",
                    kind="BÁO CÁO", subject="kết quả thực hiện nghị quyết")
    return ReportContent(**{"header": header, "notice": "", "paragraph": "", "table": [], "not_met": [], **fields})


@needs_poppler
def test_the_signature_block_is_never_split_over_two_pages(tmp_path):
    """However far down the page the report ends, "Nơi nhận" and the signer's title stay on the page of the
    signer (the demo's disbursement report once printed the title at the foot of page 1 and "BÍ THƯ" on page 2)."""
    from django.template.loader import render_to_string

    from nghiquyet.reports.pdf import html_to_pdf

    html = render_to_string("reports/bao-cao.html", {"c": bare_content(not_met=["Chỉ tiêu (minh họa)."]), "charts": []})
    block = ("Nơi nhận:", "- Lưu Văn phòng.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    where = []
    for height in range(560, 800, 10):  # the report grows 10 pt at a time: the page break walks through the block
        pdf = tmp_path / f"{height}.pdf"
        pdf.write_bytes(html_to_pdf(html.replace('<table class="sign">', f'<div style="height: {height}pt"></div><table class="sign">')))
        pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        found = {words: [n for n, page in enumerate(pages) if words in page] for words in block}
        assert all(len(on) == 1 for on in found.values()) and len({on[0] for on in found.values()}) == 1, (height, found)
        where.append(found["BÍ THƯ"][0])
    assert len(set(where)) > 1, where  # the range did reach a break: the block is seen on two different pages


def test_the_docx_signature_blocks_are_kept_on_one_page():
    """Word and LibreOffice move the signature block's row whole to the next page (w:cantSplit), in the report's
    template and in the review's and follow-up's documents alike."""
    import docx
    from docx.oxml.ns import qn

    from nghiquyet.reports.docx import render_docx
    from nghiquyet.review.documents import _signature

    report = docx.Document(io.BytesIO(render_docx(bare_content())))
    other = docx.Document()
    _signature(other, ["Lưu Văn phòng."], ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"])
    for document in (report, other):
        row = next(row for table in document.tables for row in table.rows if "Nơi nhận:" in row.cells[0].text)
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None


# --- XLSX -------------------------------------------------------------------------------------------------


def test_the_xlsx_report_holds_the_scorecard_the_units_below_and_a_chart(demo, tmp_path):
    import openpyxl

    out = tmp_path / "bao-cao.xlsx"
    report("--format", "xlsx", "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Đánh giá", "Đơn vị trực thuộc"]
    summary = book["Đánh giá"]
    assert "đạt và vượt 11/19 chỉ tiêu" in summary["A3"].value
    members = next(row for row in summary.iter_rows(values_only=True) if row[1] == "Kết nạp đảng viên mới")
    assert members[5] == 1635 and isinstance(members[5], int)  # a number cell, not text
    below = book["Đơn vị trực thuộc"]
    names = [below.cell(row, 1).value for row in range(2, 20) if below.cell(row, 2).value]
    assert "Quận Ninh Kiều" in names
    assert len(below._charts) == 1
    assert all(cell.data_type != "f" for row in below.iter_rows() for cell in row)  # no formula anywhere


# --- the register ------------------------------------------------------------------------------------------


def test_issued_reports_are_numbered_per_series_and_kept_as_issued(demo, tmp_path):
    from nghiquyet.reports.models import IssuedDocument

    first, second = tmp_path / "1.docx", tmp_path / "2.docx"
    said = report("--format", "docx", "-o", str(first), "--issue", "--body", "TU", "--date", "2022-01-17")
    assert "Số 01-BC/TU" in said
    report("--format", "docx", "-o", str(second), "--issue", "--body", "TU")
    other = report("--format", "docx", "-o", str(tmp_path / "3.docx"), "--issue", "--body", "HU")
    assert "Số 01-BC/HU" in other  # another body: its own series
    assert "Số 02-BC/TU" in docx_text(second).splitlines()
    kept = IssuedDocument.objects.get(symbol="Số 01-BC/TU")
    assert bytes(kept.content) == first.read_bytes() and kept.period == "2021" and kept.series.term == "2020-2025"

    from nghiquyet.targets.models import Result

    Result.objects.filter(target__code="19", org_unit__code="CT", period="2021").update(value=1700)  # a later correction
    kept.refresh_from_db()
    assert "1.635" in docx_text(_saved(tmp_path, kept))  # the issued file does not change


def _saved(tmp_path, document):
    path = tmp_path / f"kept.{document.file_format}"
    path.write_bytes(bytes(document.content))
    return path


def test_issuing_needs_a_body_and_a_document_format(demo, tmp_path):
    from nghiquyet.reports.models import IssuedDocument

    for args in (("--format", "md", "-o", str(tmp_path / "x.md"), "--issue", "--body", "TU"),
                 ("--format", "docx", "-o", str(tmp_path / "x.docx"), "--issue", "--body", "tu ủy")):
        with pytest.raises(SystemExit):
            call_command("report", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", *args,
                         stdout=io.StringIO(), stderr=io.StringIO())
    assert not IssuedDocument.objects.exists()


def test_the_reports_draw_a_year_to_date_targets_running_total_month_by_month(demo, people, client, tmp_path):
    """The dashboard's running-total chart (this year beside the year before) is drawn in the documents too,
    from the CLI (every figure) and from the web (the reader's)."""
    from decimal import Decimal

    import docx

    from nghiquyet.figures.dashboard import running_totals_of
    from nghiquyet.figures.reads import EVERYONE
    from nghiquyet.figures.scorecard import build_scorecard

    caption = "Biểu đồ 3. Giải ngân vốn đầu tư công (lũy kế từ đầu năm) theo tháng, so với cùng kỳ năm\u00a02021"
    out = tmp_path / "dtc.docx"
    call_command("report", "--resolution", "ct-dtc", "--org", "CT", "--period", "2022", "--format", "docx", "-o", str(out), stdout=io.StringIO())
    assert caption in docx_text(out).splitlines() and len(docx.Document(str(out)).inline_shapes) == 3
    (totals,) = running_totals_of(scorecard=build_scorecard(resolution_key="ct-dtc", org_code="CT", period="2022"), seen_by=EVERYONE)
    assert totals.year == 2022 and totals.totals[-1] == Decimal(4640) and None not in totals.before  # the dashboard's "4.640 tỷ đồng"
    client.force_login(people.alice)
    response = client.get("/nghi-quyet/ct-dtc/bao-cao.docx?org=CT&period=2022")
    (tmp_path / "web.docx").write_bytes(response.content)
    assert caption in docx_text(tmp_path / "web.docx").splitlines()
    assert not running_totals_of(scorecard=build_scorecard(resolution_key="ct-2021", org_code="CT", period="2021"), seen_by=EVERYONE)  # yearly figures only


def test_a_document_draws_at_most_four_running_totals_and_says_when_the_table_counts_drafts(demo):
    from dataclasses import replace

    from nghiquyet.figures.dashboard import running_totals_of
    from nghiquyet.figures.reads import EVERYONE
    from nghiquyet.figures.scorecard import build_scorecard
    from nghiquyet.reports.content import RUNNING_TOTALS_CHARTED, report_charts

    card = build_scorecard(resolution_key="ct-dtc", org_code="CT", period="2022")
    (totals,) = running_totals_of(scorecard=card, seen_by=EVERYONE)
    charts = report_charts(card, (), [totals] * 6)
    assert len([c for c in charts if "theo tháng" in c.caption]) == RUNNING_TOTALS_CHARTED == 4
    assert not any("đã duyệt" in c.caption for c in charts)
    with_drafts = replace(card, rows=[replace(row, state="draft") for row in card.rows])
    assert report_charts(with_drafts, (), [totals])[-1].caption.endswith(" (số liệu đã duyệt)")


def test_the_xlsx_report_has_the_running_totals_month_by_month_with_a_chart(demo, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "dtc.xlsx"
    call_command("report", "--resolution", "ct-dtc", "--org", "CT", "--period", "2022", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    sheet = load_workbook(out)["Lũy kế theo tháng"]
    assert sheet.cell(2, 2).value == "Năm 2021" and sheet.cell(2, 3).value == "Năm 2022"
    assert [sheet.cell(row, 1).value for row in range(3, 15)] == list(range(1, 13))
    assert sheet.cell(14, 3).value == 4640 and round(sheet.cell(14, 5).value, 4) == 0.9098  # December: 90,98% of the year's plan
    assert sheet.cell(14, 5).number_format == "0.00%" and len(sheet._charts) == 1
    assert not any(isinstance(cell.value, str) and cell.value.startswith("=") for row in sheet.iter_rows() for cell in row)
    call_command("report", "--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    assert "Lũy kế theo tháng" not in load_workbook(out).sheetnames  # yearly figures only
