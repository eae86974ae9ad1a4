"""How cells are read: Vietnamese numbers by default, English on request, numeric cells as numbers, percents,
milestones, dates, and text in NFC; org unit codes are resolved at the period's dates."""

import unicodedata
from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv, write_xlsx
from nghiquyet.lib.errors import Invalid
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Result, Target

pytestmark = pytest.mark.django_db

ORG_UNITS = [
    ["code", "name", "parent", "level", "valid_from", "valid_to"],
    ["C", "Thành phố", "", "thành phố", "", ""],
    ["W", "Phường Một", "C", "phường", "", "2025-06-30"],
]
RESOLUTIONS = [["key", "number", "title", "term", "org_unit"], ["r", "01-NQ/TU", "Nhiệm vụ năm", "2020-2025", "C"]]
TARGETS = [
    ["resolution", "code", "name", "unit", "direction", "value_kind"],
    ["r", "1", "Thu ngân sách", "tỷ đồng", "increase", "money"],
    ["r", "2", "Đạt chuẩn nông thôn mới", "", "milestone", "boolean"],
    ["r", "3", "Tốc độ tăng trưởng", "%", "range", "percent"],
    ["r", "4", "Tỷ lệ hộ nghèo", "%", "decrease", "percent"],
]
RESULT_HEADER = ["resolution", "target", "org_unit", "period", "value"]
PLAN_HEADER = ["resolution", "target", "org_unit", "period", "value", "value_max"]


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def base(tmp_path):
    report = import_file(
        write_xlsx(tmp_path / "base.xlsx", {"org_units": ORG_UNITS, "resolutions": RESOLUTIONS, "targets": TARGETS})
    )
    assert report.ok, [p.text() for p in report.problems]


def result_of(tmp_path, target, value, *, locale="vi", workbook=False):
    """Import one result of `target` for C in 2021 and return the stored value (or the report on a problem)."""
    rows = [RESULT_HEADER, ["r", target, "C", "2021", value]]
    path = write_xlsx(tmp_path / "one.xlsx", {"results": rows}) if workbook else write_csv(tmp_path / "results.csv", rows)
    report = import_file(path, locale=locale)
    if not report.ok:
        return report
    return Result.objects.get(target__code=target, org_unit__code="C", period="2021").value


# Numbers written as text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.635", D("1635")),
        ("0,21", D("0.21")),
        ("1.500.050,30", D("1500050.3")),
        ("12.064", D("12064")),
        ("-2,5", D("-2.5")),
        ("1 635", D("1635")),
        ("1\u00a0635,5", D("1635.5")),
        ("7", D("7")),
        (",5", D("0.5")),
    ],
)
def test_it_reads_numbers_the_vietnamese_way_by_default(base, tmp_path, text, expected):
    assert result_of(tmp_path, "1", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("1,635", D("1635")), ("0.21", D("0.21")), ("1,500,050.30", D("1500050.3")), ("1.5", D("1.5"))],
)
def test_the_english_locale_flips_the_separators(base, tmp_path, text, expected):
    assert result_of(tmp_path, "1", text, locale="en") == expected


@pytest.mark.parametrize("text, locale", [("1.5", "vi"), ("1.63", "vi"), ("1,5", "en"), ("12.34.567", "vi")])
def test_it_refuses_a_grouping_separator_that_does_not_group_three_digits(base, tmp_path, text, locale):
    report = result_of(tmp_path, "1", text, locale=locale)
    assert not report.ok and Result.objects.count() == 0
    problem = report.problems[0]
    assert (problem.row, problem.column) == (2, "value")
    assert "không rõ nghĩa" in problem.message and "ambiguous" in problem.english


def test_an_unknown_locale_is_refused(base, tmp_path):
    with pytest.raises(Invalid, match="vi hoặc en"):
        import_file(write_csv(tmp_path / "results.csv", [RESULT_HEADER]), locale="fr")


# Numeric workbook cells --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [(1635, D("1635")), (1.5, D("1.5")), (0.21, D("0.21")), (0.1 + 0.2, D("0.3")), (1500050.3, D("1500050.3")), (-2, D("-2"))],
)
def test_numeric_workbook_cells_are_numbers_whatever_the_locale(base, tmp_path, cell, expected):
    assert result_of(tmp_path, "1", cell, workbook=True) == expected
    Result.objects.all().delete()
    assert result_of(tmp_path, "1", cell, workbook=True, locale="en") == expected


