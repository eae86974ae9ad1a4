"""The file formats: a workbook with one sheet per kind or one CSV per kind, English keys or Vietnamese
headers; both give the same database."""

import unicodedata
from datetime import date

import pytest

from nghiquyet.demo.files import DATA, SHEETS, WORKBOOK
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.schema import kind_for_sheet
from nghiquyet.imports.tests.helpers import counts, write_csv, write_xlsx
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, Target

pytestmark = pytest.mark.django_db

MODELS = (OrgUnit, Resolution, Target, Plan, Result)


def ok(report):
    assert report.ok, [p.text() for p in report.problems]
    return report


# The same data as a workbook of typed cells and as five CSV files of Vietnamese text -------------------

BOOK = {
    # Sheets out of dependency order on purpose: the importer loads them in order of kind.
    "Kết quả": [
        ["resolution", "target", "org_unit", "period", "value", "kind", "note"],
        ["r-2021", "1", "C", 2021, 1635, "official", "Theo báo cáo"],
        ["r-2021", "1", "C", 2021, 1600, "estimate", None],
        ["r-2021", "1", "W", 2021, 251, None, None],
        ["r-2021", "2", "C", 2021, True, None, None],
        ["r-2021", "3", "C", 2021, 6.8, None, None],
        ["r-2021", "4", "C", "2021-H1", 0.21, None, None],
        ["r-2021", "1", "C", "2025-H2", 1500050.3, None, None],
    ],
    "Kế hoạch": [
        ["resolution", "target", "org_unit", "period", "value", "value_max"],
        ["r-2021", "1", "C", 2021, 1600, None],
        ["r-2021", "1", "W", 2021, 240, None],
        ["r-2021", "2", "C", 2021, 1, None],
        ["r-2021", "3", "C", 2021, 6.5, 7],
        ["r-2021", "4", "C", "2021-H1", 0.3, None],
    ],
    "Đơn vị": [
        ["code", "name", "parent", "level", "type", "valid_from", "valid_to", "predecessors"],
        ["W", "Phường Tân An", "C", "phường", None, date(2004, 1, 1), date(2025, 6, 30), None],
        ["C", "Thành phố", None, "thành phố", "territory", date(2004, 1, 1), date(2025, 6, 30), None],
        ["P", "Tỉnh", None, "tỉnh", None, None, date(2025, 6, 30), None],
        ["D", "Sở Y tế", "C", "sở", "department", date(2004, 1, 1), date(2025, 6, 30), None],
        ["C", "Thành phố (mới)", None, "thành phố", None, date(2025, 7, 1), None, "C; P"],
    ],
    "Nghị quyết": [
        ["key", "number", "title", "issuer", "issued_on", "term", "org_unit", "parent", "nearly_met", "notice"],
        ["r-2021", "05-NQ/TU", "Nhiệm vụ năm 2021", "Ban Chấp hành", date(2020, 12, 18), "2020-2025", "C", "r", 90, None],
        ["r", "01-NQ/ĐH", "Nghị quyết Đại hội", "Đảng bộ", date(2020, 10, 16), "2020-2025", "C", None, None, "Minh họa"],
    ],
    "Chỉ tiêu": [
        ["resolution", "code", "name", "unit", "direction", "value_kind", "accumulation", "rollup", "numerator", "denominator", "key_target", "decimals"],
        ["r-2021", "1", "Kết nạp đảng viên mới", "đảng viên", "increase", "count", "flow", "sum", None, None, True, 0],
        ["r-2021", "2", "Đạt chuẩn nông thôn mới", None, "milestone", "boolean", "stock", "none", None, None, False, None],
        ["r-2021", "3", "Tốc độ tăng trưởng", "%", "range", "percent", "flow", "none", None, None, "x", 2],
        ["r-2021", "4", "Tỷ lệ trường đạt chuẩn", "%", "decrease", "percent", "stock", "ratio", "5", "6", None, 1],
        ["r-2021", "5", "Trường đạt chuẩn", "trường", "increase", "count", "stock", "sum", None, None, None, None],
        ["r-2021", "6", "Tổng số trường", "trường", "increase", "count", "stock", "sum", None, None, None, None],
    ],
}

