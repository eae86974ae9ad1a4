"""Crafted and careless workbooks: a few KB that would unfold into gigabytes are refused before they are
opened, with the sheet and the far cell named; percent-formatted cells are read as the person sees them
(12,5%, not 0,125), or refused, cell named, for a target that is not a percentage."""

from __future__ import annotations

import resource
from decimal import Decimal as D

import openpyxl
import pytest

from nghiquyet.imports import xlsx_scan
from nghiquyet.imports.importer import import_file
from nghiquyet.imports.tests.helpers import counts, write_xlsx
from nghiquyet.imports.tests.test_import_values import RESULT_HEADER, base  # noqa: F401 (fixture)
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db


def sparse_workbook(path, cell: str):
    """A results sheet with a header, one good row and one stray value at `cell`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "results"
    sheet.append(RESULT_HEADER)
    sheet.append(["r", "1", "C", "2021", 5])
    sheet[cell] = "x"
    book.save(path)
    return path


@pytest.mark.parametrize("cell, corner", [("XFD1048576", "XFD1048576"), ("SF200000", "SF200000"), ("Z1000000", "Z1000000")])
def test_a_far_stray_cell_is_refused_before_the_workbook_is_opened(base, tmp_path, cell, corner):  # noqa: F811
    path = sparse_workbook(tmp_path / "sparse.xlsx", cell)
    assert path.stat().st_size < 10_000
    before, memory = counts(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = import_file(path)
    assert not report.ok
    text = report.problems[0].text()
    assert "results" in text and corner in text and "không mở" in text
    assert counts() == before
    # well under what laying the grid out would take (gigabytes): the process grew by less than 200 MB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory < 200_000


def test_a_zip_that_unpacks_beyond_the_limit_is_refused(base, tmp_path, monkeypatch):  # noqa: F811
    path = write_xlsx(tmp_path / "ok.xlsx", {"results": [RESULT_HEADER, ["r", "1", "C", "2021", 5]]})
    monkeypatch.setattr(xlsx_scan, "MAX_UNCOMPRESSED", 2_000)
    report = import_file(path)
    assert not report.ok and "giải nén" in report.problems[0].text()
    assert Result.objects.count() == 0


def test_a_wide_but_honest_sheet_is_still_read(base, tmp_path):  # noqa: F811
    rows = [RESULT_HEADER + ["note"], ["r", "1", "C", "2021", 5, "ghi chú"]]
    report = import_file(write_xlsx(tmp_path / "ok.xlsx", {"results": rows}))
    assert report.ok, [p.text() for p in report.problems]


def percent_workbook(path, target: str, value: float, number_format: str):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "results"
    sheet.append(RESULT_HEADER)
    sheet.append(["r", target, "C", "2021", value])
    sheet["E2"].number_format = number_format
    book.save(path)
    return path


@pytest.mark.parametrize(
    "value, number_format, expected",
    [(0.125, "0.0%", D("12.5")), (0.07, "0%", D("7")), (0.0021, "0.00%", D("0.21")), (1.5, '0.0"%"', D("1.5")), (0.5, "General", D("0.5"))],
)
def test_a_percent_cell_is_read_as_the_person_sees_it(base, tmp_path, value, number_format, expected):  # noqa: F811
    """12,5% typed into a percent-formatted cell is stored 0.125 by the spreadsheet; the figure is 12,5.
    A "%" written as quoted text in the format is not a percentage format; a plain number stays as is."""
    report = import_file(percent_workbook(tmp_path / "p.xlsx", "4", value, number_format))
    assert report.ok, [p.text() for p in report.problems]
    assert Result.objects.get(target__code="4").value == expected


def test_a_percent_cell_for_a_target_that_is_no_percentage_is_refused_with_its_place(base, tmp_path):  # noqa: F811
    report = import_file(percent_workbook(tmp_path / "p.xlsx", "1", 0.125, "0.0%"))
    assert not report.ok
    problem = report.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("results", 2, "value")
    assert "%" in problem.text()
    assert Result.objects.count() == 0
