"""Rows are upserted by their keys: importing the same file again changes nothing; a changed cell changes
that one row in place; a dry run counts what would change and writes nothing."""

from decimal import Decimal as D

import pytest

from nghiquyet.demo.files import DATA, SHEETS
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import write_csv, write_xlsx
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, Target

pytestmark = pytest.mark.django_db

MODELS = (OrgUnit, Resolution, Target, Plan, Result)

ORG_UNITS = [
    ["code", "name", "parent", "level", "valid_from", "valid_to", "predecessors"],
    ["C", "Thành phố", "", "thành phố", "2004-01-01", "2025-06-30", ""],
    ["P", "Tỉnh", "", "tỉnh", "", "2025-06-30", ""],
    ["W", "Phường Một", "C", "phường", "2004-01-01", "2025-06-30", ""],
    ["C", "Thành phố (mới)", "", "thành phố", "2025-07-01", "", "C;P"],
]
RESOLUTIONS = [
    ["key", "number", "title", "issuer", "issued_on", "term", "org_unit", "parent", "nearly_met", "notice"],
    ["r", "01-NQ/ĐH", "Nghị quyết Đại hội", "Đảng bộ", "2020-10-16", "2020-2025", "C", "", "", "Minh họa"],
    ["r-2021", "05-NQ/TU", "Nhiệm vụ năm 2021", "Ban Chấp hành", "2020-12-18", "2020-2025", "C", "r", "90", ""],
]
TARGETS = [
    ["resolution", "code", "name", "unit", "direction", "value_kind", "accumulation", "rollup", "numerator", "denominator", "key_target", "decimals"],
    ["r-2021", "1", "Kết nạp đảng viên mới", "đảng viên", "increase", "count", "flow", "sum", "", "", "có", "0"],
    ["r-2021", "2", "Đạt chuẩn nông thôn mới", "", "milestone", "boolean", "stock", "none", "", "", "không", "0"],
    ["r-2021", "3", "Tốc độ tăng trưởng", "%", "range", "percent", "flow", "none", "", "", "có", "2"],
    ["r-2021", "4", "Tỷ lệ trường đạt chuẩn", "%", "increase", "percent", "stock", "ratio", "5", "6", "không", "1"],
    ["r-2021", "5", "Trường đạt chuẩn", "trường", "increase", "count", "stock", "sum", "", "", "không", "0"],
    ["r-2021", "6", "Tổng số trường", "trường", "increase", "count", "stock", "sum", "", "", "không", "0"],
]
PLANS = [
    ["resolution", "target", "org_unit", "period", "value", "value_max"],
    ["r-2021", "1", "C", "2021", "1.600", ""],
    ["r-2021", "1", "W", "2021", "240", ""],
    ["r-2021", "2", "C", "2021", "có", ""],
    ["r-2021", "3", "C", "2021", "6,5", "7"],
]
RESULTS = [
    ["resolution", "target", "org_unit", "period", "value", "kind", "note"],
    ["r-2021", "1", "C", "2021", "1.635", "official", "Theo báo cáo"],
    ["r-2021", "1", "C", "2021", "1.600", "estimate", ""],
    ["r-2021", "1", "W", "2021", "251", "", ""],
    ["r-2021", "2", "C", "2021", "đạt", "", ""],
    ["r-2021", "3", "C", "2021", "6,8", "", ""],
    ["r-2021", "1", "C", "2025-H2", "900", "", ""],
]
SHEETS_OF_BOOK = {"org_units": ORG_UNITS, "resolutions": RESOLUTIONS, "targets": TARGETS, "plans": PLANS, "results": RESULTS}


def snapshot():
    """Every row of every table, with its id and its last change time."""
    return {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in MODELS}


def with_cell(rows, row, column, value):
    changed = [list(r) for r in rows]
    changed[row][rows[0].index(column)] = value
    return changed