CSVS = {
    "Đơn vị.csv": [
        ["Mã", "TÊN", "Đơn vị cấp trên", "cấp", "Loại đơn vị", "Hiệu lực từ", "hieu luc den", "Tiền thân"],
        ["W", "Phường Tân An", "C", "phường", "", "01/01/2004", "30/06/2025", ""],
        ["C", "Thành phố", "", "thành phố", "territory", "2004-01-01", "2025-06-30", ""],
        ["P", "Tỉnh", "", "tỉnh", "", "", "30.06.2025", ""],
        ["D", "Sở Y tế", "C", "sở", "department", "1/1/2004", "30/6/2025", ""],
        ["C", "Thành phố (mới)", "", "thành phố", "", "01/07/2025", "", "C;P"],
    ],
    "nghi_quyet.csv": [
        ["Khóa", "Số hiệu", "Trích yếu", "Cơ quan ban hành", "Ngày ban hành", "Nhiệm kỳ", "Đơn vị chủ trì", "Nghị quyết cấp trên", "Ngưỡng cơ bản đạt", "Lưu ý"],
        ["r-2021", "05-NQ/TU", "Nhiệm vụ năm 2021", "Ban Chấp hành", "18/12/2020", "2020 - 2025", "C", "r", "90,00", ""],
        ["r", "01-NQ/ĐH", "Nghị quyết Đại hội", "Đảng bộ", "16/10/2020", "2020-2025", "C", "", "", "Minh họa"],
    ],
    "Chỉ tiêu.csv": [
        ["Nghị quyết", "Mã chỉ tiêu", "Tên chỉ tiêu", "ĐVT", "Chiều đánh giá", "Loại giá trị", "Lũy kế", "Tổng hợp", "Tử số", "Mẫu số", "Chỉ tiêu chủ yếu", "Số thập phân"],
        ["r-2021", "1", "Kết nạp đảng viên mới", "đảng viên", "Increase", "count", "flow", "sum", "", "", "có", "0"],
        ["r-2021", "2", "Đạt chuẩn nông thôn mới", "", "milestone", "boolean", "stock", "none", "", "", "không", ""],
        ["r-2021", "3", "Tốc độ tăng trưởng", "%", "range", "percent", "flow", "none", "", "", "Có", "2"],
        ["r-2021", "4", "Tỷ lệ trường đạt chuẩn", "%", "decrease", "PERCENT", "stock", "ratio", "5", "6", "", "1"],
        ["r-2021", "5", "Trường đạt chuẩn", "trường", "increase", "count", "stock", "sum", "", "", "", ""],
        ["r-2021", "6", "Tổng số trường", "trường", "increase", "count", "stock", "sum", "", "", "", ""],
    ],
    "Kế hoạch.csv": [
        ["NGHỊ QUYẾT", "chi tieu", "Đơn vị", "Kỳ", "Kế hoạch", "Cận trên"],
        ["r-2021", "1", "C", "2021", "1.600", ""],
        ["r-2021", "1", "W", "2021", "240", ""],
        ["r-2021", "2", "C", "2021", "có", ""],
        ["r-2021", "3", "C", "2021", "6,5%", "7"],
        ["r-2021", "4", "C", "2021-h1", "0,30", ""],
    ],
    "Kết quả.csv": [
        ["Nghị quyết", "Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Thực hiện", "Loại số liệu", "Ghi chú"],
        ["r-2021", "1", "C", "2021", "1.635", "chính thức", "Theo báo cáo"],
        ["r-2021", "1", "C", "2021", "1.600", "ước", ""],
        ["r-2021", "1", "W", "2021", "251", "", ""],
        ["r-2021", "2", "C", "2021", "đạt", "", ""],
        ["r-2021", "3", "C", "2021", "6,80", "", ""],
        ["r-2021", "4", "C", "2021-H1", "0,21%", "", ""],
        ["r-2021", "1", "C", "2025-H2", "1.500.050,3", "", ""],
    ],
}


def number(value):
    return None if value is None else format(value.normalize(), "f")


def unit_key(unit):
    return None if unit is None else (unit.code, str(unit.valid_from))


