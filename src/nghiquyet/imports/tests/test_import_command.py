"""`nghiquyet import FILE [--dry-run] [--locale vi|en] [--sheet NAME] [--lang vi|en]`: a summary on success,
one line per problem and exit status 1 otherwise, never a traceback."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from nghiquyet.imports.tests.helpers import counts, write_csv, write_xlsx
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db

BOOK = {
    "org_units": [["code", "name", "parent", "valid_to"], ["C", "Thành phố", "", ""], ["W", "Phường", "C", "2025-06-30"]],
    "resolutions": [["key", "number", "title", "term", "org_unit"], ["r", "01-NQ/TU", "Nhiệm vụ", "2020-2025", "C"]],
    "targets": [
        ["resolution", "code", "name", "unit", "direction", "value_kind"],
        ["r", "1", "Kết nạp đảng viên mới", "đảng viên", "increase", "count"],
        ["r", "2", "Tỷ lệ hộ nghèo", "%", "decrease", "percent"],
    ],
    "plans": [["resolution", "target", "org_unit", "period", "value"], ["r", "1", "C", "2021", "1.600"]],
    "results": [["resolution", "target", "org_unit", "period", "value"], ["r", "1", "C", "2021", "1.635"]],
}
RESULT_HEADER = ["resolution", "target", "org_unit", "period", "value"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import", *map(str, args), stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def book(tmp_path):
    return write_xlsx(tmp_path / "book.xlsx", BOOK)


@pytest.fixture
def loaded(book):
    code, _, err = run(book)
    assert code == 0, err
    return book


# Success -----------------------------------------------------------------------------------------------


def test_it_says_what_it_changed(book):
    code, out, err = run(book)
    assert (code, err) == (0, "Số liệu nhập bằng dòng lệnh được ghi là đã duyệt (không qua bước nộp, duyệt).\n")  # a trusted road
    assert out == (
        "7 thay đổi — đơn vị: 2 mới, 0 sửa; nghị quyết: 1 mới, 0 sửa; chỉ tiêu: 2 mới, 0 sửa; "
        "kế hoạch: 1 mới, 0 sửa; kết quả: 1 mới, 0 sửa.\n"
    )
    assert counts() == (2, 1, 2, 1, 1)


def test_importing_the_same_file_again_says_no_change(loaded):
    before = counts()
    code, out, _ = run(loaded)
    assert (code, out) == (0, "0 thay đổi.\n")
    assert counts() == before


def test_it_says_what_it_changed_in_english(book):
    code, out, _ = run(book, "--lang", "en")
    assert code == 0
    assert out.startswith("7 changes — org units: 2 new, 0 changed; resolutions: 1 new, 0 changed;")


def test_a_dry_run_says_what_would_change_and_writes_nothing(book):
    code, out, _ = run(book, "--dry-run")
    assert code == 0
    assert out.startswith("7 thay đổi (chạy thử, chưa ghi) — đơn vị: 2 mới, 0 sửa;")
    assert counts() == (0, 0, 0, 0, 0)
    code, out, _ = run(book, "--dry-run", "--lang", "en")
    assert out.startswith("7 changes (dry run, nothing written)")


def test_a_dry_run_after_an_import_counts_only_the_differences(loaded, tmp_path):
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER, ["r", "1", "C", "2021", "1.640"], ["r", "1", "W", "2021", "12"]])
    code, out, _ = run(path, "--dry-run")
    assert (code, out) == (0, "2 thay đổi (chạy thử, chưa ghi) — kết quả: 1 mới, 1 sửa.\n")
    assert Result.objects.get().value == 1635


def test_the_english_locale_reads_english_numbers(loaded, tmp_path):
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER, ["r", "1", "C", "2021", "1,640"], ["r", "2", "C", "2021", "0.21"]])
    code, out, err = run(path, "--locale", "en")
    assert code == 0, err
    assert dict(Result.objects.values_list("target__code", "value")) == {"1": D("1640"), "2": D("0.21")}


def test_sheet_names_the_kind_of_a_csv(loaded, tmp_path):
    path = write_csv(tmp_path / "thang-12.csv", [RESULT_HEADER, ["r", "1", "W", "2021", "12"]])
    code, out, err = run(path)
    assert code == 1 and "--sheet" in err and Result.objects.count() == 1
    code, out, err = run(path, "--sheet", "Kết quả")
    assert (code, out) == (0, "1 thay đổi — kết quả: 1 mới, 0 sửa.\n")


def test_sheet_imports_one_sheet_of_a_workbook(book):
    code, out, _ = run(book, "--sheet", "org_units")
    assert (code, out) == (0, "2 thay đổi — đơn vị: 2 mới, 0 sửa.\n")
    assert counts() == (2, 0, 0, 0, 0)


def test_unknown_columns_and_sheets_are_mentioned_on_stderr(loaded, tmp_path):
    path = write_xlsx(tmp_path / "extra.xlsx", {"Ghi chú": [["x"]], "results": [[*RESULT_HEADER, "Người nhập"], ["r", "1", "C", "2021", "1.635", "Lan"]]})
    code, out, err = run(path)
    assert (code, out) == (0, "0 thay đổi.\n")
    assert '"Ghi chú"' in err and '"Người nhập"' in err


def test_notes_are_in_english_when_english_is_asked_for(loaded, tmp_path):
    path = write_xlsx(tmp_path / "extra.xlsx", {"Ghi chú": [["x"]], "results": [[*RESULT_HEADER, "Người nhập"], ["r", "1", "C", "2021", "1.635", "Lan"]]})
    code, out, err = run(path, "--lang", "en")
    assert (code, out) == (0, "0 changes.\n")
    assert "Bỏ qua" not in err and "bỏ qua" not in err, err


# Problems ----------------------------------------------------------------------------------------------


def test_problems_are_one_line_each_then_nothing_written(loaded, tmp_path):
    path = write_csv(
        tmp_path / "results.csv",
        [RESULT_HEADER, ["r", "1", "C", "2022", "1.700"], ["r", "1", "C", "2023", "abc"], ["r", "1", "W", "2025-H2", "5"]],
    )
    before = counts()
    code, out, err = run(path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'sheet results, dòng 3, cột value: "abc" không phải là số.',
        'sheet results, dòng 4, cột org_unit: Đơn vị "W" không có hiệu lực trong kỳ 2025-H2.',
        "Không ghi gì: 2 lỗi.",
    ]
    assert counts() == before


def test_problems_are_in_english_when_english_is_asked_for(loaded, tmp_path):
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER, ["r", "1", "C", "2023", "abc"], ["r", "9", "C", "2021", "1"]])
    code, out, err = run(path, "--lang", "en")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'sheet results, row 2, column value: "abc" is not a number.',
        'sheet results, row 3, column target: Resolution r has no target "9".',
        "Nothing written: 2 problems.",
    ]


def test_a_dry_run_of_a_bad_file_fails_the_same_way(loaded, tmp_path):
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER, ["r", "1", "C", "2026", "1"]])
    code, out, err = run(path, "--dry-run")
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("sheet results, dòng 2, cột period: Kỳ 2026 nằm ngoài nhiệm kỳ 2020-2025")


def test_an_ambiguous_number_is_refused_under_either_locale(loaded, tmp_path):
    for text, locale in (("1.5", "vi"), ("1,5", "en")):
        path = write_csv(tmp_path / "results.csv", [RESULT_HEADER, ["r", "1", "C", "2022", text]])
        code, _, err = run(path, "--locale", locale)
        assert code == 1 and "cột value" in err and "không rõ nghĩa" in err


def test_missing_columns_are_named(loaded, tmp_path):
    path = write_csv(tmp_path / "plans.csv", [["resolution", "target", "Kỳ"], ["r", "1", "2021"]])
    code, _, err = run(path)
    assert code == 1
    assert err.splitlines() == ["sheet plans, dòng 1: Thiếu cột bắt buộc: org_unit, value.", "Không ghi gì: 1 lỗi."]


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256))


@pytest.mark.parametrize(
    "name, content",
    [
        ("chart.png", PNG),
        ("chart.xlsx", PNG),
        ("noise.csv", bytes(range(255, -1, -1)) * 4),
        ("noise.xlsx", bytes(range(256)) * 4),
        ("empty.csv", b""),
        ("empty.xlsx", b""),
        ("latin.csv", "code,name\nA,Café\n".encode("latin-1")),
        ("utf16.csv", "code,name\nA,Thành phố\n".encode("utf-16")),
    ],
)
def test_an_unreadable_file_is_one_line_and_exit_status_one(db, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(path)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"tệp {name}: ") and lines[1] == "Không ghi gì: 1 lỗi."
    assert "Traceback" not in err
    assert counts() == (0, 0, 0, 0, 0)


def test_a_file_that_does_not_exist_is_one_line(db, tmp_path):
    code, out, err = run(tmp_path / "missing.xlsx")
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("tệp missing.xlsx: Không tìm thấy tệp")


def test_a_file_above_the_limit_is_refused_before_reading(loaded, tmp_path, settings):
    settings.NGHIQUYET_IMPORT_MAX_BYTES = 64
    path = write_csv(tmp_path / "results.csv", [RESULT_HEADER] + [["r", "1", "C", "2022", "1.700"]] * 5)
    code, out, err = run(path, "--lang", "en")
    assert (code, out) == (1, "")
    assert "too large" in err and "NGHIQUYET_IMPORT_MAX_BYTES" in err
    assert Result.objects.count() == 1


def test_a_bad_row_in_one_sheet_keeps_the_other_sheets_out_too(db, tmp_path):
    sheets = dict(BOOK)
    sheets["results"] = [RESULT_HEADER, ["r", "1", "C", "2021", "1.635"], ["r", "1", "C", "2022", "có lẽ"]]
    code, out, err = run(write_xlsx(tmp_path / "book.xlsx", sheets))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "Không ghi gì: 1 lỗi."
    assert counts() == (0, 0, 0, 0, 0)
