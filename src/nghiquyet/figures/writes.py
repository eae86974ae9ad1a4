"""The figure-write service: the one road by which plans and results reach the database.

The web, the API, the command line and the importer all call it, for one value (`set_plan`,
`record_result`) or for many (`write_figures`, which the single-value functions call with one entry).
It owns, in one place: reading the value (`figures.values`), the checks (period inside the resolution's
term, unit valid in the period, the figure's own rules, a cell written twice), who may write the cell
(for people; trusted roads are the command line and system imports), create-or-update by the natural
key with the old values kept for the audit trail, the workflow state the value gets from who writes it
(`figures.workflow`), the audit events (through `audit.services`), and the bulk path (`figures._bulk`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, require
from nghiquyet.audit.context import current_actor
from nghiquyet.audit.services import Change, plain, record_changes
from nghiquyet.figures import _bulk, values, workflow
from nghiquyet.figures.models import ResolutionPeriod
from nghiquyet.lib.errors import Conflict, DomainError, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import check_no_nul
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets import checks
from nghiquyet.targets.models import Plan, Result, ResultKind, ResultState, Target

NOTE_MAX = 2000  # characters; a note explains a figure, it is not a document


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()  # an Entry's value_max or note left out: keep what is stored


@dataclass(frozen=True)
class Writer:
    """Who writes, and so what the figures become. People (web, API, uploads) write drafts where their
    roles allow; a trusted road (the command line, a system administrator's import) writes approved
    figures and is not checked against roles."""

    user: Any = None
    trusted: bool = False
    source: str = ""  # who wrote, where no user account says it: "cli:root", "demo"

    @classmethod
    def person(cls, user: Any) -> Writer:
        return cls(user=user)

    @classmethod
    def trusted_road(cls, *, source: str = "", user: Any = None) -> Writer:
        return cls(user=user, trusted=True, source=source or current_actor().label)


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
Stored = tuple  # (id, value, value_max) for plans; (id, value, note, state, recorded_by_id, source) for results


# --- one value --------------------------------------------------------------------------------------


def set_plan(*, target: Target, org_unit: OrgUnit, period: Period, value: Any, value_max: Any = None,
             writer: Writer | None = None) -> tuple[Plan, bool]:
    """Set the plan of `target` for `org_unit` in `period`; returns (plan, changed)."""
    entry = Entry(target, org_unit, period, value, value_max=value_max)
    counts = write_figures(model=Plan, entries=[entry], writer=writer or Writer.trusted_road())
    plan = Plan.objects.select_related("target__resolution", "org_unit").get(target=target, org_unit=org_unit, period=period.code)
    return plan, counts.created + counts.updated > 0


def record_result(*, target: Target, org_unit: OrgUnit, period: Period, value: Any, kind: str = ResultKind.OFFICIAL,
                  note: Any = "", writer: Writer | None = None) -> tuple[Result, bool]:
    """Record the `kind` (estimate or official) result of `target` for `org_unit` in `period`; returns
    (result, changed). Without a writer the write is a trusted one (command line)."""
    entry = Entry(target, org_unit, period, value, kind=kind, note=note)
    counts = write_figures(model=Result, entries=[entry], writer=writer or Writer.trusted_road())
    result = Result.objects.select_related("target__resolution", "org_unit", "recorded_by").get(
        target=target, org_unit=org_unit, period=period.code, kind=kind
    )
    return result, counts.created + counts.updated > 0


@transaction.atomic
def approve_result(*, result: Result, user: Any = None) -> Result:
    """An approver above the unit accepts a draft (or a returned figure sent in again)."""
    if user is not None:
        require(user, Action.APPROVE, result)
    if not workflow.may_approve(result.state):
        raise Conflict("Số liệu này đã được duyệt.", en="This figure is already approved.", field="state")
    _change_state(result, ResultState.APPROVED, result.note)
    return result


@transaction.atomic
def return_result(*, result: Result, reason: str, user: Any = None) -> Result:
    """An approver sends a figure back to the unit, with the reason in the note."""
    if user is not None:
        require(user, Action.APPROVE, result)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("Cần ghi lý do trả lại.", en="Give the reason for returning it.", field="reason")
    check_no_nul(reason, "reason")
    if not workflow.may_return(result.state):
        raise Conflict("Số liệu này đã được trả lại.", en="This figure was already returned.", field="state")
    _change_state(result, ResultState.RETURNED, f"Trả lại: {reason}"[:NOTE_MAX])
    return result


def _change_state(result: Result, state: str, note: str) -> None:
    old = {"state": result.state, "note": result.note}
    new = {"state": state, "note": note}
    result.state, result.note, result.updated_at = state, note, timezone.now()
    Result.objects.filter(pk=result.pk).update(state=state, note=note, updated_at=result.updated_at)
    changed = [name for name in new if old[name] != new[name]]
    record_changes(
        Result,
        [Change("update", result.pk, result.org_unit_id, _summary(Result, result.target.code, result.org_unit.code, result.period, result.kind, result.value),
                {n: old[n] for n in changed}, {n: new[n] for n in changed})],
    )


# --- many values ------------------------------------------------------------------------------------


def write_figures(
    *,
    model: type[Plan] | type[Result],
    entries: Iterable[Entry | Unresolved],
    writer: Writer,
    locale: str = "auto",
    stored_for: Collection[Target] | None = None,
    on_problem: Problem | None = None,
    audit_creations: bool = True,
) -> Counts:
    """Write plans or results, all or nothing, and return what happened.

    Without `on_problem` the first problem is raised. With it, every problem is handed to it with the
    entry's ref, checking goes on to find them all, nothing more is written after the first, and the
    caller rolls its transaction back. `stored_for` names the targets whose stored figures to read in one
    pass (a large import); otherwise `entries` must be a list and only its cells are read. Each changed
    figure gets an audit event with old and new values; `audit_creations=False` leaves the events of new
    figures to the caller (a file import records one event for the file: docs/decisions/0008).
    """
    batch = _Batch(model, writer, locale, on_problem, audit_creations)
    with transaction.atomic():
        batch.load_stored(stored_for, entries)
        rows = batch.checked(entries)
        if on_problem is None:  # a problem raises: find it before any SQL, and skip an empty insert
            rows = iter(list(rows))
        _bulk.insert(model=model, columns=batch.insert_columns, rows=_while_ok(rows, batch.counts))
        for _ in rows:  # after a problem: go on checking, to report every one, but write nothing more
            pass
        if batch.counts.problems == 0:
            _bulk.update(model=model, columns=batch.update_columns, rows=batch.updates)
            batch.audit()
            batch.note_periods()
    return batch.counts


def _while_ok(rows: Iterator[tuple[Any, ...]], counts: Counts) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        if counts.problems:
            return
        yield row


def _summary(model: type[Plan] | type[Result], code: str, unit_code: str, period: str, kind: str, value: Any) -> str:
    """How an event names a figure: the models' __str__, without loading the objects."""
    shown = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else value
    if model is Plan:
        return f"{code} / {unit_code} / {period}: {shown}"
    return f"{code} / {unit_code} / {period} ({kind}): {shown}"


class _Batch:
    """The state of one write: stored figures, cells seen, checks already made, rows to update."""

    def __init__(self, model: type[Plan] | type[Result], writer: Writer, locale: str, on_problem: Problem | None,
                 audit_creations: bool) -> None:
        self.model, self.writer, self.locale, self.on_problem = model, writer, locale, on_problem
        self.audit_creations = audit_creations
        self.new_periods: set[tuple[int, Period]] = set()
        self.is_plan = model is Plan
        # The stored tuple's fields after the id, which are also what an update event compares.
        self._audited = ("value", "value_max") if self.is_plan else ("value", "note", "state", "recorded_by", "source")
        self.counts = Counts()
        self.stored: dict[tuple[int, int, str, str], Stored] = {}
        self.seen: dict[tuple[int, int, str, str], Any] = {}
        self.cells: dict[tuple[int, int, str], DomainError | None] = {}
        self.allowed: dict[tuple[int, str], DomainError | None] = {}
        self.updates: list[tuple[Any, ...]] = []
        self.changes: list[tuple[Entry, Stored | None, dict[str, Any]]] = []  # for the audit events
        self.now = timezone.now()
        ops = connection.ops
        self._now = ops.adapt_datetimefield_value(self.now)
        self._dates: dict[Any, Any] = {}
        self.user_id = getattr(writer.user, "pk", None)
        if self.is_plan:
            self.insert_columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "value_max",
                                   "created_at", "updated_at"]
            self.update_columns = ["value", "value_max", "updated_at"]
        else:
            self.insert_columns = ["target_id", "org_unit_id", "period", "period_start", "period_end", "value", "kind", "state",
                                   "note", "recorded_by_id", "source", "created_at", "updated_at"]
            self.update_columns = ["value", "note", "state", "recorded_by_id", "source", "updated_at"]

    # Reading what is stored -------------------------------------------------------------------------

    def load_stored(self, targets: Collection[Target] | None, entries: Iterable[Entry | Unresolved]) -> None:
        rows = self.model.objects.all()
        if targets is not None:
            rows = rows.filter(target_id__in={t.pk for t in targets})
        else:
            assert isinstance(entries, list), "without stored_for, entries must be a list"
            cells = Q(pk__in=[])
            for e in entries:
                if isinstance(e, Entry):
                    cells |= Q(target_id=e.target.pk, org_unit_id=e.org_unit.pk, period=e.period.code)
            rows = rows.filter(cells)
        if self.is_plan:
            for pk, target_id, unit_id, period, value, value_max in rows.values_list(
                "id", "target_id", "org_unit_id", "period", "value", "value_max"
            ).iterator(chunk_size=20000):
                self.stored[(target_id, unit_id, period, "")] = (pk, value, value_max)
        else:
            for pk, target_id, unit_id, period, kind, *rest in rows.values_list(
                "id", "target_id", "org_unit_id", "period", "kind", "value", "note", "state", "recorded_by_id", "source"
            ).iterator(chunk_size=20000):
                self.stored[(target_id, unit_id, period, kind)] = (pk, *rest)

    # Checking -------------------------------------------------------------------------------------

    def problem(self, ref: Any, error: DomainError) -> None:
        self.counts.problems += 1
        if self.on_problem is None:
            raise error
        self.on_problem(ref, error)

    def _cell(self, target: Target, unit: OrgUnit, period: Period) -> None:
        key = (target.resolution_id, unit.pk, period.code)
        if key not in self.cells:
            try:
                checks.check_period_in_term(target.resolution, period)
                checks.check_unit_valid_in(unit, period)
                self.cells[key] = None
            except DomainError as error:
                self.cells[key] = error
        error = self.cells[key]
        if error is not None:
            raise error

    def _may_write(self, unit: OrgUnit, before: Stored | None) -> None:
        if self.writer.trusted:
            return
        if self.is_plan:
            action = Action.SET_PLAN
        else:
            action = Action.CHANGE_APPROVED if before is not None and before[3] == ResultState.APPROVED else Action.ENTER_RESULT
        key = (unit.pk, action)
        if key not in self.allowed:
            try:
                require(self.writer.user, action, unit)
                self.allowed[key] = None
            except DomainError as error:
                self.allowed[key] = error
        error = self.allowed[key]
        if error is not None:
            raise error

    def _date(self, day: Any) -> Any:
        if day not in self._dates:
            self._dates[day] = connection.ops.adapt_datefield_value(day)
        return self._dates[day]

    def _figure(self, entry: Entry, raw: Any, field: str) -> Decimal:
        t = entry.target
        return values.figure(raw, direction=t.direction, value_kind=t.value_kind, code=t.code, unit=t.unit, locale=self.locale, field=field)

    def checked(self, entries: Iterable[Entry | Unresolved]) -> Iterator[tuple[Any, ...]]:
        """Check each entry; yield it for insertion if new, queue it if changed, count it if the same."""
        for entry in entries:
            if isinstance(entry, Unresolved):
                self.problem(entry.ref, entry.error)
                continue
            try:
                row = self._plan(entry) if self.is_plan else self._result(entry)
            except DomainError as error:
                self.problem(entry.ref, error)
                continue
            if row is not None:
                yield row

    def _key(self, entry: Entry, kind: str) -> tuple[int, int, str, str]:
        key = (entry.target.pk, entry.org_unit.pk, entry.period.code, kind)
        if key in self.seen:
            raise Duplicate(
                "Trùng ô số liệu đã ghi trước đó (cùng chỉ tiêu, đơn vị, kỳ).",
                en="The same figure was given before (same target, unit, period).",
                first=self.seen[key],
            )
        self.seen[key] = entry.ref
        return key

    def _plan(self, entry: Entry) -> tuple[Any, ...] | None:
        target, unit, period = entry.target, entry.org_unit, entry.period
        self._cell(target, unit, period)
        value = self._figure(entry, entry.value, "value")
        key = (target.pk, unit.pk, period.code, "")
        before = self.stored.get(key)
        if entry.value_max is KEEP:
            value_max = before[2] if before else None
        elif entry.value_max is None or (isinstance(entry.value_max, str) and not entry.value_max.strip()):
            value_max = None
        else:
            value_max = self._figure(entry, entry.value_max, "value_max")
        checks.check_plan_values(target.direction, value, value_max)
        self._key(entry, "")
        self._may_write(unit, before)
        if before is None:
            self._created(entry, {"value": value, "value_max": value_max})
            return (target.pk, unit.pk, period.code, self._date(period.start), self._date(period.end), value, value_max,
                    self._now, self._now)
        if before[1] != value or before[2] != value_max:
            self.counts.updated += 1
            self.updates.append((value, value_max, self._now, before[0]))
            self.changes.append((entry, before, {"value": value, "value_max": value_max}))
        else:
            self.counts.unchanged += 1
        return None

    def _result(self, entry: Entry) -> tuple[Any, ...] | None:
        target, unit, period, kind = entry.target, entry.org_unit, entry.period, entry.kind
        if kind not in ResultKind.values:
            raise Invalid(
                f'Loại số liệu "{kind}" không hợp lệ; dùng estimate (ước) hoặc official (chính thức).',
                en=f'Unknown result kind "{kind}"; use estimate or official.',
                field="kind",
            )
        self._cell(target, unit, period)
        value = self._figure(entry, entry.value, "value")
        checks.check_result_value(target.direction, value)
        key = (target.pk, unit.pk, period.code, kind)
        before = self.stored.get(key)
        note = (before[2] if before else "") if entry.note is KEEP else _note(entry.note)
        self._key(entry, kind)
        self._may_write(unit, before)
        if before is not None and before[1] == value and before[2] == note:
            self.counts.unchanged += 1  # who entered it, and its state, change only when the figure does
            return None
        state = workflow.state_after_write(
            trusted=self.writer.trusted,
            previous=before[3] if before else None,
            may_correct_approved=True,  # _may_write refused those who may not correct an approved figure
        )
        if before is None:
            self._created(entry, {"value": value, "note": note, "state": state, "recorded_by": self.user_id, "source": self.writer.source})
            return (target.pk, unit.pk, period.code, self._date(period.start), self._date(period.end), value, kind, state,
                    note, self.user_id, self.writer.source, self._now, self._now)
        self.counts.updated += 1
        self.updates.append((value, note, state, self.user_id, self.writer.source, self._now, before[0]))
        self.changes.append((entry, before, {"value": value, "note": note, "state": state, "recorded_by": self.user_id,
                                             "source": self.writer.source}))
        return None

    def _created(self, entry: Entry, new: dict[str, Any]) -> None:
        self.counts.created += 1
        self.new_periods.add((entry.target.resolution_id, entry.period))
        if self.audit_creations:
            self.changes.append((entry, None, new))

    def note_periods(self) -> None:
        """Keep figures.models.ResolutionPeriod: the periods each resolution has figures in."""
        periods = self.new_periods
        if periods:
            ResolutionPeriod.objects.bulk_create(
                [ResolutionPeriod(resolution_id=r, period=p.code, period_start=p.start, period_end=p.end) for r, p in periods],
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
            summary = _summary(self.model, entry.target.code, entry.org_unit.code, entry.period.code, kind, new["value"])
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