def dump():
    """Every stored value that the files decide, without ids or timestamps, in a fixed order."""
    units = [
        (u.code, u.name, u.level, u.unit_type, str(u.valid_from), str(u.valid_to), unit_key(u.parent), u.depth,
         sorted(unit_key(p) for p in u.predecessors.all()))
        for u in OrgUnit.objects.all()
    ]  # fmt: skip
    resolutions = [
        (r.key, r.number, r.title, r.issuer, str(r.issued_on), r.term_start, r.term_end, unit_key(r.org_unit),
         r.parent and r.parent.key, number(r.nearly_met_threshold), r.notice)
        for r in Resolution.objects.all()
    ]  # fmt: skip
    targets = [
        (t.resolution.key, t.code, t.name, t.unit, t.direction, t.value_kind, t.accumulation, t.rollup,
         t.numerator and t.numerator.code, t.denominator and t.denominator.code, t.is_key, t.decimals, t.position)
        for t in Target.objects.all()
    ]  # fmt: skip
    plans = [
        (p.target.resolution.key, p.target.code, unit_key(p.org_unit), p.period, str(p.period_start), str(p.period_end),
         number(p.value), number(p.value_max))
        for p in Plan.objects.all()
    ]  # fmt: skip
    results = [
        (r.target.resolution.key, r.target.code, unit_key(r.org_unit), r.period, str(r.period_start), str(r.period_end),
         r.kind, number(r.value), r.note, r.source, r.recorded_by_id)
        for r in Result.objects.all()
    ]  # fmt: skip
    return {name: sorted(map(repr, rows)) for name, rows in
            (("units", units), ("resolutions", resolutions), ("targets", targets), ("plans", plans), ("results", results))}  # fmt: skip


def wipe():
    Result.objects.all().delete()
    Plan.objects.all().delete()
    Target.objects.update(numerator=None, denominator=None)
    Target.objects.all().delete()
    Resolution.objects.update(parent=None)
    Resolution.objects.all().delete()
    OrgUnit.predecessors.through.objects.all().delete()
    OrgUnit.objects.update(parent=None)
    OrgUnit.objects.all().delete()
    assert counts() == (0, 0, 0, 0, 0)


def import_csvs(tmp_path, files):
    order = ["Đơn vị.csv", "nghi_quyet.csv", "Chỉ tiêu.csv", "Kế hoạch.csv", "Kết quả.csv"]
    for name in order:
        ok(import_file(write_csv(tmp_path / name, files[name]), source="same"))


def test_a_five_sheet_workbook_and_the_five_csv_files_give_the_same_database(db, tmp_path):
    ok(import_file(write_xlsx(tmp_path / "book.xlsx", BOOK), source="same"))
    from_workbook = dump()
    assert counts() == (5, 2, 6, 5, 7)
    wipe()
    import_csvs(tmp_path, CSVS)
    assert dump() == from_workbook


def test_the_demo_workbook_and_the_demo_csv_files_give_the_same_database(db):
    ok(import_file(WORKBOOK, source="same"))
    from_workbook = dump()
    wipe()
    for kind in SHEETS:
        ok(import_file(DATA / f"{kind}.csv", source="same"))
    assert dump() == from_workbook


def test_the_csv_files_after_the_workbook_change_nothing(db, tmp_path):
    ok(import_file(write_xlsx(tmp_path / "book.xlsx", BOOK)))
    for name, rows in CSVS.items():
        assert ok(import_file(write_csv(tmp_path / name, rows))).changes == 0, name


# Sheet names and headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kind",
    [
        ("org_units", "org_units"), ("Đơn vị", "org_units"), ("don vi", "org_units"), ("Units", "org_units"), ("Tổ chức", "org_units"),
        ("resolutions", "resolutions"), ("Nghị quyết", "resolutions"), ("NGHI-QUYET", "resolutions"),
        ("targets", "targets"), ("Chỉ tiêu", "targets"), ("chi_tieu", "targets"),
        ("plans", "plans"), ("Kế hoạch", "plans"), ("KẾ HOẠCH", "plans"),
        ("results", "results"), ("Kết quả", "results"), ("ket_qua", "results"), ("Thực hiện", "results"),
    ],
)  # fmt: skip
def test_it_recognises_sheet_names_in_either_language(name, kind):
    assert kind_for_sheet(name).key == kind


def test_it_recognises_a_vietnamese_sheet_name_typed_in_nfd(db, tmp_path):
    name = unicodedata.normalize("NFD", "Đơn vị")
    report = ok(import_file(write_xlsx(tmp_path / "book.xlsx", {name: [["Mã", "Tên"], ["A", "An"]]})))
    assert report.created["org_units"] == 1


