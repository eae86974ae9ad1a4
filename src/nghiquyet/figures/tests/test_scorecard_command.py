"""`nghiquyet scorecard` in its three formats, and its errors."""

import csv
import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("scorecard", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_json_output_matches_the_review(demo):
    code, out, _ = run("--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--format", "json")
    data = json.loads(out)
    assert code == 0
    summary = data["summary"]
    assert summary["total"] == 19 and summary["exceeded"] + summary["met"] == 11 and summary["not_met"] == 8
    members = next(t for t in data["targets"] if t["code"] == "19")
    assert members["actual"] == 1635 and round(members["percent_of_plan"]) == 102


def test_the_table_puts_the_summary_first_in_vietnamese(demo):
    code, out, _ = run("--resolution", "ct-2021", "--org", "CT", "--period", "2021")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "Thực hiện đạt và vượt 11/19 chỉ tiêu; 8/19 chỉ tiêu không đạt."
    assert "Dữ liệu minh họa" in out
    members = next(line for line in lines if "Kết nạp đảng viên mới" in line)
    assert "1.635" in members and "1.603" in members and "102%" in members and "Vượt" in members
    poverty = next(line for line in lines if "hộ nghèo" in line)
    assert "0,21" in poverty


def test_csv_has_one_row_per_target(demo):
    code, out, _ = run("--resolution", "ct-2021", "--org", "CT", "--period", "2021", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 19
    assert rows[-1]["actual"] == "1635" and rows[-1]["status"] == "exceeded"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--resolution", "nope", "--org", "CT", "--period", "2021"), 'Lỗi: Không tìm thấy nghị quyết có khóa "nope".'),
        (("--resolution", "ct-2021", "--org", "ZZ", "--period", "2021"), 'Lỗi: Không tìm thấy đơn vị có mã "ZZ".'),
        (("--resolution", "ct-2021", "--org", "CT", "--period", "20x1"), 'Lỗi: Kỳ báo cáo "20x1" không hợp lệ'),
    ],
)
def test_an_unknown_key_or_code_is_one_line_and_a_non_zero_exit(demo, args, message):
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert err.startswith(message) and len(err.strip().splitlines()) == 1
