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

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, Forbidden, grants, grants_read_once, require
from nghiquyet.audit.context import current_actor
from nghiquyet.audit.services import Change, record_changes, refuse_stale
from nghiquyet.figures import _bulk, generations, rollups, workflow
from nghiquyet.figures.batch import NOTE_MAX, Batch, Counts, Entry, Problem, Unresolved, summary_of
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import clean_text
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Result, ResultKind, ResultState, Target


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


# --- one value --------------------------------------------------------------------------------------


def set_plan(*, target: Target, org_unit: OrgUnit, period: Period, value: Any, value_max: Any = None,
             writer: Writer | None = None, version: int | None = None) -> tuple[Plan, bool]:
    """Set the plan of `target` for `org_unit` in `period`; returns (plan, changed). With `version`, the
    write is refused (Stale) unless the stored plan is still at that version."""
    plan, counts = write_one(model=Plan, entry=Entry(target, org_unit, period, value, value_max=value_max, version=version),
                             writer=writer)
    return plan, counts.created + counts.updated > 0


def record_result(*, target: Target, org_unit: OrgUnit, period: Period, value: Any, kind: str = ResultKind.OFFICIAL,
                  note: Any = "", writer: Writer | None = None, version: int | None = None) -> tuple[Result, bool]:
    """Record the `kind` (estimate or official) result of `target` for `org_unit` in `period`; returns
    (result, changed). Without a writer the write is a trusted one (command line). With `version`, the
    write is refused (Stale) unless the stored result is still at that version."""
    entry = Entry(target, org_unit, period, value, kind=kind, note=note, version=version)
    result, counts = write_one(model=Result, entry=entry, writer=writer)
    return result, counts.created + counts.updated > 0


def write_one(*, model: type[Plan] | type[Result], entry: Entry, writer: Writer | None = None, locale: str = "auto") -> tuple[Any, Counts]:
    """Write one plan or result (`set_plan`, `record_result`); returns it as stored, and what happened.
    `locale`: how text is read ("vi" on the Vietnamese entry page; "auto" refuses the ambiguous "1.635")."""
    counts = write_figures(model=model, entries=[entry], writer=writer or Writer.trusted_road(), locale=locale)
    cell = {"target": entry.target, "org_unit": entry.org_unit, "period": entry.period.code}
    related = ["target__resolution", "org_unit"]
    if model is Result:
        cell["kind"] = entry.kind
        related.append("recorded_by")
    return model.objects.select_related(*related).get(**cell), counts


@transaction.atomic
def approve_result(*, result: Result, user: Any = None, version: int | None = None) -> Result:
    """An approver above the unit accepts a draft (or a returned figure sent in again): the figure as it
    is now, read with its row locked, and, with `version`, only if that is the version the approver saw.
    Nobody approves a figure they entered or last changed (four eyes)."""
    result = _locked(result)
    refuse_stale(result, version, what="Số liệu", what_en="The figure")
    if user is not None:
        require(user, Action.APPROVE, result)
        if not workflow.may_approve_own(entered_by=result.recorded_by_id, approver=user.pk):
            raise Forbidden(
                "Không tự duyệt số liệu mình đã nhập hoặc sửa: cần một người duyệt khác.",
                en="You may not approve a figure you entered or changed: another approver must.",
            )
    if not workflow.may_approve(result.state):
        raise Conflict("Số liệu này đã được duyệt.", en="This figure is already approved.", field="state")
    _change_state(result, ResultState.APPROVED, result.note)
    return result


@transaction.atomic
def return_result(*, result: Result, reason: str, user: Any = None, version: int | None = None) -> Result:
    """An approver sends a figure back to the unit, with the reason in the note."""
    reason = clean_text(reason or "", "reason", limit=NOTE_MAX - len("Trả lại: "), multiline=True)
    if not reason:
        raise Invalid("Cần ghi lý do trả lại.", en="Give the reason for returning it.", field="reason")
    result = _locked(result)
    refuse_stale(result, version, what="Số liệu", what_en="The figure")
    if user is not None:
        require(user, Action.APPROVE, result)
    if not workflow.may_return(result.state):
        raise Conflict("Số liệu này đã được trả lại.", en="This figure was already returned.", field="state")
    _change_state(result, ResultState.RETURNED, f"Trả lại: {reason}")
    return result


def _locked(result: Result) -> Result:
    """The result as stored now, its row locked until the transaction ends (SQLite: the transaction
    already holds the write lock)."""
    return (
        Result.objects.select_for_update(of=("self",))
        .select_related("target__resolution__org_unit", "org_unit", "recorded_by")
        .get(pk=result.pk)
    )


def _change_state(result: Result, state: str, note: str) -> None:
    old = {"state": result.state, "note": result.note}
    new = {"state": state, "note": note}
    result.state, result.note, result.updated_at = state, note, timezone.now()
    result.version += 1
    Result.objects.filter(pk=result.pk).update(state=state, note=note, updated_at=result.updated_at, version=F("version") + 1)
    changed = [name for name in new if old[name] != new[name]]
    rollups.refresh(units=[result.org_unit_id], cells=[(result.target_id, result.period)])
    generations.bump([result.target.resolution_id])
    record_changes(
        Result,
        [Change("update", result.pk, result.org_unit_id, summary_of(Result, result.target.code, result.org_unit.code, result.period, result.kind, result.value),
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

    The checks must not query the database while rows stream into PostgreSQL's COPY, which holds the
    connection: entries' targets come with their resolution, and a person's grants are read first.
    """
    if stored_for is None:
        entries = list(entries)
        for _ in range(3):
            try:
                return _write(model, entries, writer, locale, stored_for, on_problem, audit_creations)
            except IntegrityError:
                # Another writer created one of these cells between our read and our insert (PostgreSQL;
                # on SQLite the transaction holds the write lock from its start): its row is committed
                # now, so the same write, made again, updates it or is refused as stale. Never a 500.
                continue
        raise Conflict("Số liệu đang được người khác ghi cùng lúc; thử lại.", en="Someone is writing the same figure; try again.")
    return _write(model, entries, writer, locale, stored_for, on_problem, audit_creations)


def _write(model: type[Plan] | type[Result], entries: Iterable[Entry | Unresolved], writer: Writer, locale: str,
           stored_for: Collection[Target] | None, on_problem: Problem | None, audit_creations: bool) -> Counts:
    batch = Batch(model, writer, locale, on_problem, audit_creations)
    with transaction.atomic(), grants_read_once():
        batch.load_stored(stored_for, entries)
        if not writer.trusted and writer.user is not None:
            grants(writer.user)  # read now: nothing may query the connection while rows stream into COPY
        rows = batch.checked(entries)  # nothing more after a problem; the caller rolls back
        if on_problem is None or stored_for is None:
            # A problem raises, or a stale version is explained from the trail: check before any SQL
            # (only a large write streams its rows into COPY, where nothing else may query).
            rows = iter(list(rows))
        _bulk.insert(model=model, columns=batch.insert_columns, rows=rows)
        if batch.counts.problems == 0:
            _bulk.update(model=model, columns=batch.update_columns, rows=batch.updates)
            batch.audit()
            batch.note_periods()
            batch.refresh_rollups()
    return batch.counts