@pytest.mark.parametrize(
    "header",
    [
        ["code", "name", "parent"],
        ["Mã", "Tên", "Đơn vị cấp trên"],
        ["MÃ", "TÊN", "ĐƠN VỊ CẤP TRÊN"],
        ["ma", "ten", "don vi cap tren"],
        ["  Mã đơn vị ", "Tên đơn vị", "Mã cấp trên"],
        ["Code", "Name", "Cấp trên"],
    ],
)
def test_it_reads_headers_without_regard_to_case_or_diacritics(db, tmp_path, header):
    rows = [header, ["C", "Thành phố", ""], ["W", "Phường", "C"]]
    ok(import_file(write_csv(tmp_path / "org_units.csv", rows)))
    assert OrgUnit.objects.get(code="W").parent.code == "C"


def test_it_reads_a_header_typed_in_nfd(db, tmp_path):
    header = [unicodedata.normalize("NFD", text) for text in ["Mã", "Tên", "Đơn vị cấp trên"]]
    ok(import_file(write_csv(tmp_path / "org_units.csv", [header, ["C", "Thành phố", ""], ["W", "Phường", "C"]])))
    assert OrgUnit.objects.get(code="W").parent.code == "C"


def test_it_ignores_unknown_columns_and_says_so(db, tmp_path):
    report = ok(import_file(write_csv(tmp_path / "org_units.csv", [["code", "name", "Người nhập"], ["A", "An", "Lan"]])))
    assert report.created["org_units"] == 1
    assert any("Người nhập" in note for note in report.note_lines())


def test_it_ignores_unknown_sheets_and_says_so(db, tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"Bìa": [["Đọc kỹ"]], "Hướng dẫn": [["Đọc kỹ"]], "org_units": [["code", "name"], ["A", "An"]]})
    report = ok(import_file(path))
    assert report.created["org_units"] == 1
    assert any("Bìa" in note for note in report.note_lines())
    assert not any("Hướng dẫn" in note for note in report.note_lines())  # a template's instructions go without saying


def test_a_workbook_with_no_sheet_named_after_a_kind_is_a_problem(db, tmp_path):
    report = import_file(write_xlsx(tmp_path / "book.xlsx", {"Sheet1": [["code", "name"], ["A", "An"]]}))
    assert not report.ok and OrgUnit.objects.count() == 0
    problem = report.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("book.xlsx", None, None)
    assert "org_units" in problem.message and "results" in problem.message


# CSV files ---------------------------------------------------------------------------------------------


def test_a_csv_is_named_by_its_kind_with_sheet_when_its_name_says_nothing(db, tmp_path):
    path = write_csv(tmp_path / "xuat-tu-excel-2021.csv", [["code", "name"], ["A", "An"]])
    report = import_file(path)
    assert not report.ok and OrgUnit.objects.count() == 0
    problem = report.problems[0]
    assert problem.sheet == "xuat-tu-excel-2021" and "--sheet" in problem.message and "org_units" in problem.message
    assert ok(import_file(path, sheet="org_units")).created["org_units"] == 1


def test_sheet_may_name_the_kind_of_a_csv_in_vietnamese(db, tmp_path):
    path = write_csv(tmp_path / "data.csv", [["Mã", "Tên"], ["A", "An"]])
    assert ok(import_file(path, sheet="Đơn vị")).created["org_units"] == 1


def test_sheet_naming_no_kind_is_a_problem_for_a_csv(db, tmp_path):
    path = write_csv(tmp_path / "data.csv", [["Mã", "Tên"], ["A", "An"]])
    report = import_file(path, sheet="bảng 1")
    assert not report.ok and "--sheet" in report.problems[0].message


@pytest.mark.parametrize(
    "options",
    [
        {"delimiter": ";"},
        {"delimiter": "\t"},
        {"encoding": "utf-8-sig"},
        {"line_end": "\r\n"},
        {"delimiter": ";", "encoding": "utf-8-sig", "line_end": "\r\n"},
    ],
)
def test_it_reads_csv_as_excel_saves_it(db, tmp_path, options):
    rows = [["code", "name", "level"], ["A", "Thành phố", "thành phố"], ["B", "Phường, xã", "phường"]]
    ok(import_file(write_csv(tmp_path / "org_units.csv", rows, **options)))
    assert dict(OrgUnit.objects.values_list("code", "name")) == {"A": "Thành phố", "B": "Phường, xã"}


