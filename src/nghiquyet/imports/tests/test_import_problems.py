"""A bad row writes nothing at all: every problem is named by sheet, row and column, in Vietnamese or English."""

import io
import zipfile

import pytest

from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import counts, write_csv, write_xlsx
from nghiquyet.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

ORG_UNITS = [
    ["code", "name", "parent", "level", "valid_from", "valid_to"],
    ["C", "Thành phố", "", "thành phố", "", ""],
    ["W", "Phường Một", "C", "phường", "", "2025-06-30"],
    ["W2", "Phường Hai", "C", "phường", "2025-07-01", ""],
]
RESOLUTIONS = [["key", "number", "title", "term", "org_unit"], ["r", "01-NQ/TU", "Nhiệm vụ năm", "2020-2025", "C"]]
TARGETS = [
    ["resolution", "code", "name", "unit", "direction", "value_kind"],
    ["r", "1", "Kết nạp đảng viên mới", "đảng viên", "increase", "count"],
    ["r", "2", "Đạt chuẩn nông thôn mới", "", "milestone", "boolean"],
    ["r", "3", "Tốc độ tăng trưởng", "%", "range", "percent"],
    ["r", "4", "Tỷ lệ hộ nghèo", "%", "decrease", "percent"],
]
PLAN_HEADER = ["resolution", "target", "org_unit", "period", "value", "value_max"]
RESULT_HEADER = ["resolution", "target", "org_unit", "period", "value", "kind", "note"]
GOOD_PLAN = ["r", "1", "C", "2021", "1.600", ""]
GOOD_RESULT = ["r", "1", "C", "2021", "1.635", "official", ""]


def only_problem(report):
    assert not report.ok, report.summary()
    assert len(report.problems) == 1, [p.text() for p in report.problems]
    return report.problems[0]


def place(problem):
    return problem.sheet, problem.row, problem.column


@pytest.fixture
def base(tmp_path):
    path = write_xlsx(tmp_path / "base.xlsx", {"org_units": ORG_UNITS, "resolutions": RESOLUTIONS, "targets": TARGETS})
    report = import_file(path)
    assert report.ok, [p.text() for p in report.problems]
    return path


def import_sheet(tmp_path, kind, rows, **options):
    """Import one CSV of `kind`; check that nothing at all was written and return the report."""
    before = counts()
    report = import_file(write_csv(tmp_path / f"{kind}.csv", rows), **options)
    assert counts() == before
    return report


def import_results(tmp_path, *rows, **options):
    return import_sheet(tmp_path, "results", [RESULT_HEADER, GOOD_RESULT, *rows], **options)


def import_plans(tmp_path, *rows, **options):
    return import_sheet(tmp_path, "plans", [PLAN_HEADER, GOOD_PLAN, *rows], **options)


# Plans and results that point at nothing ---------------------------------------------------------------


def test_it_names_an_unknown_resolution(base, tmp_path):
    problem = only_problem(import_results(tmp_path, ["nope", "1", "C", "2021", "5", "", ""]))
    assert place(problem) == ("results", 3, "resolution")
    assert '"nope"' in problem.message and "nghị quyết" in problem.message


def test_it_names_an_unknown_target(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "99", "C", "2021", "5", ""]))
    assert place(problem) == ("plans", 3, "target")
    assert '"99"' in problem.message and "chỉ tiêu" in problem.message


def test_it_names_an_unknown_org_unit(base, tmp_path):
    problem = only_problem(import_results(tmp_path, ["r", "1", "ZZ", "2021", "5", "", ""]))
    assert place(problem) == ("results", 3, "org_unit")
    assert problem.message == 'Không tìm thấy đơn vị có mã "ZZ".'


def test_it_refuses_a_district_in_a_period_after_it_was_abolished(demo, tmp_path):
    report = import_sheet(
        tmp_path,
        "results",
        [RESULT_HEADER, ["ct-2021", "19", "CT-NK", "2025-H1", "120", "", ""], ["ct-2021", "19", "CT-NK", "2025-H2", "5", "", ""]],
    )
    problem = only_problem(report)
    assert place(problem) == ("results", 3, "org_unit")
    assert '"CT-NK"' in problem.message and "2025-H2" in problem.message and "hiệu lực" in problem.message


