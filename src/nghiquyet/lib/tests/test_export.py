"""safe_cell and csv_text: text a spreadsheet would run as a formula gets a leading apostrophe; numbers,
dates and ordinary text come out as they went in; the CSV has a BOM, CRLF line ends and quoting."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest

from nghiquyet.lib.export import csv_text, safe_cell


@pytest.mark.parametrize(
    "value, expected",
    [
        # what a spreadsheet would run
        ("=HYPERLINK(\"http://x\",\"bấm\")", "'=HYPERLINK(\"http://x\",\"bấm\")"),
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("-", "'-"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("=", "'="),
        ("'=1", "'=1"),  # already an apostrophe first: left alone, a spreadsheet shows it as text
        # a formula after either separator: live in a spreadsheet that splits there and ignores quotes
        ("x;=1+1;", "'x;=1+1;"),
        ("x,=1+1", "'x,=1+1"),
        ('a; "=1', "'a; \"=1"),
        ("a ;@SUM(A1)", "'a ;@SUM(A1)"),
        ("a,-1", "'a,-1"),
        # ordinary text
        ("Tỷ lệ dân số tham gia bảo hiểm y tế", "Tỷ lệ dân số tham gia bảo hiểm y tế"),
        ("", ""),
        ("1+1=2", "1+1=2"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("CT-NK-TA", "CT-NK-TA"),
        ("95,1", "95,1"),
        # not text: unchanged, so numbers stay numbers
        (95, 95),
        (-1, -1),
        (-1.5, -1.5),
        (D("-0.24"), D("-0.24")),
        (None, None),
        (True, True),
        (date(2022, 1, 17), date(2022, 1, 17)),
    ],
)
def test_safe_cell(value, expected):
    result = safe_cell(value)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    assert safe_cell(start + "cmd|' /C calc'!A0") == "'" + start + "cmd|' /C calc'!A0"


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


@pytest.mark.parametrize(
    "header, rows, expected",
    [
        (["code", "name"], [], [["code", "name"]]),
        (["code", "name"], [["10", "Bảo hiểm y tế"]], [["code", "name"], ["10", "Bảo hiểm y tế"]]),
        (["a", "b"], [["=1+1", "+1"], ["-1", "@SUM(A1)"]], [["a", "b"], ["'=1+1", "'+1"], ["'-1", "'@SUM(A1)"]]),
        (["=a", "b"], [], [["'=a", "b"]]),
        (["n", "x"], [[None, 95], [-1, D("-0.24")]], [["n", "x"], ["", "95"], ["-1", "-0.24"]]),
        (["text"], [["có, dấu phẩy"], ['có "ngoặc kép"'], ["hai\ndòng"]], [["text"], ["có, dấu phẩy"], ['có "ngoặc kép"'], ["hai\ndòng"]]),
        (["text"], [["=1,2"]], [["text"], ["'=1,2"]]),
    ],
)
def test_csv_text(header, rows, expected):
    assert read(csv_text(header, rows)) == expected


def test_csv_text_starts_with_a_bom_and_ends_lines_with_crlf():
    text = csv_text(["a", "b"], [["1", "2"], [3, 4]])
    assert text == '\ufeff"a","b"\r\n"1","2"\r\n3,4\r\n'


def test_csv_text_quotes_every_text_cell_and_no_number():
    text = csv_text(["a"], [['x,y'], ['say "hi"'], ["=x,y"], [95], [D("-0.24")]])
    assert text.splitlines()[1:] == ['"x,y"', '"say ""hi"""', "\"'=x,y\"", "95", "-0.24"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_field_is_a_formula_whichever_separator_the_spreadsheet_splits_on(delimiter):
    """A target named "x;=1+1;" must not become a live formula in a spreadsheet that splits on ";"
    (Vietnamese-locale Excel): every text cell is quoted, which spreadsheets honour whatever they split
    on, and starts with an apostrophe if it holds a formula after a separator."""
    names = ["x;=1+1;", "a,=HYPERLINK(1)", "b; +1", "c;@A1", "ok; 95,1"]
    text = csv_text(["name"], [[name] for name in names]).removeprefix("\ufeff")
    fields = [field for row in csv.reader(io.StringIO(text), delimiter=delimiter) for field in row]
    assert len(fields) == len(names) + 1  # each cell stays whole
    for field in fields:
        assert not field.startswith(("=", "+", "-", "@")), field


def test_csv_text_reads_rows_from_a_generator_once():
    rows = ([str(i), f"={i}"] for i in range(3))
    assert read(csv_text(["i", "f"], rows))[1:] == [["0", "'=0"], ["1", "'=1"], ["2", "'=2"]]
