"""Open an import file: an .xlsx/.xls/.ods workbook (python-calamine) or a UTF-8 CSV file.

Returns the sheets as header + rows of raw cells; nothing here knows what the cells mean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from nghiquyet.imports import xlsx_scan
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.numbers import PercentCell

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
csv.field_size_limit(1 << 24)  # a cell of up to 16 MB; the whole file is bounded by NGHIQUYET_IMPORT_MAX_BYTES


@dataclass
class RawSheet:
    name: str
    header: list[Any]
    rows: list[list[Any]]  # rows[i] is spreadsheet row i + 2 (row 1 is the header)
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column), 1-based: cells holding a formula
    merged: list[str] = field(default_factory=list)  # merged ranges ("A2:A5")


def read_file(path: Path, *, max_bytes: int, csv_sheet_name: str | None = None) -> list[RawSheet]:
    """Read every sheet of `path`. Raises Invalid for a missing, empty, huge or unreadable file."""
    if not path.is_file():
        raise Invalid(f"Không tìm thấy tệp {path}.", en=f"File {path} not found.")
    size = path.stat().st_size
    if size == 0:
        raise Invalid(f"Tệp {path.name} rỗng.", en=f"File {path.name} is empty.")
    if size > max_bytes:
        raise Invalid(
            f"Tệp {path.name} quá lớn ({size:,} byte; giới hạn {max_bytes:,} byte, đặt bằng NGHIQUYET_IMPORT_MAX_BYTES).".replace(",", "."),
            en=f"File {path.name} is too large ({size:,} bytes; the limit is {max_bytes:,}, set by NGHIQUYET_IMPORT_MAX_BYTES).",
        )
    with path.open("rb") as handle:
        head = handle.read(4)
    suffix = path.suffix.lower()
    if head in (ZIP_MAGIC, OLE_MAGIC) or suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path)
    if suffix not in {".csv", ".txt"}:
        raise Invalid(
            f"Tệp {path.name} không phải bảng tính (.xlsx) hay tệp CSV.",
            en=f"File {path.name} is neither a workbook (.xlsx) nor a CSV file.",
        )
    return [_read_csv(path, csv_sheet_name or path.stem)]


def _read_workbook(path: Path) -> list[RawSheet]:
    scans = xlsx_scan.scan(path)  # refuses, before opening, a sheet that reaches too far (xlsx)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            _check_size(path, name, sheet.height, sheet.width)  # .xls and .ods, which the scan does not read
            rows = _trim(sheet.to_python(skip_empty_area=False))
            scan = scans.get(name)
            if scan is not None and scan.percent_cells:
                _mark_percent_cells(rows, scan.percent_cells)
            if rows:
                sheets.append(RawSheet(name, list(rows[0]), [list(row) for row in rows[1:]],
                                       formulas=scan.formulas if scan else [], merged=scan.merged if scan else []))
    except Invalid:
        raise
    except Exception as error:  # calamine raises several exception types for a damaged file
        raise Invalid(
            f"Không đọc được bảng tính {path.name}: tệp hỏng hoặc không phải .xlsx ({type(error).__name__}).",
            en=f"Cannot read workbook {path.name}: damaged or not an .xlsx file ({type(error).__name__}).",
        ) from None
    if not sheets:
        raise Invalid(f"Bảng tính {path.name} không có dữ liệu.", en=f"Workbook {path.name} holds no data.")
    return sheets


def _check_size(path: Path, name: str, height: int, width: int) -> None:
    if height > xlsx_scan.MAX_ROWS or width > xlsx_scan.MAX_COLUMNS or height * width > xlsx_scan.MAX_CELLS:
        raise Invalid(
            f"Sheet {name} của {path.name} rộng {height:,} dòng × {width:,} cột, quá giới hạn {xlsx_scan.MAX_ROWS:,} dòng, "
            f"{xlsx_scan.MAX_COLUMNS} cột, {xlsx_scan.MAX_CELLS:,} ô.".replace(",", "."),
            en=f"Sheet {name} of {path.name} spans {height:,} rows × {width:,} columns, over the limits of {xlsx_scan.MAX_ROWS:,} "
            f"rows, {xlsx_scan.MAX_COLUMNS} columns, {xlsx_scan.MAX_CELLS:,} cells.",
        )


def _mark_percent_cells(rows: list[list[Any]], cells: set[tuple[int, int]]) -> None:
    """Number cells shown as percentages become PercentCell (lib.numbers); positions are 1-based and
    the rows start at A1 (skip_empty_area=False)."""
    for row, column in cells:
        if row <= len(rows) and column <= len(rows[row - 1]):
            value = rows[row - 1][column - 1]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                rows[row - 1][column - 1] = PercentCell(value)


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Drop fully blank rows at the end (Excel often keeps formatted empty rows)."""
    end = len(rows)
    while end and all(cell in ("", None) for cell in rows[end - 1]):
        end -= 1
    return rows[:end]


def _read_csv(path: Path, name: str) -> RawSheet:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Invalid(
            f"Tệp {path.name} không phải văn bản UTF-8 (byte lỗi ở vị trí {error.start}); hãy lưu CSV dạng UTF-8.",
            en=f"File {path.name} is not UTF-8 text (bad byte at {error.start}); save the CSV as UTF-8.",
        ) from None
    if "\x00" in text:
        raise Invalid(f"Tệp {path.name} không phải tệp CSV.", en=f"File {path.name} is not a CSV file.")
    dialect = _sniff(text)
    try:
        rows = _trim(list(csv.reader(io.StringIO(text, newline=""), dialect)))
    except csv.Error as error:
        raise Invalid(
            f"Tệp {path.name} không đọc được dạng CSV ({error}).", en=f"File {path.name} cannot be read as CSV ({error})."
        ) from None
    if not rows:
        raise Invalid(f"Tệp {path.name} không có dữ liệu.", en=f"File {path.name} holds no data.")
    return RawSheet(name, rows[0], rows[1:])


def _sniff(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Comma by default; a semicolon or tab when the header line clearly uses one (Excel in vi locale)."""
    first = text.split("\n", 1)[0]
    for delimiter in (";", "\t"):
        if first.count(delimiter) > first.count(","):

            class Custom(csv.excel):
                pass

            Custom.delimiter = delimiter
            return Custom
    return csv.excel


def iter_cells(sheet: RawSheet) -> Iterator[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells), skipping fully blank rows."""
    for index, row in enumerate(sheet.rows):
        if any(row) or any(cell not in ("", None) for cell in row):  # any(): the quick answer, zeros aside
            yield index + 2, row
