"""The demo loads through the import path, twice without change, from a workbook that matches its CSVs."""

import csv
import io

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from nghiquyet.demo.files import DATA, SHEETS, WORKBOOK
from nghiquyet.demo.loader import load_demo
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, Target


@pytest.mark.django_db
def test_loading_twice_changes_nothing_the_second_time():
    first = load_demo(migrate=False)
    counts = (OrgUnit.objects.count(), Target.objects.count(), Plan.objects.count(), Result.objects.count())
    second = load_demo(migrate=False)
    assert first.changes > 0 and second.changes == 0
    assert counts == (OrgUnit.objects.count(), Target.objects.count(), Plan.objects.count(), Result.objects.count())


@pytest.mark.django_db
def test_the_demo_is_labelled_illustrative(demo):
    assert all("minh họa" in r.notice for r in Resolution.objects.all())
    assert Resolution.objects.get(key="ct-2021").parent.key == "ct-xiv"


@pytest.mark.django_db
def test_cantho_has_nine_districts_until_the_reform(demo):
    districts = OrgUnit.objects.filter(parent__code="CT", level__in=["quận", "huyện"])
    assert districts.count() == 9
    assert {d.level for d in districts} == {"quận", "huyện"}
    assert sum(d.level == "quận" for d in districts) == 5
    assert all(str(d.valid_to) == "2025-06-30" for d in districts)


@pytest.mark.django_db
def test_the_demo_command_says_what_it_did():
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Dữ liệu minh họa Cần Thơ 2021" in out.getvalue() and "thay đổi" in out.getvalue()
    assert "demo-nhap" in out.getvalue() and "demo-duyet" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_has_a_reporter_and_an_approver_for_the_four_eyes_round():
    from nghiquyet.accounts.models import Membership

    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # twice: nobody created twice
    roles = {(m.user.username, m.org_unit.code, m.role) for m in Membership.objects.select_related("user", "org_unit")}
    assert roles == {("demo", "CT", "admin"), ("demo-nhap", "CT-NK", "reporter"), ("demo-duyet", "CT", "approver")}


def test_the_shipped_workbook_matches_the_csv_sources():
    """Run `python -m nghiquyet.demo.build_workbook` after editing the CSV files."""
    book = CalamineWorkbook.from_path(str(WORKBOOK))
    for name in SHEETS:
        with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            expected = [row for row in csv.reader(handle)]
        actual = [[str(cell) for cell in row] for row in book.get_sheet_by_name(name).to_python()]
        width = len(expected[0])
        actual = [(row + [""] * width)[:width] for row in actual]
        assert actual == expected, name