def test_text_cells_in_a_workbook_are_read_the_vietnamese_way(base, tmp_path):
    assert result_of(tmp_path, "1", "1.635", workbook=True) == D("1635")


def test_the_stored_figures_keep_every_written_decimal(base, tmp_path):
    rows = [RESULT_HEADER, ["r", "1", "C", "2021", "12.345.678.901,2345"], ["r", "1", "C", "2022", "0,0001"]]
    assert import_file(write_csv(tmp_path / "results.csv", rows)).ok
    values = dict(Result.objects.values_list("period", "value"))
    assert values == {"2021": D("12345678901.2345"), "2022": D("0.0001")}


@pytest.mark.parametrize("text", ["0,00001", "1.234.567.890.123,456", "1.000.000.000.000.000"])
def test_it_refuses_more_decimals_or_digits_than_it_can_store_exactly(base, tmp_path, text):
    report = result_of(tmp_path, "1", text)
    assert not report.ok and report.problems[0].column == "value"


# Percents ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [("12,5%", D("12.5")), ("12,5 %", D("12.5")), ("0,21%", D("0.21")), ("-1%", D("-1"))])
def test_a_percent_sign_is_read_for_percent_targets(base, tmp_path, text, expected):
    assert result_of(tmp_path, "4", text) == expected


def test_a_percent_sign_is_read_in_a_range_plan_and_its_upper_bound(base, tmp_path):
    rows = [PLAN_HEADER, ["r", "3", "C", "2021", "6,5%", "7%"]]
    assert import_file(write_csv(tmp_path / "plans.csv", rows)).ok
    assert Plan.objects.values_list("value", "value_max").get() == (D("6.5"), D("7"))


def test_a_percent_sign_is_refused_for_a_target_that_is_not_a_percentage(base, tmp_path):
    report = result_of(tmp_path, "1", "12,5%")
    assert not report.ok and Result.objects.count() == 0
    problem = report.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("results", 2, "value")
    assert "tỷ đồng" in problem.message and "percent" in problem.english


# Milestones --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes", 1), ("no", 0), ("Yes", 1), ("NO", 0),
        ("có", 1), ("không", 0), ("Có", 1), ("KHÔNG", 0),
        ("đạt", 1), ("không đạt", 0), ("Đạt", 1), ("Không đạt", 0),
        ("x", 1), ("X", 1),
        ("1", 1), ("0", 0),
        (nfd("không đạt"), 0), (nfd("Có"), 1),
    ],
)  # fmt: skip
def test_it_reads_milestone_values(base, tmp_path, text, expected):
    assert result_of(tmp_path, "2", text) == expected


@pytest.mark.parametrize("cell, expected", [(True, 1), (False, 0), (1, 1), (0, 0), ("x", 1), ("không", 0)])
def test_it_reads_milestone_values_from_workbook_cells(base, tmp_path, cell, expected):
    assert result_of(tmp_path, "2", cell, workbook=True) == expected


def test_a_milestone_plan_reads_the_same_words(base, tmp_path):
    rows = [PLAN_HEADER, ["r", "2", "C", "2021", "có", ""], ["r", "2", "C", "2022", "không", ""]]
    assert import_file(write_csv(tmp_path / "plans.csv", rows)).ok
    assert dict(Plan.objects.values_list("period", "value")) == {"2021": 1, "2022": 0}


# Result kinds and notes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, expected",
    [("", "official"), ("official", "official"), ("Chính thức", "official"), ("estimate", "estimate"), ("ước", "estimate"), ("Ước", "estimate")],
)
def test_it_reads_the_result_kind_in_either_language(base, tmp_path, kind, expected):
    rows = [[*RESULT_HEADER, "kind", "note"], ["r", "1", "C", "2021", "5", kind, " Ước tính "]]
    assert import_file(write_csv(tmp_path / "results.csv", rows)).ok
    assert Result.objects.values_list("kind", "note").get() == (expected, "Ước tính")


# Org units over time -----------------------------------------------------------------------------------