def test_a_vietnamese_number_in_a_semicolon_csv_keeps_its_decimal_comma(db, tmp_path):
    units = [["code", "name"], ["C", "Thành phố"]]
    ok(import_file(write_csv(tmp_path / "org_units.csv", units)))
    resolutions = [["key", "number", "title", "org_unit", "nearly_met"], ["r", "1", "Một", "C", "87,5"]]
    ok(import_file(write_csv(tmp_path / "resolutions.csv", resolutions, delimiter=";")))
    assert Resolution.objects.get().nearly_met_threshold == 87.5


def test_a_txt_file_is_read_as_csv(db, tmp_path):
    path = write_csv(tmp_path / "org_units.txt", [["code", "name"], ["A", "An"]], delimiter="\t")
    assert ok(import_file(path)).created["org_units"] == 1


def test_a_workbook_is_recognised_by_its_content_whatever_its_name(db, tmp_path):
    book = write_xlsx(tmp_path / "book.xlsx", {"org_units": [["code", "name"], ["A", "An"]]})
    renamed = tmp_path / "org_units.csv"
    renamed.write_bytes(book.read_bytes())
    assert ok(import_file(renamed)).created["org_units"] == 1


def test_a_header_only_file_changes_nothing(db, tmp_path):
    report = ok(import_file(write_csv(tmp_path / "results.csv", [["resolution", "target", "org_unit", "period", "value"]])))
    assert report.summary() == "0 thay đổi."


# Choosing a sheet of a workbook ------------------------------------------------------------------------


def test_sheet_imports_only_that_sheet_of_a_workbook(db, tmp_path):
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {"org_units": [["code", "name"], ["A", "An"]], "resolutions": [["key", "number", "title", "org_unit"], ["r", "1", "Một", "A"]]},
    )
    report = ok(import_file(path, sheet="org_units"))
    assert report.created == {"org_units": 1}
    assert counts() == (1, 0, 0, 0, 0)


def test_sheet_naming_a_sheet_the_workbook_lacks_is_a_problem(db, tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {"org_units": [["code", "name"], ["A", "An"]]})
    report = import_file(path, sheet="results")
    assert not report.ok and OrgUnit.objects.count() == 0
    assert '"results"' in report.problems[0].message


# Rows --------------------------------------------------------------------------------------------------


def test_row_numbers_count_blank_rows_as_a_spreadsheet_does(db, tmp_path):
    rows = [["code", "name", "valid_from"], ["A", "An", ""], [None, None, None], ["B", "Bình", "hôm qua"]]
    report = import_file(write_xlsx(tmp_path / "book.xlsx", {"org_units": rows}))
    assert [(p.row, p.column) for p in report.problems] == [(4, "valid_from")]
    csv_report = import_file(write_csv(tmp_path / "org_units.csv", [[c or "" for c in row] for row in rows]))
    assert [(p.row, p.column) for p in csv_report.problems] == [(4, "valid_from")]


def test_trailing_blank_rows_and_short_rows_are_fine(db, tmp_path):
    path = tmp_path / "org_units.csv"
    path.write_text("code,name,level\nA,An\nB,Bình,phường,extra\n,,\n\n", encoding="utf-8")
    report = ok(import_file(path))
    assert report.created["org_units"] == 2


def test_a_row_may_refer_to_a_row_below_it(db, tmp_path):
    rows = [["code", "name", "parent"], ["W", "Phường", "D"], ["D", "Quận", "C"], ["C", "Thành phố", ""]]
    ok(import_file(write_csv(tmp_path / "org_units.csv", rows)))
    assert OrgUnit.objects.get(code="W").parent.parent.code == "C"
    resolutions = [["key", "number", "title", "org_unit", "parent"], ["child", "2", "Con", "C", "parent"], ["parent", "1", "Mẹ", "C", ""]]
    ok(import_file(write_csv(tmp_path / "resolutions.csv", resolutions)))
    assert Resolution.objects.get(key="child").parent.key == "parent"