@pytest.fixture
def book(tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", SHEETS_OF_BOOK)
    report = import_file(path)
    assert report.ok, [p.text() for p in report.problems]
    return path


def test_the_first_import_creates_every_row(book):
    assert [OrgUnit.objects.count(), Resolution.objects.count(), Target.objects.count()] == [4, 2, 6]
    assert [Plan.objects.count(), Result.objects.count()] == [4, 6]


def test_importing_the_same_workbook_again_changes_nothing(book):
    before = snapshot()
    report = import_file(book)
    assert report.ok and report.changes == 0
    assert report.summary() == "0 thay đổi."
    assert report.summary("en") == "0 changes."
    assert sum(report.unchanged.values()) == 4 + 2 + 6 + 4 + 6
    assert snapshot() == before


def test_importing_the_same_csv_files_again_changes_nothing(book, tmp_path):
    before = snapshot()
    for kind, rows in SHEETS_OF_BOOK.items():
        report = import_file(write_csv(tmp_path / f"{kind}.csv", rows))
        assert report.ok and report.summary() == "0 thay đổi.", (kind, report.summary())
    assert snapshot() == before


def test_the_demo_csv_files_change_nothing_after_the_demo_workbook(demo):
    before = snapshot()
    for kind in SHEETS:
        report = import_file(DATA / f"{kind}.csv")
        assert report.ok and report.changes == 0, (kind, report.summary())
    assert snapshot() == before


def test_numbers_written_differently_are_the_same_number(book, tmp_path):
    rows = [list(row) for row in RESULTS]
    rows[1][4], rows[5][4] = 1635, "6,80"
    report = import_file(write_xlsx(tmp_path / "again.xlsx", {"results": rows}))
    assert report.ok and report.changes == 0


def test_a_changed_result_is_updated_in_place(book, tmp_path):
    before = Result.objects.get(org_unit__code="W", period="2021")
    report = import_file(write_csv(tmp_path / "results.csv", with_cell(RESULTS, 3, "value", "260")))
    assert report.ok
    assert report.summary() == "1 thay đổi — kết quả: 0 mới, 1 sửa."
    after = Result.objects.get(org_unit__code="W", period="2021")
    assert (after.pk, after.value) == (before.pk, D("260"))
    assert Result.objects.count() == 6


def test_a_changed_plan_upper_bound_is_updated_in_place(book, tmp_path):
    report = import_file(write_csv(tmp_path / "plans.csv", with_cell(PLANS, 4, "value_max", "7,5")))
    assert report.ok and report.updated["plans"] == 1 and report.changes == 1
    assert Plan.objects.get(target__code="3").value_max == D("7.5")


def test_a_renamed_target_keeps_its_id_and_its_figures(book, tmp_path):
    target = Target.objects.get(code="1")
    report = import_file(write_csv(tmp_path / "targets.csv", with_cell(TARGETS, 1, "name", "Kết nạp đảng viên")))
    assert report.ok and report.summary() == "1 thay đổi — chỉ tiêu: 0 mới, 1 sửa."
    renamed = Target.objects.get(code="1")
    assert renamed.pk == target.pk and renamed.name == "Kết nạp đảng viên"
    assert renamed.results.count() == 4


def test_a_new_row_among_known_ones_is_the_only_change(book, tmp_path):
    rows = [*RESULTS, ["r-2021", "3", "C", "2020", "1,04", "", ""]]
    report = import_file(write_csv(tmp_path / "results.csv", rows))
    assert report.ok and report.summary() == "1 thay đổi — kết quả: 1 mới, 0 sửa."


def test_an_org_unit_is_upserted_by_code_and_start_date(book, tmp_path):
    rows = with_cell(ORG_UNITS, 4, "name", "Thành phố Cần Thơ")
    report = import_file(write_csv(tmp_path / "org_units.csv", rows))
    assert report.ok and report.updated["org_units"] == 1 and report.changes == 1
    assert list(OrgUnit.objects.filter(code="C").order_by("valid_from").values_list("name", flat=True)) == [
        "Thành phố",
        "Thành phố Cần Thơ",
    ]


def test_a_resolution_is_upserted_by_key(book, tmp_path):
    before = Resolution.objects.get(key="r-2021")
    report = import_file(write_csv(tmp_path / "resolutions.csv", with_cell(RESOLUTIONS, 2, "title", "Nhiệm vụ 2021")))
    assert report.ok and report.changes == 1
    after = Resolution.objects.get(key="r-2021")
    assert (after.pk, after.title, after.parent.key) == (before.pk, "Nhiệm vụ 2021", "r")


def test_a_sheet_without_optional_columns_keeps_what_they_hold(book, tmp_path):
    targets = [["resolution", "code", "name", "direction"], *[[r[0], r[1], r[2], r[4]] for r in TARGETS[1:]]]
    resolutions = [["key", "number", "title"], *[r[:3] for r in RESOLUTIONS[1:]]]
    results = [row[:6] for row in RESULTS]
    before = snapshot()
    for kind, rows in (("targets", targets), ("resolutions", resolutions), ("results", results)):
        report = import_file(write_csv(tmp_path / f"{kind}.csv", rows))
        assert report.ok and report.changes == 0, (kind, report.summary())
    assert snapshot() == before
    assert Result.objects.get(target__code="1", org_unit__code="C", period="2021", kind="official").note == "Theo báo cáo"
    assert Target.objects.get(code="4").numerator.code == "5"


def test_a_plans_sheet_without_the_upper_bound_column_keeps_the_upper_bound(book, tmp_path):
    rows = [row[:5] for row in PLANS]
    report = import_file(write_csv(tmp_path / "plans.csv", rows))
    assert report.ok and report.changes == 0, report.summary()
    assert Plan.objects.get(target__code="3").value_max == D("7")


def test_an_unchanged_result_keeps_who_recorded_it(book, tmp_path):
    Result.objects.update(source="import:first")
    report = import_file(write_csv(tmp_path / "results.csv", with_cell(RESULTS, 3, "value", "260")), source="import:second")
    assert report.ok
    sources = dict(Result.objects.filter(kind="official", period="2021").values_list("org_unit__code", "source"))
    assert sources == {"C": "import:first", "W": "import:second"}


def test_a_nearly_met_threshold_with_three_decimals_is_no_change_the_second_time(book, tmp_path):
    rows = with_cell(RESOLUTIONS, 2, "nearly_met", "85,555")
    first = import_file(write_csv(tmp_path / "resolutions.csv", rows))
    second = import_file(write_csv(tmp_path / "resolutions.csv", rows))
    # Either refused (the column holds 2 decimals) or stored as written: never "1 thay đổi" on every import.
    assert second.ok == first.ok and second.changes == 0, (second.summary(), [p.text() for p in second.problems])


# Dry runs ----------------------------------------------------------------------------------------------


def test_a_dry_run_counts_what_would_change_and_writes_nothing(db, tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", SHEETS_OF_BOOK)
    report = import_file(path, dry_run=True)
    assert report.ok
    assert report.summary() == (
        "22 thay đổi (chạy thử, chưa ghi) — đơn vị: 4 mới, 0 sửa; nghị quyết: 2 mới, 0 sửa; "
        "chỉ tiêu: 6 mới, 0 sửa; kế hoạch: 4 mới, 0 sửa; kết quả: 6 mới, 0 sửa."
    )
    assert report.summary("en").startswith("22 changes (dry run, nothing written) — org units: 4 new, 0 changed;")
    assert all(model.objects.count() == 0 for model in MODELS)


def test_a_dry_run_after_an_import_counts_only_the_differences(book, tmp_path):
    before = snapshot()
    report = import_file(write_csv(tmp_path / "results.csv", with_cell(RESULTS, 3, "value", "260")), dry_run=True)
    assert report.ok and report.summary() == "1 thay đổi (chạy thử, chưa ghi) — kết quả: 0 mới, 1 sửa."
    assert snapshot() == before
    assert Result.objects.get(org_unit__code="W", period="2021").value == 251


def test_a_dry_run_of_a_bad_file_reports_its_problems_and_writes_nothing(db, tmp_path):
    rows = with_cell(RESULTS, 3, "value", "abc")
    report = import_file(write_xlsx(tmp_path / "book.xlsx", {**SHEETS_OF_BOOK, "results": rows}), dry_run=True)
    assert not report.ok and [(p.sheet, p.row, p.column) for p in report.problems] == [("results", 4, "value")]
    assert report.changes == 0
    assert all(model.objects.count() == 0 for model in MODELS)