def test_it_refuses_a_ward_of_its_own_fixture_after_its_end_date(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "1", "W", "2025-Q3", "5", ""]))
    assert place(problem) == ("plans", 3, "org_unit")
    assert '"W"' in problem.message and "2025-Q3" in problem.message


def test_it_refuses_a_period_outside_the_resolutions_term(demo, tmp_path):
    report = import_sheet(
        tmp_path, "plans", [PLAN_HEADER, ["ct-2021", "19", "CT", "2025", "1.700", ""], ["ct-2021", "19", "CT", "2026", "1.700", ""]]
    )
    problem = only_problem(report)
    assert place(problem) == ("plans", 3, "period")
    assert "2026" in problem.message and "2020-2025" in problem.message and "ct-2021" in problem.message


@pytest.mark.parametrize("period", ["2021-13", "2021-H3", "2021-Q5", "năm 2021", "21", "2025-2020", ""])
def test_it_refuses_a_malformed_period(base, tmp_path, period):
    problem = only_problem(import_results(tmp_path, ["r", "1", "C", period, "5", "", ""]))
    assert place(problem) == ("results", 3, "period")
    assert "Kỳ báo cáo" in problem.message and "không hợp lệ" in problem.message
    assert "period" in problem.english.lower()


# Duplicates within the file ----------------------------------------------------------------------------


def test_it_refuses_the_same_plan_twice_in_a_file(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "3", "C", "2021", "6,5", "7"], ["r", "1", "C", "2021", "1.700", ""]))
    assert place(problem) == ("plans", 4, "target")
    assert "dòng 2" in problem.message


def test_it_refuses_the_same_result_twice_even_written_differently(base, tmp_path):
    problem = only_problem(import_results(tmp_path, [" r ", "1", "C", "2021", "1635", "Chính thức", "lại"]))
    assert place(problem) == ("results", 3, "target")
    assert "dòng 2" in problem.message


def test_an_estimate_and_an_official_result_of_the_same_cell_are_not_duplicates(base, tmp_path):
    report = import_file(write_csv(tmp_path / "results.csv", [RESULT_HEADER, GOOD_RESULT, ["r", "1", "C", "2021", "1.600", "ước", ""]]))
    assert report.ok and report.created["results"] == 2


def test_it_refuses_the_same_org_unit_twice_in_a_file(db, tmp_path):
    rows = [["code", "name"], ["A", "Một"], ["B", "Hai"], ["A", "Ba"]]
    problem = only_problem(import_sheet(tmp_path, "org_units", rows))
    assert place(problem) == ("org_units", 4, "code")
    assert "dòng 2" in problem.message


def test_it_refuses_the_same_resolution_twice_in_a_file(base, tmp_path):
    rows = [["key", "number", "title", "org_unit"], ["s", "1", "Một", "C"], ["s", "2", "Hai", "C"]]
    problem = only_problem(import_sheet(tmp_path, "resolutions", rows))
    assert place(problem) == ("resolutions", 3, "key")
    assert "dòng 2" in problem.message


def test_it_names_the_code_column_for_the_same_target_twice_in_a_file(base, tmp_path):
    rows = [["resolution", "code", "name", "direction"], ["r", "5", "Năm", "increase"], ["r", "5", "Lại năm", "increase"]]
    problem = only_problem(import_sheet(tmp_path, "targets", rows))
    assert place(problem) == ("targets", 3, "code")
    assert "dòng 2" in problem.message


def test_it_refuses_the_same_plan_on_two_sheets_of_one_workbook(base, tmp_path):
    path = write_xlsx(
        tmp_path / "two.xlsx",
        {"plans": [PLAN_HEADER, GOOD_PLAN], "Kế hoạch": [PLAN_HEADER, ["r", "1", "C", "2021", "1.700", ""]]},
    )
    before = counts()
    report = import_file(path)
    assert counts() == before
    problem = only_problem(report)
    assert place(problem) == ("Kế hoạch", 2, "target")


# Values ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "1.5", "1,2,3", "--3", "1e3", "12,5 tỷ"])
def test_it_refuses_a_value_that_is_not_a_number(base, tmp_path, value):
    problem = only_problem(import_results(tmp_path, ["r", "1", "W", "2021", value, "", ""]))
    assert place(problem) == ("results", 3, "value")
    assert value in problem.message


