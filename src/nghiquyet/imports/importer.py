"""Import a workbook or CSV file: set up resolutions and fill in their figures, all or nothing.

Every row is checked; every problem is reported with its sheet, row and column; if there is any problem
nothing is written. Rows are upserted by their keys, so importing the same file twice changes nothing.
This module reads the file, recognises its sheets and runs one loader per sheet kind (imports.loaders):
org units, resolutions and targets row by row through their services, plans and results in one call of
the figure-write service (figures.writes), which checks them as every other road does.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from nghiquyet.audit.context import current_actor
from nghiquyet.audit.services import record
from nghiquyet.figures.writes import Writer
from nghiquyet.imports.cells import cell_text
from nghiquyet.imports.loaders import figures, org_units, resolutions, targets
from nghiquyet.imports.reader import RawSheet, read_file
from nghiquyet.imports.report import ImportReport, Problem, Progress
from nghiquyet.imports.schema import KINDS, PLANS, RESULTS, SheetKind, header_map, kind_for_sheet
from nghiquyet.imports.sheets import Deferred, Sheet
from nghiquyet.imports.xlsx_scan import column_letters, column_number
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.vnparse import fold
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit

# Where a service's field name differs from the import column that feeds it.
SERVICE_FIELD_COLUMNS = {"nearly_met_threshold": "nearly_met", "unit_type": "type", "is_key": "key_target"}
INSTRUCTION_SHEETS = {"huong dan", "instructions"}
ROW_LOADERS = {"org_units": org_units.load, "resolutions": resolutions.load, "targets": targets.load}


class Importer:
    def __init__(
        self,
        *,
        locale: str = "vi",
        dry_run: bool = False,
        source: str = "",
        user: Any = None,
        trusted: bool = True,
        progress: Progress | None = None,
    ) -> None:
        if locale not in ("vi", "en"):
            raise Invalid(f'Ngôn ngữ số "{locale}" không hỗ trợ; dùng vi hoặc en.', en=f'Unknown locale "{locale}"; use vi or en.')
        self.locale = locale
        self.report = ImportReport(dry_run=dry_run)
        # The command line and a system administrator's import are trusted: figures arrive approved. An
        # upload by a person (trusted=False) writes drafts where that person's roles allow, as typed in.
        self.writer = Writer(user=user, trusted=trusted, source=source or ("" if user is not None else current_actor().label))
        self.progress = progress or Progress()
        self._units: dict[str, list[OrgUnit]] | None = None
        self._seen: dict[str, dict[Any, tuple[str, int]]] = {}  # per kind: key → (sheet, row) first seen
        self.source = self.writer.source

    # The entry point ----------------------------------------------------------------------------------

    def run(self, path: Path, *, sheet: str | None = None) -> ImportReport:
        try:
            raw_sheets = read_file(path, max_bytes=settings.NGHIQUYET_IMPORT_MAX_BYTES, csv_sheet_name=sheet)
        except DomainError as error:
            self.report.add(Problem(path.name, None, None, error.message, error.english, whole_file=True))
            return self.report
        sheets = self._recognise(raw_sheets, path, sheet)
        if not self.report.ok:
            return self.report
        for item in sheets:  # refused, but every other row is still checked: all problems in one go
            self._cells_to_refuse(item.raw, item.positions)
        with transaction.atomic():
            for kind in KINDS:
                of_kind = [s for s in sheets if s.kind is kind]
                if kind in (PLANS, RESULTS) and of_kind:
                    figures.load(self, of_kind)
                    continue
                for item in of_kind:
                    ROW_LOADERS[kind.key](self, item)
            if self.report.ok and self.report.changes:
                record(
                    "import",
                    object_type="file",
                    object_id=path.name[:64],
                    summary=f"{path.name}: {self.report.summary()}",
                    new={
                        "file": path.name,
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                        "created": dict(self.report.created),
                        "updated": dict(self.report.updated),
                    },
                )
            if not self.report.ok or self.report.dry_run:
                transaction.set_rollback(True)
        if not self.report.ok:
            self.report.created.clear()
            self.report.updated.clear()
            self.report.unchanged.clear()
        return self.report

    def _recognise(self, raw_sheets: list[RawSheet], path: Path, wanted: str | None) -> list[Sheet]:
        is_csv = len(raw_sheets) == 1 and raw_sheets[0].name in {wanted, path.stem}
        sheets: list[Sheet] = []
        for raw in raw_sheets:
            if wanted and not is_csv and raw.name != wanted:
                continue
            kind = kind_for_sheet(raw.name)
            if kind is None and fold(raw.name) in INSTRUCTION_SHEETS:
                continue  # a template's own instructions: nothing to say about them
            if kind is None:
                if is_csv:
                    self.report.add(
                        Problem(
                            raw.name,
                            None,
                            None,
                            f'Không biết tệp CSV này chứa loại dữ liệu nào; chỉ rõ bằng --sheet '
                            f'({", ".join(k.key for k in KINDS)}).',
                            f'Cannot tell what this CSV file holds; name it with --sheet ({", ".join(k.key for k in KINDS)}).',
                        )
                    )
                else:
                    self.report.notes.append(
                        (f'Bỏ qua sheet "{raw.name}": không phải loại dữ liệu nhập.', f'Skipped sheet "{raw.name}": not a kind of data.')
                    )
                continue
            if not self.writer.trusted and kind not in (PLANS, RESULTS):
                self.report.add(
                    Problem(
                        raw.name,
                        None,
                        None,
                        f"Tải lên trên web chỉ nhận sheet kế hoạch và kết quả; {kind.title_vi.lower()} được thiết lập bằng "
                        "lệnh nghiquyet import hoặc API.",
                        f"Uploads take plans and results sheets only; {kind.key.replace('_', ' ')} are set up with "
                        "the nghiquyet import command or the API.",
                    )
                )
                continue
            mapped = self._map_header(raw, kind)
            if mapped is not None:
                sheets.append(Sheet(raw.name, kind, raw, mapped))
        if wanted and not is_csv and not any(s.raw.name == wanted for s in sheets) and self.report.ok:
            self.report.add(
                Problem(path.name, None, None, f'Không có sheet "{wanted}" nào nhập được.', f'No importable sheet "{wanted}".', whole_file=True)
            )
        elif not sheets and self.report.ok:
            self.report.add(
                Problem(
                    path.name,
                    None,
                    None,
                    f'Không có sheet nào mang tên loại dữ liệu ({", ".join(k.key for k in KINDS)}).',
                    f'No sheet is named after a kind of data ({", ".join(k.key for k in KINDS)}).',
                    whole_file=True,
                )
            )
        return sheets

    def _cells_to_refuse(self, raw: RawSheet, positions: dict[str, int]) -> None:
        for problem in refused_cells(raw, positions):
            self.report.add(problem)

    def _map_header(self, raw: RawSheet, kind: SheetKind) -> dict[str, int] | None:
        known = header_map(kind)
        positions: dict[str, int] = {}
        for index, cell in enumerate(raw.header):
            text = cell_text(cell)
            if not text:
                continue
            key = known.get(fold(text))
            if key is None:
                self.report.notes.append(
                    (
                        f'Sheet {raw.name}: bỏ qua cột "{text}" (không thuộc định dạng nhập).',
                        f'Sheet {raw.name}: skipped column "{text}" (not part of the format).',
                    )
                )
                continue
            if key in positions:
                self.report.add(
                    Problem(raw.name, 1, text, f'Hai cột cùng là "{key}".', f'Two columns both mean "{key}".')
                )
                return None
            positions[key] = index
        missing = [column.key for column in kind.columns if column.required and column.key not in positions]
        if missing:
            self.report.add(
                Problem(
                    raw.name,
                    1,
                    None,
                    f"Thiếu cột bắt buộc: {', '.join(missing)}.",
                    f"Missing required columns: {', '.join(missing)}.",
                )
            )
            return None
        return positions

    def problem(self, sheet: Sheet, row: int, error: DomainError, column: str | None = None) -> None:
        column = SERVICE_FIELD_COLUMNS.get(error.field or "", error.field) or column
        self.report.add(Problem(sheet.name, row, column, error.message, error.english))

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.report.created[kind] += 1
        elif changed:
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1

    def each_row(
        self, sheet: Sheet, key_columns: tuple[str, ...], apply: Callable[[dict[str, Any]], None], *, key_column: str
    ) -> None:
        """Apply every row, each in a savepoint; rows that wait for a later row are retried until no
        more progress is made. A key given twice in the file (on any sheet of the kind) is a problem,
        reported in `key_column`."""
        seen = self._seen.setdefault(sheet.kind.key, {})
        pending: list[tuple[int, dict[str, Any]]] = []
        for number, row in sheet.rows():
            key = tuple(cell_text(row.get(column)) for column in key_columns)
            if key in seen:
                self._duplicate(sheet, number, key_column, " / ".join(key), seen[key])
                continue
            seen[key] = (sheet.name, number)
            pending.append((number, row))
        while pending:
            waiting: list[tuple[int, dict[str, Any], DomainError]] = []
            for number, row in pending:
                try:
                    with transaction.atomic():
                        apply(row)
                except Deferred as deferred:
                    waiting.append((number, row, deferred.args[0]))
                except DomainError as error:
                    self.problem(sheet, number, error)
            if len(waiting) == len(pending):
                for number, _, error in waiting:
                    self.problem(sheet, number, error)
                return
            pending = [(number, row) for number, row, _ in waiting]

    def _duplicate(self, sheet: Sheet, number: int, column: str, key: str, first: tuple[str, int]) -> None:
        first_sheet, first_row = first
        where_vi = f"dòng {first_row}" if first_sheet == sheet.name else f"sheet {first_sheet} dòng {first_row}"
        where_en = f"row {first_row}" if first_sheet == sheet.name else f"sheet {first_sheet} row {first_row}"
        self.report.add(
            Problem(sheet.name, number, column, f"Trùng khóa {key} với {where_vi}.", f"Duplicate key {key}: also on {where_en}.")
        )

    def units_by_code(self) -> dict[str, list[OrgUnit]]:
        if self._units is None:
            units: dict[str, list[OrgUnit]] = defaultdict(list)
            for unit in OrgUnit.objects.all():
                units[unit.code].append(unit)
            self._units = units
        return self._units

    def unit_at(
        self,
        code: str,
        *,
        period: Period | None = None,
        on: date | None = None,
        later: set[str] | None = None,
        column: str = "org_unit",
    ) -> OrgUnit:
        candidates = self.units_by_code().get(code, [])
        found = orgunit_services.pick_at(candidates, period=period, on=on)
        error = orgunit_services.resolution_error(code, found, bool(candidates), period=period, on=on)
        if error:
            error.field = column
            if later is not None and code in later:
                raise Deferred(error)
            raise error
        return found[0]

    def forget_units(self) -> None:
        """Paths and spans may have changed: read the units again when next needed."""
        self._units = None



def import_file(
    path: Path | str,
    *,
    dry_run: bool = False,
    locale: str = "vi",
    sheet: str | None = None,
    source: str = "",
    user: Any = None,
    trusted: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import `path`; read the report's `ok`, `problems` and `summary()`. Nothing is written unless ok."""
    importer = Importer(locale=locale, dry_run=dry_run, source=source, user=user, trusted=trusted, progress=progress)
    return importer.run(Path(path), sheet=sheet)


def refused_cells(raw: RawSheet, positions: dict[str, int]) -> list[Problem]:
    """Formulas and merged cells in a sheet that is read: each a problem at its place (imports.xlsx_scan), the
    column named by its key where `positions` (key → 0-based index) knows it."""
    names = {index + 1: key for key, index in positions.items()}
    problems = []
    for row, column in raw.formulas:
        ref = f"{column_letters(column)}{row}"
        problems.append(Problem(
            raw.name, row, names.get(column, column_letters(column)),
            f"Ô {ref} chứa công thức: ghi giá trị thay cho công thức (sao chép, rồi Dán đặc biệt → Chỉ giá trị).",
            f"Cell {ref} holds a formula: write the value instead (copy, then Paste special → Values only).",
        ))
    for merged in raw.merged:
        first = merged.split(":")[0]
        row = int("".join(ch for ch in first if ch.isdigit()))
        column = column_number(first.rstrip("0123456789").encode())
        problems.append(Problem(
            raw.name, row, names.get(column, column_letters(column)),
            f"Các ô {merged} đang gộp: bỏ gộp ô và ghi giá trị vào từng dòng.",
            f"Cells {merged} are merged: unmerge them and write the value on every row.",
        ))
    return problems
