"""Import a workbook or CSV file: set up resolutions and fill in their figures, all or nothing.

Every row is checked; every problem is reported with its sheet, row and column; if there is any problem
nothing is written. Rows are upserted by their keys, so importing the same file twice changes nothing.
Org units, resolutions and targets (a few rows) go through the services one by one; plans and results
(up to millions of rows) are checked here with the same checks (targets.checks) and written in bulk.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from nghiquyet.audit.context import current_actor
from nghiquyet.audit.models import AuditEvent
from nghiquyet.audit.services import plain, record
from nghiquyet.imports.reader import RawSheet, iter_cells, read_file
from nghiquyet.imports.schema import KINDS, PLANS, SheetKind, header_map, kind_for_sheet
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.lib.periods import Period, PeriodError, parse_period, parse_term
from nghiquyet.lib.vnparse import fold, nfc, parse_milestone, parse_number
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import checks
from nghiquyet.targets import services as target_services
from nghiquyet.targets.models import Plan, Resolution, Result, ResultKind, ResultState, Target
from nghiquyet.targets.rules import Direction, ValueKind

MAX_PROBLEMS = 1000  # kept in full; beyond this only counted
APPROVED = ResultState.APPROVED.value  # imported figures come from the office that holds them: approved

# Where a service's field name differs from the import column that feeds it.
SERVICE_FIELD_COLUMNS = {"nearly_met_threshold": "nearly_met", "unit_type": "type", "is_key": "key_target"}

# What people write in the "kind" column of results.
RESULT_KIND_WORDS: dict[str, str] = {
    "": ResultKind.OFFICIAL,
    "official": ResultKind.OFFICIAL,
    "chính thức": ResultKind.OFFICIAL,
    "chinh thuc": ResultKind.OFFICIAL,
    "estimate": ResultKind.ESTIMATE,
    "ước": ResultKind.ESTIMATE,
    "uoc": ResultKind.ESTIMATE,
    "ước thực hiện": ResultKind.ESTIMATE,
    "ước tính": ResultKind.ESTIMATE,
}


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name, or the file's name for a problem with the whole file
    row: int | None
    column: str | None
    message: str
    english: str
    whole_file: bool = False

    def text(self, lang: str = "vi") -> str:
        """One line: the place, then the reason (a cell's line breaks would split it)."""
        en = lang == "en"
        where = ("file " if en else "tệp ") if self.whole_file else "sheet "
        parts = [
            f"{where}{self.sheet}",
            self.row and (f"row {self.row}" if en else f"dòng {self.row}"),
            self.column and (f"column {self.column}" if en else f"cột {self.column}"),
        ]
        place = ", ".join(part for part in parts if part)
        reason = self.english if en else self.message
        return f"{place}: {reason}".replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


@dataclass
class ImportReport:
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)  # (Vietnamese, English): skipped sheets and columns

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    @property
    def rows(self) -> int:
        return self.changes + sum(self.unchanged.values())

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def note_lines(self, lang: str = "vi") -> list[str]:
        return [english if lang == "en" else vietnamese for vietnamese, english in self.notes]

    def summary(self, lang: str = "vi") -> str:
        labels = {kind.key: (kind.title_vi.lower(), kind.key.replace("_", " ")) for kind in KINDS}
        parts = []
        for key, (vi, en) in labels.items():
            created, updated = self.created[key], self.updated[key]
            if created or updated:
                parts.append(f"{vi}: {created} mới, {updated} sửa" if lang != "en" else f"{en}: {created} new, {updated} changed")
        head = f"{self.changes} thay đổi" if lang != "en" else f"{self.changes} changes"
        if self.dry_run:
            head += " (chạy thử, chưa ghi)" if lang != "en" else " (dry run, nothing written)"
        return head + (f" — {'; '.join(parts)}" if parts else "") + "."


class Progress:
    """Told how many rows there are and how many are done; the CLI draws a bar, others ignore it."""

    def start(self, label: str, total: int) -> None: ...
    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


# --- cell readers -------------------------------------------------------------------------------------


