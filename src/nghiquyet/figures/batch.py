"""The engine of the figure-write service (figures.writes): what one write is made of, and the checks
each value goes through, in the order every road shares. Private to figures.writes, which runs it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, require
from nghiquyet.audit.services import Change, plain, record_changes, refuse_stale
from nghiquyet.figures import generations, rollups, values, workflow
from nghiquyet.figures.models import DataSet, ResolutionPeriod, SetState
from nghiquyet.lib.errors import Conflict, DomainError, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import check_no_nul
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import checks
from nghiquyet.targets.models import Plan, Result, ResultKind, ResultState, Target

if TYPE_CHECKING:
    from nghiquyet.figures.writes import Writer

NOTE_MAX = 2000  # characters; a note explains a figure, it is not a document
RESULT_KINDS = frozenset(ResultKind.values)  # read once: the enum builds its list anew on every access


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # an Entry's value_max or note left out: keep what is stored


@dataclass(slots=True)
class Entry:
    """One value to write. `value` is as given: a number, or text read under the write's locale."""

    target: Target
    org_unit: OrgUnit
    period: Period
    value: Any
    kind: str = ResultKind.OFFICIAL  # results only
    value_max: Any = KEEP  # plans only
    note: Any = KEEP  # results only
    ref: Any = None  # where the value came from (an import's sheet and row), handed back with a problem
    version: int | None = None  # the stored figure's version the writer saw: refused if it changed since


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A value whose target or unit could not even be named (the caller resolves codes): a problem to
    report in its place, after which nothing more is written."""

    ref: Any
    error: DomainError


class Duplicate(Invalid):
    """The same cell twice in one write; `first` is the ref of its first appearance."""

    def __init__(self, message: str, *, en: str, first: Any) -> None:
        super().__init__(message, en=en, field="target")
        self.first = first


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: int = 0


Problem = Callable[[Any, DomainError], None]
Stored = tuple  # (id, value, value_max, version) for plans; (id, value, note, state, recorded_by_id, source, version) for results


def summary_of(model: type[Plan] | type[Result], code: str, unit_code: str, period: str, kind: str, value: Any) -> str:
    """How an event names a figure: the models' __str__, without loading the objects."""
    shown = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else value
    if model is Plan:
        return f"{code} / {unit_code} / {period}: {shown}"
    return f"{code} / {unit_code} / {period} ({kind}): {shown}"