def test_it_refuses_a_percent_sign_for_a_target_that_is_not_a_percentage(base, tmp_path):
    problem = only_problem(import_results(tmp_path, ["r", "1", "W", "2021", "12,5%", "", ""]))
    assert place(problem) == ("results", 3, "value")
    assert "%" in problem.message and "đảng viên" in problem.message


def test_it_refuses_a_missing_value(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "4", "C", "2021", "", ""]))
    assert place(problem) == ("plans", 3, "value")
    assert problem.message == "Thiếu giá trị."


@pytest.mark.parametrize("value", ["có lẽ", "maybe", "2", "50%", "chưa"])
def test_it_refuses_a_milestone_value_it_does_not_recognise(base, tmp_path, value):
    problem = only_problem(import_results(tmp_path, ["r", "2", "C", "2021", value, "", ""]))
    assert place(problem) == ("results", 3, "value")
    assert "có/không" in problem.message and "yes/no" in problem.english


def test_it_refuses_a_plan_whose_upper_bound_is_below_its_value(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "3", "C", "2021", "7,5", "6,5"]))
    assert place(problem) == ("plans", 3, "value_max")
    assert "6.5" in problem.message and "7.5" in problem.message


def test_it_refuses_an_upper_bound_for_a_target_that_is_not_a_range(base, tmp_path):
    problem = only_problem(import_plans(tmp_path, ["r", "4", "C", "2021", "0,5", "1"]))
    assert place(problem) == ("plans", 3, "value_max")


def test_it_refuses_a_result_kind_it_does_not_know(base, tmp_path):
    problem = only_problem(import_results(tmp_path, ["r", "1", "W", "2021", "5", "dự kiến", ""]))
    assert place(problem) == ("results", 3, "kind")


# Set-up sheets -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row, column",
    [
        (["Z", "Zeta", "C", "2025-07-01", "2025-01-01"], "valid_to"),
        (["Z", "Zeta", "C", "30/02/2025", ""], "valid_from"),
        (["Z", "Zeta", "NOPE", "", ""], "parent"),
        (["Z", "", "C", "", ""], "name"),
        (["Z", "Zeta", "C", "2025-07-01", "", "NOPE"], "predecessors"),
    ],
)
def test_it_names_the_column_of_a_bad_org_unit(base, tmp_path, row, column):
    rows = [["code", "name", "parent", "valid_from", "valid_to", "predecessors"], ["Y", "Y", "C", "", "", ""], row]
    problem = only_problem(import_sheet(tmp_path, "org_units", rows))
    assert place(problem) == ("org_units", 3, column)


@pytest.mark.parametrize(
    "row, column",
    [
        (["s", "1", "Một", "2020", "C", ""], "term"),
        (["s", "1", "Một", "2020-2025", "ZZ", ""], "org_unit"),
        (["s", "1", "Một", "2020-2025", "", ""], "org_unit"),
        (["s", "1", "Một", "2020-2025", "C", "nope"], "parent"),
    ],
)
def test_it_names_the_column_of_a_bad_resolution(base, tmp_path, row, column):
    rows = [["key", "number", "title", "term", "org_unit", "parent"], ["t", "1", "Một", "2020-2025", "C", "r"], row]
    problem = only_problem(import_sheet(tmp_path, "resolutions", rows))
    assert place(problem) == ("resolutions", 3, column)


def test_it_names_the_nearly_met_column_when_the_threshold_is_out_of_range(base, tmp_path):
    rows = [["key", "number", "title", "org_unit", "nearly_met"], ["s", "1", "Một", "C", "150"]]
    problem = only_problem(import_sheet(tmp_path, "resolutions", rows))
    assert place(problem) == ("resolutions", 2, "nearly_met")


@pytest.mark.parametrize(
    "row, column",
    [
        (["r", "5", "Năm", "upwards", "", "0"], "direction"),
        (["r", "5", "Năm", "increase", "dollars", "0"], "value_kind"),
        (["r", "5", "Năm", "increase", "", "7"], "decimals"),
        (["r", "5", "Năm", "increase", "", "1,5"], "decimals"),
        (["nope", "5", "Năm", "increase", "", "0"], "resolution"),
    ],
)
def test_it_names_the_column_of_a_bad_target(base, tmp_path, row, column):
    rows = [["resolution", "code", "name", "direction", "value_kind", "decimals"], ["r", "6", "Sáu", "increase", "", ""], row]
    problem = only_problem(import_sheet(tmp_path, "targets", rows))
    assert place(problem) == ("targets", 3, column)