def cell_text(cell: Any) -> str:
    if type(cell) is str:
        return cell.strip() if cell.isascii() else nfc(cell)
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return nfc(str(cell))


def cell_number(cell: Any, locale: str, column: str) -> tuple[Decimal, bool]:
    """(value, written with %). Numeric workbook cells are numbers already: a float is read at the 15
    significant digits a spreadsheet shows, so 0.1+0.2 computed in Excel is 0.3."""
    if isinstance(cell, (bool, date, datetime)):
        raise Invalid(f'"{cell}" không phải là số.', en=f'"{cell}" is not a number.', field=column)
    if isinstance(cell, int):
        return Decimal(cell), False
    if isinstance(cell, float):
        return Decimal(f"{cell:.15g}"), False
    parsed = parse_number(cell_text(cell), locale=locale, field=column)
    return parsed.value, parsed.percent


def cell_date(cell: Any, column: str) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid(
        f'Ngày "{text}" không hợp lệ; viết dạng 2025-07-01 hoặc 01/07/2025.',
        en=f'Date "{text}" is not valid; write 2025-07-01 or 01/07/2025.',
        field=column,
    )


def cell_bool(cell: Any, column: str) -> bool:
    return parse_milestone(cell_text(cell), field=column) == 1


def cell_int(cell: Any, column: str, locale: str) -> int | None:
    if cell_text(cell) == "":
        return None
    value, _ = cell_number(cell, locale, column)
    if value != value.to_integral_value():
        raise Invalid(f'"{cell}" không phải số nguyên.', en=f'"{cell}" is not a whole number.', field=column)
    return int(value)


def cell_term(cell: Any, column: str) -> tuple[int | None, int | None]:
    text = cell_text(cell)
    if not text:
        return None, None
    try:
        return parse_term(text)
    except PeriodError as error:
        raise Invalid(str(error), en=f'Term "{text}" is not valid; write 2020-2025.', field=column) from None


# --- sheets --------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A sheet whose kind is known and whose header is mapped to column keys."""

    name: str
    kind: SheetKind
    raw: RawSheet
    positions: dict[str, int]

    def rows(self) -> Iterable[tuple[int, dict[str, Any]]]:
        positions = self.positions.items()
        for number, cells in iter_cells(self.raw):
            yield number, {key: cells[index] if index < len(cells) else None for key, index in positions}


class Deferred(Exception):
    """A row refers to a row further down the same sheet; it is tried again after the others."""