class Batch:
    """The state of one write: stored figures, cells seen, checks already made, rows to update."""

    def __init__(self, model: type[Plan] | type[Result], writer: Writer, locale: str, on_problem: Problem | None,
                 audit_creations: bool) -> None:
        self.model, self.writer, self.locale, self.on_problem = model, writer, locale, on_problem
        self.audit_creations = audit_creations
        # The periods of the cells checked, keyed by code (hashing a Period costs more): noted once per cell
        # rather than per new row; a cell that holds a figure already has its period noted.
        self.periods: dict[tuple[int, str], Period] = {}
        self.is_plan = model is Plan
        # The stored tuple's fields after the id, which are also what an update event compares.
        self._audited = ("value", "value_max") if self.is_plan else ("value", "note", "state", "recorded_by", "source")
        self.counts = Counts()
        self.stored: dict[tuple[int, int, str, str], Stored] = {}
        self.seen: dict[tuple[int, int, str, str], Any] = {}
        # A cell (resolution, unit, period) checked: the period's start and end adapted for the database, or
        # why the cell may not hold a figure.
        self.cells: dict[tuple[int, int, str], tuple[Any, Any] | DomainError] = {}
        self.sets: dict[tuple[int, int, str], tuple[str, bool]] = {}  # (resolution, unit, period) → set state, reopened
        self.spans: dict[str, tuple[Any, Any]] = {}
        self.readers: dict[tuple[int, str], Callable[[Any], Decimal]] = {}  # (target id, field) → its value reader
        self.allowed: dict[tuple[int, str], DomainError | None] = {}
        self.updates: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Entry, Stored | None, dict[str, Any]]] = []  # for the audit events
        # results written, for the roll-ups above them (figures.rollups): units and (target, period) pairs
        self.touched_units: set[int] = set()
        self.touched_cells: set[tuple[int, str]] = set()
        self.now = timezone.now()
        self.today = timezone.localdate()
        ops = connection.ops
        self._now = ops.adapt_datetimefield_value(self.now)
        self.user_id = getattr(writer.user, "pk", None)
        self.trusted = writer.trusted
        self.new_state = workflow.state_after_write(trusted=writer.trusted, previous=None, may_correct_approved=False)
        if self.is_plan:
            self.insert_columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "value_max",
                                   "version", "created_at", "updated_at"]
            self.update_columns = ["value", "value_max", "updated_at"]
        else:
            self.insert_columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "kind", "state",
                                   "note", "recorded_by_id", "source", "version", "created_at", "updated_at"]
            self.update_columns = ["value", "note", "state", "recorded_by_id", "source", "updated_at"]

    # Reading what is stored -------------------------------------------------------------------------

    def load_stored(self, targets: Collection[Target] | None, entries: Iterable[Entry | Unresolved]) -> None:
        """Read the stored figures the entries may change. A small write (no `targets`) reads only its own
        cells and locks their rows until it commits: a concurrent write of the same cell waits, then sees
        this one's result (on SQLite the transaction holds the database's write lock from its start)."""
        rows = self.model.objects.all()
        sets = DataSet.objects.all()
        if targets is not None:
            rows = rows.filter(target_id__in={t.pk for t in targets})
            sets = sets.filter(resolution_id__in={t.resolution_id for t in targets})
        else:
            assert isinstance(entries, list), "without stored_for, entries must be a list"
            cells, set_cells = Q(pk__in=[]), Q(pk__in=[])
            for e in entries:
                if isinstance(e, Entry):
                    cells |= Q(target_id=e.target.pk, org_unit_id=e.org_unit.pk, period=e.period.code)
                    set_cells |= Q(resolution_id=e.target.resolution_id, org_unit_id=e.org_unit.pk, period=e.period.code)
            rows = rows.filter(cells).select_for_update()
            sets = sets.filter(set_cells).select_for_update()  # a submit or approve of the set waits for this write
        if not self.trusted:  # trusted roads (the command line, a system import) are not held by sets
            for resolution_id, unit_id, period, state, reopened in sets.values_list("resolution_id", "org_unit_id", "period", "state", "reopened"):
                self.sets[(resolution_id, unit_id, period)] = (state, reopened)
        if self.is_plan:
            for pk, target_id, unit_id, period, *rest in rows.values_list(
                "id", "target_id", "org_unit_id", "period", "value", "value_max", "version"
            ).iterator(chunk_size=20000):
                self.stored[(target_id, unit_id, period, "")] = (pk, *rest)
        else:
            for pk, target_id, unit_id, period, kind, *rest in rows.values_list(
                "id", "target_id", "org_unit_id", "period", "kind", "value", "note", "state", "recorded_by_id", "source", "version"
            ).iterator(chunk_size=20000):
                self.stored[(target_id, unit_id, period, kind)] = (pk, *rest)

    # Checking -------------------------------------------------------------------------------------

    def problem(self, ref: Any, error: DomainError) -> None:
        self.counts.problems += 1
        if self.on_problem is None:
            raise error
        self.on_problem(ref, error)

    def _cell(self, target: Target, unit: OrgUnit, period: Period) -> tuple[Any, Any]:
        """Check the cell (once per resolution, unit and period); returns the period's adapted start and end."""
        key = (target.resolution_id, unit.id, period.code)
        found = self.cells.get(key)
        if found is None:
            try:
                checks.check_period_in_term(target.resolution, period)
                checks.check_unit_valid_in(unit, period)
                if not self.trusted:
                    self._check_open(target.resolution, unit, period, key)
                self.periods[(target.resolution_id, period.code)] = period
                if period.code not in self.spans:
                    adapt = connection.ops.adapt_datefield_value
                    self.spans[period.code] = (adapt(period.start), adapt(period.end))
                found = self.spans[period.code]
            except DomainError as error:
                found = error
            self.cells[key] = found
        if type(found) is not tuple:
            raise found
        return found

    def _check_open(self, resolution: Any, unit: OrgUnit, period: Period, key: tuple[int, int, str]) -> None:
        """A person writes only into a set that is not submitted or approved, in a period open for entry."""
        state, reopened = self.sets.get(key, (SetState.DRAFT, False))
        workflow.check_open(unit_code=unit.code, period=period, state=state, reopened=reopened,
                            closes_after_days=resolution.entry_closes_after_days, today=self.today)

    def _may_write(self, unit: OrgUnit, before: Stored | None) -> None:
        if self.trusted:
            return
        if self.is_plan:
            action = Action.SET_PLAN
        else:
            action = Action.CHANGE_APPROVED if before is not None and before[3] == ResultState.APPROVED else Action.ENTER_RESULT
        key = (unit.id, action)
        if key not in self.allowed:
            try:
                require(self.writer.user, action, unit)
                self.allowed[key] = None
            except DomainError as error:
                self.allowed[key] = error
        error = self.allowed[key]
        if error is not None:
            raise error

    def _figure(self, entry: Entry, raw: Any, field: str) -> Decimal:
        t = entry.target
        read = self.readers.get((t.id, field))
        if read is None:
            read = self.readers[(t.id, field)] = values.reader(
                direction=t.direction, value_kind=t.value_kind, code=t.code, unit=t.unit, locale=self.locale, field=field
            )
        return read(raw)

    def checked(self, entries: Iterable[Entry | Unresolved]) -> Iterator[tuple[Any, ...]]:
        """Check every entry; yield it for insertion if new, queue it if changed, count it if the same.
        After the first problem nothing more is yielded, but the checks go on, to report every problem."""
        check = self._plan if self.is_plan else self._result
        counts = self.counts
        for entry in entries:
            if type(entry) is Unresolved:
                self.problem(entry.ref, entry.error)
                continue
            try:
                row = check(entry)
            except DomainError as error:
                self.problem(entry.ref, error)
                continue
            if row is not None and not counts.problems:
                yield row

    def _first(self, key: tuple[int, int, str, str], ref: Any) -> None:
        """Refuse a cell given twice in one write."""
        if key in self.seen:  # (not setdefault: two refs may be equal, or both None)
            raise Duplicate(
                "Trùng ô số liệu đã ghi trước đó (cùng chỉ tiêu, đơn vị, kỳ).",
                en="The same figure was given before (same target, unit, period).",
                first=self.seen[key],
            )
        self.seen[key] = ref

    def _same_version(self, before: Stored | None, expected: int, at: int) -> None:
        """Refuse a write made from a version of the figure other than the stored one."""
        if before is None:
            raise Conflict(
                "Số liệu này chưa có hoặc đã bị xóa; tải lại rồi nhập lại.",
                en="This figure does not exist (any more); reload and enter it again.",
                field="version",
            )
        if before[at] != expected:
            refuse_stale(self.model.objects.get(pk=before[0]), expected, what="Số liệu", what_en="The figure")

    def _plan(self, entry: Entry) -> tuple[Any, ...] | None:
        target, unit, period = entry.target, entry.org_unit, entry.period
        start, end = self._cell(target, unit, period)
        value = self._figure(entry, entry.value, "value")
        key = (target.id, unit.id, period.code, "")
        before = self.stored.get(key)
        if entry.value_max is KEEP:
            value_max = before[2] if before else None
        elif entry.value_max is None or (isinstance(entry.value_max, str) and not entry.value_max.strip()):
            value_max = None
        else:
            value_max = self._figure(entry, entry.value_max, "value_max")
        checks.check_plan_values(target.direction, value, value_max)
        self._first(key, entry.ref)
        if entry.version is not None:
            self._same_version(before, entry.version, 3)
        self._may_write(unit, before)
        if before is None:
            self.counts.created += 1
            if self.audit_creations:
                self.changes.append((entry, None, {"value": value, "value_max": value_max}))
            return (target.id, unit.id, period.code, start, end, value, value_max, 1, self._now, self._now)
        if before[1] != value or before[2] != value_max:
            self.counts.updated += 1
            self.updates.append((value, value_max, self._now, before[0]))
            self.changes.append((entry, before, {"value": value, "value_max": value_max}))
        else:
            self.counts.unchanged += 1
        return None

    def _result(self, entry: Entry) -> tuple[Any, ...] | None:
        target, unit, period, kind = entry.target, entry.org_unit, entry.period, entry.kind
        if kind not in RESULT_KINDS:
            raise Invalid(
                f'Loại số liệu "{kind}" không hợp lệ; dùng estimate (ước) hoặc official (chính thức).',
                en=f'Unknown result kind "{kind}"; use estimate or official.',
                field="kind",
            )
        start, end = self._cell(target, unit, period)
        value = self._figure(entry, entry.value, "value")
        checks.check_result_value(target.direction, value)
        key = (target.id, unit.id, period.code, kind)
        before = self.stored.get(key)
        note = (before[2] if before else "") if entry.note is KEEP else _note(entry.note)
        self._first(key, entry.ref)
        if entry.version is not None:
            self._same_version(before, entry.version, 6)
        if not self.trusted:
            self._may_write(unit, before)
        if before is None or before[1] != value or before[2] != note:
            self.touched_units.add(unit.id)
            self.touched_cells.add((target.id, period.code))
        if before is None:
            state = self.new_state
            self.counts.created += 1
            if self.audit_creations:
                self.changes.append((entry, None, {"value": value, "note": note, "state": state, "recorded_by": self.user_id,
                                                   "source": self.writer.source}))
            return (target.id, unit.id, period.code, start, end, value, kind, state, note, self.user_id, self.writer.source, 1,
                    self._now, self._now)
        if before[1] == value and before[2] == note:
            self.counts.unchanged += 1  # who entered it, and its state, change only when the figure does
            return None
        state = workflow.state_after_write(
            trusted=self.trusted,
            previous=before[3],
            may_correct_approved=True,  # _may_write refused those who may not correct an approved figure
        )
        self.counts.updated += 1
        self.updates.append((value, note, state, self.user_id, self.writer.source, self._now, before[0]))
        self.changes.append((entry, before, {"value": value, "note": note, "state": state, "recorded_by": self.user_id,
                                             "source": self.writer.source}))
        return None

    def refresh_rollups(self) -> None:
        """Keep the totals above the results written current (figures.rollups), then the resolutions' generation
        (figures.generations), in this transaction."""
        if self.touched_units:
            rollups.refresh(units=self.touched_units, cells=self.touched_cells)
        if self.counts.created or self.counts.updated:
            generations.bump({resolution_id for resolution_id, _ in self.periods})

    def note_periods(self) -> None:
        """Keep figures.models.ResolutionPeriod: the periods each resolution has figures in."""
        if self.counts.created:
            ResolutionPeriod.objects.bulk_create(
                [ResolutionPeriod(resolution_id=r, period=p.code, period_start=p.start, period_end=p.end)
                 for (r, _), p in self.periods.items()],
                ignore_conflicts=True,
            )

    # Audit ----------------------------------------------------------------------------------------

    def audit(self) -> None:
        created_ids: dict[tuple[int, int, str, str], int] = {}
        if self.audit_creations and self.counts.created:
            fields = ["id", "target_id", "org_unit_id", "period"] + ([] if self.is_plan else ["kind"])
            mine = self.model.objects.filter(created_at=self.now, target_id__in={e.target.pk for e, b, _ in self.changes if b is None})
            for row in mine.values_list(*fields):
                created_ids[(row[1], row[2], row[3], "" if self.is_plan else row[4])] = row[0]
        events = []
        for entry, before, new in self.changes:
            kind = "" if self.is_plan else entry.kind
            summary = summary_of(self.model, entry.target.code, entry.org_unit.code, entry.period.code, kind, new["value"])
            if before is None:
                key = (entry.target.pk, entry.org_unit.pk, entry.period.code, kind)
                cell = {"target": entry.target.pk, "org_unit": entry.org_unit.pk, "period": entry.period.code}
                if not self.is_plan:
                    cell["kind"] = kind
                events.append(Change("create", created_ids[key], entry.org_unit.pk, summary, None, plain(cell | new)))
                continue
            old = dict(zip(self._audited, before[1:], strict=False))
            changed = [name for name in self._audited if plain(old[name]) != plain(new[name])]
            events.append(Change("update", before[0], entry.org_unit.pk, summary,
                                 plain({n: old[n] for n in changed}), plain({n: new[n] for n in changed})))
        record_changes(self.model, events)



def _note(raw: Any) -> str:
    note = values.text(raw) if raw is not None else ""
    check_no_nul(note, "note")
    if len(note) > NOTE_MAX:
        raise Invalid(
            f"Ghi chú quá dài: {len(note)} ký tự, tối đa {NOTE_MAX}.",
            en=f"The note is too long: {len(note)} characters, at most {NOTE_MAX}.",
            field="note",
        )
    return note