def test_a_too_long_code_is_a_problem_not_a_crash(base, tmp_path):
    rows = [["resolution", "code", "name", "direction"], ["r", "X" * 40, "Quá dài", "increase"]]
    problem = only_problem(import_sheet(tmp_path, "targets", rows))
    assert place(problem) == ("targets", 2, "code")


# Columns -----------------------------------------------------------------------------------------------


def test_it_names_the_missing_required_columns(base, tmp_path):
    rows = [["resolution", "target", "org_unit", "note"], ["r", "1", "C", "x"]]
    problem = only_problem(import_sheet(tmp_path, "results", rows))
    assert place(problem) == ("results", 1, None)
    assert problem.message == "Thiếu cột bắt buộc: period, value."
    assert problem.english == "Missing required columns: period, value."


def test_it_refuses_two_columns_that_mean_the_same(base, tmp_path):
    rows = [["resolution", "target", "org_unit", "period", "value", "Kế hoạch"], GOOD_PLAN]
    problem = only_problem(import_sheet(tmp_path, "plans", rows))
    assert place(problem) == ("plans", 1, "Kế hoạch")


def test_a_bad_sheet_in_a_workbook_stops_the_good_ones_too(base, tmp_path):
    path = write_xlsx(
        tmp_path / "mixed.xlsx",
        {
            "org_units": [["code", "name", "parent"], ["W3", "Phường Ba", "C"]],
            "targets": [["resolution", "code", "name", "direction"], ["r", "5", "Năm", "increase"]],
            "plans": [PLAN_HEADER, GOOD_PLAN],
            "results": [["resolution", "target", "org_unit", "period"], ["r", "1", "C", "2021"]],
        },
    )
    before = counts()
    problem = only_problem(import_file(path))
    assert counts() == before
    assert place(problem) == ("results", 1, None)


# All problems at once ----------------------------------------------------------------------------------


def test_it_reports_every_problem_in_order_and_writes_nothing(base, tmp_path):
    path = write_xlsx(
        tmp_path / "many.xlsx",
        {
            "org_units": [["code", "name", "parent"], ["W3", "Phường Ba", "C"]],
            "plans": [PLAN_HEADER, GOOD_PLAN, ["r", "3", "C", "2021", "7", "6"]],
            "results": [
                RESULT_HEADER,
                GOOD_RESULT,
                ["r", "1", "W3", "2021", "abc", "", ""],
                [],
                ["r", "2", "C", "2021", "có lẽ", "", ""],
                ["r", "1", "C", "2030", "5", "", ""],
            ],
        },
    )
    before = counts()
    report = import_file(path)
    assert counts() == before
    assert not report.ok and report.problem_count == 4
    assert [place(p) for p in report.problems] == [
        ("plans", 3, "value_max"),
        ("results", 3, "value"),
        ("results", 5, "value"),
        ("results", 6, "period"),
    ]
    assert report.changes == 0


def test_each_problem_is_one_line_in_vietnamese_or_english(base, tmp_path):
    report = import_results(tmp_path, ["r", "1", "C", "2021-H1", "abc", "", ""], ["r", "1", "ZZ", "2021", "5", "", ""])
    assert [p.text() for p in report.problems] == [
        'sheet results, dòng 3, cột value: "abc" không phải là số.',
        'sheet results, dòng 4, cột org_unit: Không tìm thấy đơn vị có mã "ZZ".',
    ]
    assert [p.text("en") for p in report.problems] == [
        'sheet results, row 3, column value: "abc" is not a number.',
        'sheet results, row 4, column org_unit: No org unit with code "ZZ".',
    ]


def test_a_value_with_a_line_break_is_still_reported_on_one_line(base, tmp_path):
    problem = only_problem(import_results(tmp_path, ["r", "1", "C", "2021-H1", "12\nabc", "", ""]))
    assert place(problem) == ("results", 3, "value")
    assert len(problem.text().splitlines()) == 1 and len(problem.text("en").splitlines()) == 1


# Files that cannot be read -----------------------------------------------------------------------------

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de") + bytes(range(256))


