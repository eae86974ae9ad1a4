"""A look inside an .xlsx/.xlsm before it is opened: how far its cells reach, which cells are formatted
as percentages, which hold formulas and which are merged.

The workbook reader (calamine) lays every sheet out as a full grid from A1 to the last cell: one cell
at XFD1048576 asks for 17 billion cells and aborts the process; one at row 200.000, column 500 takes
gigabytes. So the zip's declared sizes and every cell reference of every sheet are read first, as a
stream, and a workbook beyond the limits is refused with a message before it is opened.

Percent cells: a spreadsheet stores 12,5% as 0.125 and shows "12,5%". The reader hands such cells on
as `PercentCell`, so a figure is taken as the person typed it (lib: figures.values).

Formulas and merged cells: the reader would take a formula's last computed value (none at all in a file
written by a program) and a merged range's value in its first cell only. The import refuses both, naming
the cells, rather than guess what the person meant.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nghiquyet.lib.errors import Invalid

MAX_ROWS = 1_100_000  # a sheet of Excel holds 1.048.576
MAX_COLUMNS = 200  # the widest import sheet has a dozen; room for notes and helper columns
MAX_CELLS = 12_000_000  # rows × columns of the grid the reader will lay out
MAX_UNCOMPRESSED = 1_000_000_000  # bytes inside the zip: a zip bomb is refused before it is read
CHUNK = 1 << 20

_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')
_STYLE = re.compile(rb'\bs="([0-9]+)"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_REF_LETTERS = re.compile(rb'\br="([A-Z]{1,3})[0-9]')  # a cell's reference (a row's r is digits only)
_REF_ROWS = re.compile(rb'\br="[A-Z]{1,3}([0-9]{1,7})"')
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>\s*<(?:\w+:)?f\b')
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')
KEEP_CELLS = 1000  # formula cells and merged ranges kept per sheet, to report
_F_TAG = re.compile(rb"<(?:\w+:)?f\b")  # a formula, with or without a namespace prefix ("<x:f>")
_CELL_START = re.compile(rb"<(?:\w+:)?c[\s>/]")
BUILTIN_PERCENT_FORMATS = {9, 10}  # 0% and 0.00%


@dataclass
class SheetScan:
    rows: int = 0  # the last row holding a cell (1-based)
    columns: int = 0  # the last column holding a cell (1-based)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column) of cells holding a formula
    merged: list[str] = field(default_factory=list)  # merged ranges, "A2:A5"


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def scan(path: Path) -> dict[str, SheetScan]:
    """The reach and percent cells of each sheet of an .xlsx/.xlsm, by sheet name; Invalid when the
    workbook asks for more than the reader may lay out. Not a zip: {} (another reader's format)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return {}
    with archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED:
            raise Invalid(
                f"Bảng tính {path.name} giải nén ra {total:,} byte, quá giới hạn {MAX_UNCOMPRESSED:,}: không mở.".replace(",", "."),
                en=f"Workbook {path.name} unpacks to {total:,} bytes, over the limit of {MAX_UNCOMPRESSED:,}: not opened.",
            )
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            return {}
        percent_styles = _percent_styles(archive.read("xl/styles.xml") if "xl/styles.xml" in names else b"")
        found = {}
        for name, part in _sheet_parts(archive, names):
            sheet = _scan_sheet(archive, part, percent_styles)
            _check_reach(path, name, sheet)
            found[name] = sheet
        return found


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(sheet name, its part in the zip), from the workbook and its relationships."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    targets = {m.group(1): m.group(2) for m in re.finditer(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', rels)}
    targets |= {m.group(2): m.group(1) for m in re.finditer(rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"', rels)}
    parts = []
    for match in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attributes = match.group(1)
        name = re.search(rb'\bname="([^"]*)"', attributes)
        rid = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', attributes)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2))
        if target is None:
            continue
        text = target.decode("utf-8", "replace")
        part = text.lstrip("/") if text.startswith("/") else str(PurePosixPath("xl") / text)
        if part in names:
            parts.append((_unescape(name.group(1).decode("utf-8", "replace")), part))
    return parts


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def _percent_styles(styles: bytes) -> set[int]:
    """The cell style indexes (cellXfs) whose number format shows a percentage."""
    custom = {int(m.group(1)) for m in re.finditer(rb'<(?:\w+:)?numFmt\b[^>]*?\bnumFmtId="([0-9]+)"[^>]*?\bformatCode="([^"]*)"', styles)
              if _percent_code(m.group(2))}
    percent_formats = BUILTIN_PERCENT_FORMATS | custom
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
    if not xfs:
        return set()
    found = set()
    for index, xf in enumerate(re.finditer(rb"<(?:\w+:)?xf\b([^>]*)>", xfs.group(1))):
        number_format = re.search(rb'\bnumFmtId="([0-9]+)"', xf.group(1))
        if number_format and int(number_format.group(1)) in percent_formats:
            found.add(index)
    return found


def _percent_code(code: bytes) -> bool:
    """A format code shows a percentage when a "%" stands outside quoted text and is not escaped."""
    text = code.decode("utf-8", "replace").replace("&quot;", '"')
    outside = "".join(part for n, part in enumerate(text.split('"')) if n % 2 == 0)
    return "%" in outside.replace("\\%", "")


def _scan_sheet(archive: zipfile.ZipFile, part: str, percent_styles: set[int]) -> SheetScan:
    sheet = SheetScan()
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            # keep the last cell (its formula may follow in the next chunk) and any incomplete tag
            cut = _last_cell_start(data)
            if cut <= 0:
                cut = data.rfind(b"<")
            data, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            _scan_part(sheet, data, percent_styles)
            if sheet.rows > MAX_ROWS or sheet.columns > MAX_COLUMNS:
                return sheet  # already too far: no need to read on
    _scan_part(sheet, tail, percent_styles)
    return sheet


def _last_cell_start(data: bytes) -> int:
    """Where the last cell element begins (prefixed or not), looking at the chunk's end only; -1 if none."""
    last = -1
    for match in _CELL_START.finditer(data, max(0, len(data) - 65536)):
        last = match.start()
    return last


def _scan_part(sheet: SheetScan, data: bytes, percent_styles: set[int]) -> None:
    rows = _ROW.findall(data)
    if rows:
        sheet.rows = max(sheet.rows, max(map(int, rows)))
    if not percent_styles:  # the reach only, by two plain passes: every cell's column letters, every cell's row
        letters = set(_REF_LETTERS.findall(data))
        if letters:
            sheet.columns = max(sheet.columns, max(map(column_number, letters)))
        rows = _REF_ROWS.findall(data)  # a crafted file may put a far cell under a near <row>: read them all
        if rows:
            sheet.rows = max(sheet.rows, max(map(int, rows)))
    for match in (_CELL.finditer(data) if percent_styles else ()):
        row, column = int(match.group(2)), column_number(match.group(1))
        if row > sheet.rows:
            sheet.rows = row
        if column > sheet.columns:
            sheet.columns = column
        if percent_styles:
            style = _STYLE.search(match.group(3))
            kind = _TYPE.search(match.group(3))
            if style and int(style.group(1)) in percent_styles and (kind is None or kind.group(1) == b"n"):
                sheet.percent_cells.add((row, column))
    if len(sheet.formulas) < KEEP_CELLS and _F_TAG.search(data):
        sheet.formulas += [(int(m.group(2)), column_number(m.group(1))) for m in _FORMULA.finditer(data)][:KEEP_CELLS]
    if len(sheet.merged) < KEEP_CELLS and b"mergeCell" in data:
        sheet.merged += [m.group(1).decode() for m in _MERGED.finditer(data)][: KEEP_CELLS - len(sheet.merged)]


def _check_reach(path: Path, name: str, sheet: SheetScan) -> None:
    corner = f"{column_letters(sheet.columns)}{sheet.rows}"
    if sheet.rows > MAX_ROWS or sheet.columns > MAX_COLUMNS or sheet.rows * sheet.columns > MAX_CELLS:
        raise Invalid(
            f"Sheet {name} của {path.name} có ô tới tận {corner} ({sheet.rows:,} dòng × {sheet.columns:,} cột), quá giới hạn "
            f"{MAX_ROWS:,} dòng, {MAX_COLUMNS} cột, {MAX_CELLS:,} ô: không mở. Xóa các ô thừa ở xa rồi lưu lại.".replace(",", "."),
            en=f"Sheet {name} of {path.name} has a cell as far as {corner} ({sheet.rows:,} rows × {sheet.columns:,} columns), over the "
            f"limits of {MAX_ROWS:,} rows, {MAX_COLUMNS} columns, {MAX_CELLS:,} cells: not opened. Delete the stray far cells and save again.",
        )
