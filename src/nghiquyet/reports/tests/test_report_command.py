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