class Importer:
    def __init__(
        self,
        *,
        locale: str = "vi",
        dry_run: bool = False,
        source: str = "",
        user: Any = None,
        progress: Progress | None = None,
    ) -> None:
        if locale not in ("vi", "en"):
            raise Invalid(f'Ngôn ngữ số "{locale}" không hỗ trợ; dùng vi hoặc en.', en=f'Unknown locale "{locale}"; use vi or en.')
        self.locale = locale
        self.report = ImportReport(dry_run=dry_run)
        self.source = source or current_actor().label
        self.user = user
        self.progress = progress or Progress()
        self._units: dict[str, list[OrgUnit]] | None = None
        self._seen: dict[str, dict[Any, tuple[str, int]]] = {}  # per kind: key → (sheet, row) first seen

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
        with transaction.atomic():
            for kind in KINDS:
                for item in (s for s in sheets if s.kind is kind):
                    self._load(item)
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

    def _load(self, sheet: Sheet) -> None:
        loader: Callable[[Sheet], None] = {
            "org_units": self._load_org_units,
            "resolutions": self._load_resolutions,
            "targets": self._load_targets,
            "plans": self._load_figures,
            "results": self._load_figures,
        }[sheet.kind.key]
        loader(sheet)

    def _problem(self, sheet: Sheet, row: int, error: DomainError, column: str | None = None) -> None:
        column = SERVICE_FIELD_COLUMNS.get(error.field or "", error.field) or column
        self.report.add(Problem(sheet.name, row, column, error.message, error.english))

    def _count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.report.created[kind] += 1
        elif changed:
            self.report.updated[kind] += 1
        else:
            self.report.unchanged[kind] += 1

    # Row by row through the services: org units, resolutions, targets ---------------------------------

    def _each_row(
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
                    self._problem(sheet, number, error)
            if len(waiting) == len(pending):
                for number, _, error in waiting:
                    self._problem(sheet, number, error)
                return
            pending = [(number, row) for number, row, _ in waiting]

    def _duplicate(self, sheet: Sheet, number: int, column: str, key: str, first: tuple[str, int]) -> None:
        first_sheet, first_row = first
        where_vi = f"dòng {first_row}" if first_sheet == sheet.name else f"sheet {first_sheet} dòng {first_row}"
        where_en = f"row {first_row}" if first_sheet == sheet.name else f"sheet {first_sheet} row {first_row}"
        self.report.add(
            Problem(sheet.name, number, column, f"Trùng khóa {key} với {where_vi}.", f"Duplicate key {key}: also on {where_en}.")
        )

    def _units_by_code(self) -> dict[str, list[OrgUnit]]:
        if self._units is None:
            units: dict[str, list[OrgUnit]] = defaultdict(list)
            for unit in OrgUnit.objects.all():
                units[unit.code].append(unit)
            self._units = units
        return self._units

    def _unit_at(
        self,
        code: str,
        *,
        period: Period | None = None,
        on: date | None = None,
        later: set[str] | None = None,
        column: str = "org_unit",
    ) -> OrgUnit:
        candidates = self._units_by_code().get(code, [])
        found = orgunit_services.pick_at(candidates, period=period, on=on)
        error = orgunit_services.resolution_error(code, found, bool(candidates), period=period, on=on)
        if error:
            error.field = column
            if later is not None and code in later:
                raise Deferred(error)
            raise error
        return found[0]

    def _load_org_units(self, sheet: Sheet) -> None:
        codes_in_sheet = {cell_text(row.get("code")) for _, row in sheet.rows()}
        present = sheet.positions

        def apply(row: dict[str, Any]) -> None:
            code = cell_text(row["code"])
            valid_from = cell_date(row.get("valid_from"), "valid_from")
            valid_to = cell_date(row.get("valid_to"), "valid_to")
            existing = next((u for u in self._units_by_code().get(code, []) if u.valid_from == valid_from), None)
            parent_code = cell_text(row.get("parent"))
            parent = existing.parent if existing and "parent" not in present else None
            if parent_code:
                parent = self._unit_at(parent_code, on=valid_from or valid_to or date.today(), later=codes_in_sheet, column="parent")
            predecessors: list[OrgUnit] | None = None
            if "predecessors" in present:
                names = [c.strip() for c in cell_text(row.get("predecessors")).replace(",", ";").split(";") if c.strip()]
                if names and valid_from is None:
                    raise Invalid(
                        "Đơn vị có tiền thân phải có ngày bắt đầu hiệu lực.",
                        en="A unit with predecessors needs valid_from.",
                        field="valid_from",
                    )
                predecessors = [
                    self._unit_at(name, on=date.fromordinal(valid_from.toordinal() - 1), later=codes_in_sheet, column="predecessors")
                    for name in names
                    if valid_from
                ]
            unit, changed = orgunit_services.save_org_unit(
                unit=existing,
                code=code,
                name=cell_text(row["name"]),
                parent=parent,
                level=cell_text(row["level"]) if "level" in present else (existing.level if existing else ""),
                unit_type=(cell_text(row["type"]).lower() or "territory") if "type" in present else (existing.unit_type if existing else "territory"),
                valid_from=valid_from,
                valid_to=valid_to if "valid_to" in present or existing is None else existing.valid_to,
                predecessors=predecessors if predecessors is not None else (existing.predecessors.all() if existing else ()),
            )
            if existing is None:
                self._units_by_code()[code].append(unit)
            self._count("org_units", existing is None, changed)

        self._each_row(sheet, ("code", "valid_from"), apply, key_column="code")
        self._units = None  # paths and spans may have changed: read again when next needed

    def _load_resolutions(self, sheet: Sheet) -> None:
        keys_in_sheet = {cell_text(row.get("key")) for _, row in sheet.rows()}
        present = sheet.positions

        def apply(row: dict[str, Any]) -> None:
            key = cell_text(row["key"])
            existing = Resolution.objects.filter(key=key).first()
            issued_on = cell_date(row.get("issued_on"), "issued_on") if "issued_on" in present else (existing.issued_on if existing else None)
            term = cell_term(row.get("term"), "term") if "term" in present else ((existing.term_start, existing.term_end) if existing else (None, None))
            unit_code = cell_text(row.get("org_unit"))
            if unit_code:
                if issued_on or not term[0]:
                    org_unit = self._unit_at(unit_code, on=issued_on or date.today())
                else:
                    org_unit = self._unit_at(unit_code, period=parse_period(f"{term[0]}-{term[1]}"))
            elif existing is not None:
                org_unit = existing.org_unit
            else:
                raise Invalid("Nghị quyết mới cần mã đơn vị chủ trì.", en="A new resolution needs an org_unit.", field="org_unit")
            parent = existing.parent if existing and "parent" not in present else None
            parent_key = cell_text(row.get("parent"))
            if parent_key:
                try:
                    parent = target_services.get_resolution(key=parent_key)
                except DomainError as error:
                    error.field = "parent"
                    if parent_key in keys_in_sheet:
                        raise Deferred(error) from None
                    raise
            nearly_met = None
            if "nearly_met" in present and cell_text(row.get("nearly_met")):
                nearly_met, _ = cell_number(row.get("nearly_met"), self.locale, "nearly_met")
            elif existing is not None and "nearly_met" not in present:
                nearly_met = existing.nearly_met_threshold
            _, changed = target_services.save_resolution(
                key=key,
                number=cell_text(row["number"]),
                title=cell_text(row["title"]),
                issuer=cell_text(row.get("issuer")) if "issuer" in present else (existing.issuer if existing else ""),
                issued_on=issued_on,
                term_start=term[0],
                term_end=term[1],
                org_unit=org_unit,
                parent=parent,
                nearly_met_threshold=nearly_met,
                notice=cell_text(row.get("notice")) if "notice" in present else (existing.notice if existing else ""),
            )
            self._count("resolutions", existing is None, changed)

        self._each_row(sheet, ("key",), apply, key_column="key")

    def _load_targets(self, sheet: Sheet) -> None:
        codes_in_sheet = {(cell_text(row.get("resolution")), cell_text(row.get("code"))) for _, row in sheet.rows()}
        present = sheet.positions
        resolutions: dict[str, Resolution] = {}

        def related(resolution: Resolution, column: str, row: dict[str, Any], existing: Target | None) -> Target | None:
            if column not in present:
                return getattr(existing, column) if existing else None
            code = cell_text(row.get(column))
            if not code:
                return None
            try:
                return target_services.get_target(resolution=resolution, code=code)
            except DomainError as error:
                error.field = column
                if (resolution.key, code) in codes_in_sheet:
                    raise Deferred(error) from None
                raise

        def optional(row: dict[str, Any], column: str, existing: Target | None, default: str) -> str:
            """A choice column: the cell when given, else what the target has, else the default."""
            if column in present and cell_text(row.get(column)):
                return cell_text(row.get(column)).lower()
            return getattr(existing, column) if existing else default

        def apply(row: dict[str, Any]) -> None:
            key = cell_text(row["resolution"])
            if key not in resolutions:
                resolutions[key] = target_services.get_resolution(key=key)
            resolution = resolutions[key]
            code = cell_text(row["code"])
            existing = resolution.targets.filter(code=code).first()
            is_key = cell_bool(row.get("key_target"), "key_target") if "key_target" in present else (existing.is_key if existing else False)
            decimals = cell_int(row.get("decimals"), "decimals", self.locale) if "decimals" in present else None
            if decimals is None:
                decimals = existing.decimals if existing else 0
            _, changed = target_services.save_target(
                resolution=resolution,
                code=code,
                name=cell_text(row["name"]),
                unit=cell_text(row.get("unit")) if "unit" in present else (existing.unit if existing else ""),
                direction=cell_text(row["direction"]).lower(),
                value_kind=optional(row, "value_kind", existing, ValueKind.COUNT),
                accumulation=optional(row, "accumulation", existing, "flow"),
                rollup=optional(row, "rollup", existing, "sum"),
                numerator=related(resolution, "numerator", row, existing),
                denominator=related(resolution, "denominator", row, existing),
                is_key=is_key,
                decimals=decimals,
            )
            self._count("targets", existing is None, changed)

        self._each_row(sheet, ("resolution", "code"), apply, key_column="code")

    # In bulk: plans and results -----------------------------------------------------------------------

    def _load_figures(self, sheet: Sheet) -> None:
        """Check every plan or result row and stream the new ones into the database's bulk path.

        Everything the checks need from the database (targets, units, the rows already stored) is read
        before the first write, so on PostgreSQL the rows flow into COPY while Python checks the next
        ones: the server maintains its indexes on one core while the checks run on the other. A problem
        anywhere stops nothing but the writing; the import's transaction is rolled back at the end.
        """
        is_plan = sheet.kind is PLANS
        model: type[Plan] | type[Result] = Plan if is_plan else Result
        kind_key = sheet.kind.key
        self.progress.start(f"{sheet.name}", len(sheet.raw.rows))
        at = sheet.positions
        i_res, i_target, i_unit, i_period, i_value = (at[c] for c in ("resolution", "target", "org_unit", "period", "value"))
        i_extra = at.get("value_max" if is_plan else "kind", -1)
        i_note = at.get("note", -1)

        width = max(at.values()) + 1  # short rows are padded to this, so cells are read by plain indexing

        def cell(row: list[Any], index: int) -> Any:
            return row[index] if 0 <= index < len(row) else None

        # Caches keyed by the raw cells: a million rows name a few targets, units and periods many times over.
        targets: dict[tuple[Any, Any], Target | DomainError] = {}
        for _, row in iter_cells(sheet.raw):
            pair = (cell(row, i_res), cell(row, i_target))
            if pair not in targets:
                try:
                    resolution = target_services.get_resolution(key=cell_text(pair[0]))
                    found = target_services.get_target(resolution=resolution, code=cell_text(pair[1]))
                    found.resolution = resolution
                    targets[pair] = found
                except DomainError as error:
                    targets[pair] = error
        self._units_by_code()
        existing = self._stored_figures(model, {t.id for t in targets.values() if isinstance(t, Target)})

        cells: dict[tuple[int, Any, Any], tuple[OrgUnit, Period] | DomainError] = {}
        kinds: dict[Any, str | DomainError] = {}
        periods: dict[str, Period | DomainError] = {}
        seen = self._seen.setdefault(kind_key, {})

        def lookup_period(text: str) -> Period:
            if text not in periods:
                try:
                    periods[text] = parse_period(text)
                except PeriodError as error:
                    periods[text] = Invalid(str(error), en=f'Period "{text}" is not valid.', field="period")
            found = periods[text]
            if isinstance(found, DomainError):
                raise found
            return found

        def lookup_cell(target: Target, unit_cell: Any, period_cell: Any) -> tuple[OrgUnit, Period]:
            """The period, and the unit the code names at that period, checked against the term."""
            key = (target.resolution_id, unit_cell, period_cell)
            found = cells.get(key)
            if found is None:
                try:
                    period = lookup_period(cell_text(period_cell))
                    checks.check_period_in_term(target.resolution, period)
                    unit = self._unit_at(cell_text(unit_cell), period=period)
                    checks.check_unit_valid_in(unit, period)
                    found = (unit, period)
                except DomainError as error:
                    found = error
                cells[key] = found
            if isinstance(found, DomainError):
                raise found
            return found

        def lookup_kind(raw: Any) -> str:
            found = kinds.get(raw)
            if found is None:
                word = cell_text(raw).lower()
                found = RESULT_KIND_WORDS.get(word) or Invalid(
                    f'Loại số liệu "{word}" không hợp lệ; dùng estimate (ước) hoặc official (chính thức).',
                    en=f'Unknown result kind "{word}"; use estimate or official.',
                    field="kind",
                )
                kinds[raw] = found
            if isinstance(found, DomainError):
                raise found
            return found

        def figure(target: Target, raw: Any, column: str) -> Decimal:
            if target.direction == Direction.MILESTONE:
                return parse_milestone(cell_text(raw), field=column)
            value, percent = cell_number(raw, self.locale, column)
            if percent and target.value_kind != ValueKind.PERCENT:
                raise Invalid(
                    f'Dấu % chỉ dùng cho chỉ tiêu tỷ lệ; chỉ tiêu {target.code} tính bằng "{target.unit}".',
                    en=f'"%" is only for percent targets; target {target.code} is measured in "{target.unit}".',
                    field=column,
                )
            return value

        ops = connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        dates: dict[date, Any] = {}
        user_id = getattr(self.user, "pk", None)
        updates: list[tuple[Any, ...]] = []
        counts = self.report

        def adapt(day: date) -> Any:
            if day not in dates:
                dates[day] = ops.adapt_datefield_value(day)
            return dates[day]

        def new_rows() -> Iterator[tuple[Any, ...]]:
            """Check each row; yield it for insertion if new, queue it if changed, count it if the same."""
            for number, row in iter_cells(sheet.raw):
                if number % 10000 == 0:
                    self.progress.advance(10000)
                if len(row) < width:
                    row = row + [None] * (width - len(row))
                try:
                    target = targets[(row[i_res], row[i_target])]
                    if isinstance(target, DomainError):
                        raise target
                    unit, period = lookup_cell(target, row[i_unit], row[i_period])
                    raw_value = row[i_value]
                    if target.direction != Direction.MILESTONE and cell_text(raw_value) == "":
                        raise Invalid("Thiếu giá trị.", en="The value is missing.", field="value")
                    value = figure(target, raw_value, "value")
                    raw_extra = row[i_extra] if i_extra >= 0 else None
                    if is_plan:
                        if i_extra < 0:  # no value_max column: keep what is stored
                            stored = existing.get((target.id, unit.id, period.code, ""))
                            extra = stored[2] if stored else None
                        else:
                            extra = figure(target, raw_extra, "value_max") if cell_text(raw_extra) else None
                        checks.check_plan_values(target.direction, value, extra)
                        kind = ""
                    else:
                        kind = lookup_kind(raw_extra)
                        checks.check_result_value(target.direction, value)
                    key = (target.id, unit.id, period.code, kind)
                    if key in seen:
                        first_sheet, first_row = seen[key]
                        same = first_sheet == sheet.name
                        raise Invalid(
                            f"Trùng với {'' if same else f'sheet {first_sheet} '}dòng {first_row} "
                            f"(cùng chỉ tiêu, đơn vị, kỳ{'' if is_plan else ', loại số liệu'}).",
                            en=f"Duplicate of {'' if same else f'sheet {first_sheet} '}row {first_row} "
                            f"(same target, unit, period{'' if is_plan else ', kind'}).",
                            field="target",
                        )
                    seen[key] = (sheet.name, number)
                except DomainError as error:
                    self._problem(sheet, number, error)
                    continue
                before = existing.get(key)
                if is_plan:
                    if before is None:
                        counts.created[kind_key] += 1
                        yield (target.id, unit.id, period.code, adapt(period.start), adapt(period.end), value, extra, now, now)
                    elif before[1] != value or before[2] != extra:
                        counts.updated[kind_key] += 1
                        updates.append((value, extra, now, before[0]))
                    else:
                        counts.unchanged[kind_key] += 1
                    continue
                note = cell_text(row[i_note]) if i_note >= 0 else (before[2] if before else "")
                if "\x00" in note:
                    self._problem(sheet, number, Invalid("Ghi chú chứa ký tự NUL (mã 0).", en="The note contains a NUL character.", field="note"))
                    continue
                if before is None:
                    counts.created[kind_key] += 1
                    yield (target.id, unit.id, period.code, adapt(period.start), adapt(period.end), value,
                           kind, APPROVED, note, user_id, self.source, now, now)
                elif before[1] != value or before[2] != note:
                    counts.updated[kind_key] += 1
                    updates.append((value, note, APPROVED, user_id, self.source, now, before[0]))
                else:
                    counts.unchanged[kind_key] += 1

        if is_plan:
            columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "value_max",
                       "created_at", "updated_at"]
            update_columns = ["value", "value_max", "updated_at"]
        else:
            columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "kind", "state", "note",
                       "recorded_by_id", "source", "created_at", "updated_at"]
            update_columns = ["value", "note", "state", "recorded_by_id", "source", "updated_at"]
        rows = new_rows()
        if self.report.ok:
            target_services.bulk_write(model=model, columns=columns, inserts=_while_ok(rows, self.report))
        for _ in rows:  # after a problem: keep checking, to report every problem, but write nothing more
            pass
        if self.report.ok and updates:
            target_services.bulk_write(model=model, columns=columns, update_columns=update_columns, updates=updates)
            self._audit_updates(model, updates, existing_by_id={before[0]: before for before in existing.values()})
        self.progress.finish()

    def _audit_updates(self, model: type[Plan] | type[Result], updates: list[tuple[Any, ...]], *, existing_by_id: dict[int, tuple[int, Decimal, Any]]) -> None:
        """One audit event per changed plan or result, old and new values side by side. New rows are
        covered by the import's own event (file name, checksum, counts): the file holds their values."""
        second = "value_max" if model is Plan else "note"
        actor = current_actor()
        units = dict(model.objects.filter(pk__in=[row[-1] for row in updates]).values_list("pk", "org_unit_id"))
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    user=actor.user, actor=actor.label, via=actor.via, ip=actor.ip, action="update",
                    object_type=model._meta.label_lower, object_id=str(row[-1]), org_unit_id=units.get(row[-1]),
                    summary="import",
                    old={"value": plain(existing_by_id[row[-1]][1]), second: plain(existing_by_id[row[-1]][2])},
                    new={"value": plain(row[0]), second: plain(row[1])},
                )
                for row in updates
            ],
            batch_size=2000,
        )

    def _stored_figures(self, model: type[Plan] | type[Result], target_ids: set[int]) -> dict[tuple[int, int, str, str], tuple[int, Decimal, Any]]:
        """The stored rows of these targets: key → (id, value, value_max or note)."""
        stored: dict[tuple[int, int, str, str], tuple[int, Decimal, Any]] = {}
        if model is Plan:
            for pk, target_id, unit_id, period, value, value_max in Plan.objects.filter(target_id__in=target_ids).values_list(
                "id", "target_id", "org_unit_id", "period", "value", "value_max"
            ).iterator(chunk_size=20000):
                stored[(target_id, unit_id, period, "")] = (pk, value, value_max)
        else:
            for pk, target_id, unit_id, period, kind, value, note in Result.objects.filter(target_id__in=target_ids).values_list(
                "id", "target_id", "org_unit_id", "period", "kind", "value", "note"
            ).iterator(chunk_size=20000):
                stored[(target_id, unit_id, period, kind)] = (pk, value, note)
        return stored


def _while_ok(rows: Iterator[tuple[Any, ...]], report: ImportReport) -> Iterator[tuple[Any, ...]]:
    """Pass rows on until the first problem; the rest are only checked."""
    for row in rows:
        if not report.ok:
            return
        yield row


def import_file(
    path: Path | str,
    *,
    dry_run: bool = False,
    locale: str = "vi",
    sheet: str | None = None,
    source: str = "",
    user: Any = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import `path`; read the report's `ok`, `problems` and `summary()`. Nothing is written unless ok."""
    importer = Importer(locale=locale, dry_run=dry_run, source=source, user=user, progress=progress)
    return importer.run(Path(path), sheet=sheet)