def test_a_reused_code_names_the_unit_valid_in_the_period(demo, tmp_path):
    rows = [RESULT_HEADER, ["ct-2021", "19", "CT", "2021", "1.635"], ["ct-2021", "19", "CT", "2025-H2", "900"]]
    report = import_file(write_csv(tmp_path / "results.csv", rows))
    assert report.ok, [p.text() for p in report.problems]
    units = dict(
        Result.objects.filter(target__code="19", org_unit__code="CT", period__in=["2021", "2025-H2"]).values_list(
            "period", "org_unit__valid_from"
        )
    )
    assert units == {"2021": date(2004, 1, 1), "2025-H2": date(2025, 7, 1)}


def test_a_district_is_accepted_in_a_period_it_overlaps(demo, tmp_path):
    rows = [RESULT_HEADER, ["ct-2021", "19", "CT-NK", "2025", "250"]]
    assert import_file(write_csv(tmp_path / "results.csv", rows)).ok
    assert Result.objects.get(period="2025", org_unit__code="CT-NK").org_unit.valid_to == date(2025, 6, 30)


# Dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["2025-07-01", "01/07/2025", "1/7/2025", "01-07-2025", "01.07.2025", date(2025, 7, 1)])
def test_it_reads_dates_as_iso_text_vietnamese_text_or_date_cells(db, tmp_path, cell):
    path = write_xlsx(tmp_path / "units.xlsx", {"org_units": [["code", "name", "valid_from"], ["A", "An", cell]]})
    assert import_file(path).ok
    assert OrgUnit.objects.get(code="A").valid_from == date(2025, 7, 1)


# Unicode normalisation ---------------------------------------------------------------------------------


def test_text_typed_in_nfd_is_stored_in_nfc(base, tmp_path):
    rows = [["resolution", "code", "name", "unit", "direction"], ["r", nfd("CNH-hoá"), nfd("Công nghiệp hoá"), nfd("điểm"), "increase"]]
    assert import_file(write_csv(tmp_path / "targets.csv", rows)).ok
    target = Target.objects.get(code="CNH-hoá")
    assert (target.name, target.unit) == ("Công nghiệp hoá", "điểm")


def test_a_code_typed_in_nfd_finds_the_code_stored_in_nfc(base, tmp_path):
    targets = [["resolution", "code", "name", "direction"], ["r", "CNH-hoá", "Công nghiệp hoá", "increase"]]
    assert import_file(write_csv(tmp_path / "targets.csv", targets)).ok
    results = [RESULT_HEADER, ["r", nfd("CNH-hoá"), "C", "2021", "3"]]
    report = import_file(write_csv(tmp_path / "results.csv", results))
    assert report.ok, [p.text() for p in report.problems]
    assert Result.objects.get().target.code == "CNH-hoá"


def test_the_same_text_in_nfd_is_no_change(base, tmp_path):
    rows = [["code", "name", "parent", "level"], ["P", "Phường Hưng Phú", "C", "phường"]]
    assert import_file(write_csv(tmp_path / "org_units.csv", rows)).ok
    again = [["code", "name", "parent", "level"], ["P", nfd("Phường Hưng Phú"), "C", nfd("phường")]]
    report = import_file(write_csv(tmp_path / "org_units.csv", again))
    assert report.ok and report.changes == 0
    assert OrgUnit.objects.get(code="P").name == "Phường Hưng Phú"


def test_org_unit_codes_typed_in_nfd_are_the_same_code(db, tmp_path):
    rows = [["code", "name"], ["Đ", "Đông"]]
    assert import_file(write_csv(tmp_path / "org_units.csv", rows)).ok
    child = [["code", "name", "parent"], ["Đ-1", "Một", nfd("Đ")]]
    assert import_file(write_csv(tmp_path / "org_units.csv", child)).ok
    assert OrgUnit.objects.get(code="Đ-1").parent.code == "Đ"


def test_surrounding_blanks_are_ignored(base, tmp_path):
    rows = [RESULT_HEADER, [" r ", " 1 ", " C ", " 2021 ", " 1.635 "]]
    assert import_file(write_csv(tmp_path / "results.csv", rows)).ok
    assert Result.objects.get().value == 1635


def test_period_codes_are_stored_in_their_canonical_form(base, tmp_path):
    rows = [RESULT_HEADER, ["r", "1", "C", "2021-h1", "1"], ["r", "1", "C", "2020 - 2025", "2"], ["r", "1", "C", 2022, "3"]]
    assert import_file(write_xlsx(tmp_path / "p.xlsx", {"results": rows})).ok
    assert set(Result.objects.values_list("period", flat=True)) == {"2021-H1", "2020-2025", "2022"}
