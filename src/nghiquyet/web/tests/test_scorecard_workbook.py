"""The scorecard's "Tải bảng (Excel)": a workbook for people — Vietnamese headers, figures as number cells
formatted as on screen, statuses in words, never a formula — while the CSV stays the machine format."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from nghiquyet.audit.models import AuditEvent
from nghiquyet.figures.scorecard import scorecard_for
from nghiquyet.figures.workbook import HEADERS, TITLE_ROWS, number_format
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Resolution

pytestmark = pytest.mark.django_db


def download(client, query="org=CT&period=2021"):
    response = client.get(f"/nghi-quyet/ct-2021/danh-gia.xlsx?{query}")
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "danh-gia-ct-2021-CT-2021.xlsx" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def expected(people):
    city = OrgUnit.objects.get(code="CT", valid_to__isnull=False)
    return scorecard_for(resolution=Resolution.objects.get(key="ct-2021"), org_unit=city, period=parse_period("2021"))


def test_the_workbook_has_vietnamese_headers_and_the_summary(client, people, expected):
    client.force_login(people.alice)
    sheet = download(client)
    assert [cell.value for cell in sheet[TITLE_ROWS + 1]] == HEADERS["vi"]
    assert sheet.cell(3, 1).value == expected.sentence and "11/19" in expected.sentence
    assert "minh họa" in (sheet.cell(4, 1).value or "")  # the demo's notice travels with the figures
    assert sheet.freeze_panes == f"C{TITLE_ROWS + 2}"


def test_figures_are_number_cells_formatted_as_on_screen_and_statuses_are_words(client, people, expected):
    client.force_login(people.alice)
    sheet = download(client)
    rows = list(sheet.iter_rows(min_row=TITLE_ROWS + 2, values_only=False))
    assert len(rows) == len(expected.rows) == 19
    numbers = 0
    for cells, row in zip(rows, expected.rows, strict=True):
        assert cells[0].value == row.target.code and cells[1].value == row.target.name
        assert cells[8].value == row.status_label  # "Vượt", "Đạt", "Không đạt"… not a code
        actual = cells[5]
        if row.actual is not None and row.target.direction != "milestone":
            assert isinstance(actual.value, (int, float)) and Decimal(str(actual.value)) == row.actual
            assert actual.number_format == number_format(row.target.decimals)
            numbers += 1
        if row.percent_of_plan is not None:
            assert cells[7].number_format == "0.00%"
            assert Decimal(str(cells[7].value)) * 100 == pytest.approx(row.percent_of_plan)
    assert numbers >= 15
    members = next(r for r in rows if "đảng viên" in r[1].value.lower() and r[5].value == 1635)  # 1.635 new party members
    assert members[5].number_format == "#,##0"


def test_number_formats_follow_the_targets_decimals():
    assert number_format(0) == "#,##0"
    assert number_format(2) == "#,##0.00"


def test_a_name_that_looks_like_a_formula_stays_text(client, people):
    from nghiquyet.targets.models import Target

    Target.objects.filter(resolution__key="ct-2021", code="01").update(name="=HYPERLINK(\"http://x\",\"bấm\")")
    client.force_login(people.alice)
    sheet = download(client)
    cell = next(r for r in sheet.iter_rows(min_row=TITLE_ROWS + 2) if r[0].value == "01")[1]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_download_is_audited_and_english_on_request(client, people, settings):
    client.force_login(people.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    sheet = download(client)
    assert [cell.value for cell in sheet[TITLE_ROWS + 1]] == HEADERS["en"]
    assert AuditEvent.objects.filter(action="export", summary__contains="(Excel) ct-2021 CT 2021").exists()


def test_a_viewer_elsewhere_gets_the_same_404_as_for_a_missing_unit(client, people):
    client.force_login(people.dana)
    hidden = client.get("/nghi-quyet/ct-2021/danh-gia.xlsx?org=CT-NK-TA&period=2021")
    missing = client.get("/nghi-quyet/ct-2021/danh-gia.xlsx?org=KHONGCO&period=2021")
    assert hidden.status_code == missing.status_code == 404


def test_the_scorecard_shows_approved_figures_unless_drafts_are_asked_for(client, people):
    """Bob's draft for ward A in 2022 (95) counts only with the switch, and is then marked "chưa duyệt"."""
    client.force_login(people.bob)
    url = "/nghi-quyet/ct-2021/danh-gia/"
    approved_only = client.get(url, {"org": "CT-NK-TA", "period": "2022"}).content.decode()
    with_drafts = client.get(url, {"org": "CT-NK-TA", "period": "2022", "drafts": "1"}).content.decode()
    assert "chưa duyệt</span>" not in approved_only
    assert "chưa duyệt</span>" in with_drafts and 'name="drafts" value="1" checked' in with_drafts
