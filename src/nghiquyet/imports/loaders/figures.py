"""The plans and results sheets: every row is named (target by resolution key and code, unit by its code
at the row's period) and handed to the figure-write service, which checks and writes it. All sheets of
one kind go through one write, so a figure given twice is found across sheets too."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from nghiquyet.figures import writes
from nghiquyet.figures.batch import KEEP, Duplicate, Entry, Unresolved
from nghiquyet.imports.cells import cell_text
from nghiquyet.imports.schema import PLANS
from nghiquyet.imports.sheets import Sheet
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.lib.periods import Period, PeriodError, parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import services
from nghiquyet.targets.models import Plan, Result, ResultKind, Target

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

if TYPE_CHECKING:
    from nghiquyet.imports.importer import Importer


def load(importer: Importer, sheets: list[Sheet]) -> None:
    """Write the figures of these sheets (all plans or all results) in one call of the write service."""
    kind = sheets[0].kind
    model = Plan if kind is PLANS else Result
    names = _Names(importer)
    targets = names.targets(sheets)
    importer.units_by_code()  # read now: nothing may query the connection while rows stream into COPY
    report = importer.report

    def problem(ref: tuple[Sheet, int], error: DomainError) -> None:
        sheet, number = ref
        if isinstance(error, Duplicate):
            first_sheet, first_row = error.first
            same = first_sheet is sheet
            what_vi, what_en = ("", "") if model is Plan else (", loại số liệu", ", kind")
            error = Invalid(
                f"Trùng với {'' if same else f'sheet {first_sheet.name} '}dòng {first_row} (cùng chỉ tiêu, đơn vị, kỳ{what_vi}).",
                en=f"Duplicate of {'' if same else f'sheet {first_sheet.name} '}row {first_row} (same target, unit, period{what_en}).",
                field="target",
            )
        importer.problem(sheet, number, error)

    for sheet in sheets:
        importer.progress.start(sheet.name, len(sheet.raw.rows))
    counts = writes.write_figures(
        model=model,
        entries=_entries(importer, sheets, names, targets),
        writer=importer.writer,
        locale=importer.locale,
        stored_for=[t for t in targets.values() if isinstance(t, Target)],
        on_problem=problem,
        audit_creations=False,  # the import's own event covers the new rows (docs/decisions/0008)
    )
    report.created[kind.key] += counts.created
    report.updated[kind.key] += counts.updated
    report.unchanged[kind.key] += counts.unchanged
    importer.progress.finish()


def _entries(importer: Importer, sheets: list[Sheet], names: _Names, targets: dict) -> Iterator[Entry | Unresolved]:
    for sheet in sheets:
        at = sheet.positions
        is_plan = sheet.kind is PLANS
        i_res, i_target, i_unit, i_period, i_value = (at[c] for c in ("resolution", "target", "org_unit", "period", "value"))
        i_extra = at.get("value_max" if is_plan else "kind", -1)
        i_note = at.get("note", -1)
        width = max(at.values()) + 1  # short rows are padded to this, so cells are read by plain indexing
        for number, row in sheet.numbered_rows():
            if number % 10000 == 0:
                importer.progress.advance(10000)
            if len(row) < width:
                row = row + [None] * (width - len(row))
            ref = (sheet, number)
            if not is_plan and _blank(row[i_value]):
                importer.report.skip_blank(sheet.name, number)  # nothing reported yet: a template's empty row
                continue
            try:
                target = targets[(row[i_res], row[i_target])]
                if isinstance(target, DomainError):
                    raise target
                unit, period = names.cell(row[i_unit], row[i_period])
                if is_plan:
                    yield Entry(target, unit, period, row[i_value], "", row[i_extra] if i_extra >= 0 else KEEP, KEEP, ref)
                else:
                    note = cell_text(row[i_note]) if i_note >= 0 else KEEP
                    kind = names.kind(row[i_extra] if i_extra >= 0 else None)
                    yield Entry(target, unit, period, row[i_value], kind, KEEP, note, ref)  # positional: a million times
            except DomainError as error:
                yield Unresolved(ref, error)


def _blank(cell: Any) -> bool:
    return cell is None or (cell.__class__ is str and not cell.strip())


class _Names:
    """Targets, units, periods and kinds named by cells, each looked up once: a million rows name a few
    of them many times over (caches keyed by the raw cells)."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self._cells: dict[tuple[Any, Any], tuple[OrgUnit, Period] | DomainError] = {}
        self._periods: dict[str, Period | DomainError] = {}
        self._kinds: dict[Any, str | DomainError] = {}

    def targets(self, sheets: list[Sheet]) -> dict[tuple[Any, Any], Target | DomainError]:
        found: dict[tuple[Any, Any], Target | DomainError] = {}
        for sheet in sheets:
            i_res, i_target = sheet.positions["resolution"], sheet.positions["target"]
            for _, row in sheet.numbered_rows():
                pair = (row[i_res] if i_res < len(row) else None, row[i_target] if i_target < len(row) else None)
                if pair in found:
                    continue
                try:
                    resolution = services.get_resolution(key=cell_text(pair[0]))
                    target = services.get_target(resolution=resolution, code=cell_text(pair[1]))
                    target.resolution = resolution
                    found[pair] = target
                except DomainError as error:
                    found[pair] = error
        return found

    def cell(self, unit_cell: Any, period_cell: Any) -> tuple[OrgUnit, Period]:
        """The period, and the unit the code names in it."""
        key = (unit_cell, period_cell)
        found = self._cells.get(key)
        if found is None:
            try:
                period = self.period(cell_text(period_cell))
                found = (self.importer.unit_at(cell_text(unit_cell), period=period), period)
            except DomainError as error:
                found = error
            self._cells[key] = found
        if isinstance(found, DomainError):
            raise found
        return found

    def period(self, text: str) -> Period:
        if text not in self._periods:
            try:
                self._periods[text] = parse_period(text)
            except PeriodError as error:
                self._periods[text] = Invalid(str(error), en=f'Period "{text}" is not valid.', field="period")
        found = self._periods[text]
        if isinstance(found, DomainError):
            raise found
        return found

    def kind(self, raw: Any) -> str:
        found = self._kinds.get(raw)
        if found is None:
            word = cell_text(raw).lower()
            found = RESULT_KIND_WORDS.get(word) or Invalid(
                f'Loại số liệu "{word}" không hợp lệ; dùng estimate (ước) hoặc official (chính thức).',
                en=f'Unknown result kind "{word}"; use estimate or official.',
                field="kind",
            )
            self._kinds[raw] = found
        if isinstance(found, DomainError):
            raise found
        return found