def a_truncated_workbook(tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", {"org_units": ORG_UNITS})
    return whole.read_bytes()[:600]


def a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("chart.png", PNG, "không phải bảng tính"),
        ("chart.xlsx", PNG, "Không đọc được bảng tính"),
        ("noise.xlsx", bytes(range(256)) * 8, "Không đọc được bảng tính"),
        ("noise.csv", bytes(range(255, -1, -1)) * 8, "không phải văn bản UTF-8"),
        ("noise.bin", bytes(range(256)) * 8, "không phải bảng tính"),
        ("archive.xlsx", None, "Không đọc được bảng tính"),
        ("truncated.xlsx", None, "Không đọc được bảng tính"),
        ("nul.csv", b"code,name\nA\x00,B\n", "không phải tệp CSV"),
    ],
)
def test_it_refuses_a_file_that_is_neither_a_workbook_nor_a_csv(base, tmp_path, name, content, words):
    if name == "archive.xlsx":
        content = a_zip_that_is_not_a_workbook()
    elif name == "truncated.xlsx":
        content = a_truncated_workbook(tmp_path)
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    problem = only_problem(import_file(path))
    assert counts() == before
    assert place(problem) == (name, None, None)
    assert words in problem.message and name in problem.message
    assert "Traceback" not in problem.message


def test_it_refuses_an_empty_file(db, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(b"")
    problem = only_problem(import_file(path))
    assert problem.message == "Tệp results.csv rỗng."
    assert problem.english == "File results.csv is empty."


def test_it_refuses_a_csv_with_only_blank_lines(db, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("\n\n,,,\n", encoding="utf-8")
    problem = only_problem(import_file(path))
    assert "không có dữ liệu" in problem.message


def test_it_refuses_a_workbook_with_no_data(db, tmp_path):
    problem = only_problem(import_file(write_xlsx(tmp_path / "blank.xlsx", {"results": []})))
    assert "không có dữ liệu" in problem.message


def test_it_refuses_a_file_above_the_size_limit_before_reading_it(base, tmp_path, settings):
    settings.NGHIQUYET_IMPORT_MAX_BYTES = 100
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER] + [GOOD_RESULT] * 10)
    before = counts()
    problem = only_problem(import_file(path))
    assert counts() == before
    assert place(problem) == ("results.csv", None, None)
    assert "quá lớn" in problem.message and "NGHIQUYET_IMPORT_MAX_BYTES" in problem.message
    assert "too large" in problem.english


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "latin-1"])
def test_it_refuses_a_csv_that_is_not_utf8(db, tmp_path, encoding):
    # cp1258 (Windows Vietnamese) writes "ố" as "ô" plus a combining acute accent.
    text = "code,name\nA,Café\n" if encoding == "latin-1" else "code,name\nA,Th\u00e0nh ph\u00f4\u0301\n"
    path = tmp_path / "org_units.csv"
    path.write_bytes(text.encode(encoding))
    problem = only_problem(import_file(path))
    assert place(problem) == ("org_units.csv", None, None)
    assert "UTF-8" in problem.message and "UTF-8" in problem.english
    assert OrgUnit.objects.count() == 0


def test_a_csv_cell_too_long_for_the_csv_reader_is_a_problem_not_a_crash(db, tmp_path):
    path = tmp_path / "org_units.csv"
    path.write_text("code,name\nA," + "x" * 200_000 + "\n", encoding="utf-8")
    problem = only_problem(import_file(path))
    assert problem.sheet in ("org_units.csv", "org_units")
    assert OrgUnit.objects.count() == 0


def test_it_reports_a_missing_file(db, tmp_path):
    problem = only_problem(import_file(tmp_path / "nowhere.xlsx"))
    assert "Không tìm thấy tệp" in problem.message


# English ----------------------------------------------------------------------------------------------


def test_every_problem_has_an_english_text(base, tmp_path):
    report = import_results(
        tmp_path,
        ["nope", "1", "C", "2021", "5", "", ""],
        ["r", "99", "C", "2021", "5", "", ""],
        ["r", "1", "W", "2025-H2", "5", "", ""],
        ["r", "1", "C", "2026", "5", "", ""],
        ["r", "2", "C", "2021", "có lẽ", "", ""],
        ["r", "1", "C", "2021-Q1", "1.5", "", ""],
    )
    assert report.problem_count == 6
    for problem in report.problems:
        assert problem.english != problem.message and not problem.english.startswith(("Không", "Kỳ", "Đơn vị")), problem.english
        assert problem.text("en").startswith(f"sheet results, row {problem.row}, column {problem.column}: ")
