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

from django.db import transaction
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, grants, grants_read_once, require
from nghiquyet.audit.context import current_actor
from nghiquyet.audit.services import Change, record_changes
from nghiquyet.figures import _bulk, workflow
from nghiquyet.figures.batch import NOTE_MAX, Batch, Counts, Entry, Problem, Unresolved, summary_of, while_ok
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import check_no_nul
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
    batch = Batch(model, writer, locale, on_problem, audit_creations)
    with transaction.atomic(), grants_read_once():
        batch.load_stored(stored_for, entries)
        if not writer.trusted and writer.user is not None:
            grants(writer.user)  # read now: nothing may query the connection while rows stream into COPY
        rows = batch.checked(entries)
        if on_problem is None:  # a problem raises: find it before any SQL, and skip an empty insert
            rows = iter(list(rows))
        _bulk.insert(model=model, columns=batch.insert_columns, rows=while_ok(rows, batch.counts))
        for _ in rows:  # after a problem: go on checking, to report every one, but write nothing more
            pass
        if batch.counts.problems == 0:
            _bulk.update(model=model, columns=batch.update_columns, rows=batch.updates)
            batch.audit()
            batch.note_periods()
    return batch.counts
