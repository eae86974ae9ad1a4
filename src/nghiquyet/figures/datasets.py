"""A unit's figures for a resolution and period as a whole (figures.models.DataSet): submitted to the level
above, approved bottom-up and then locked, returned with a reason, reopened by an admin, waived. The steps
and their states are figures.workflow's; who may take them is checked here, inside the transaction, with
the set's row locked. While a set is submitted or approved, or its period closed for entry, the figure-write
service refuses changes to its figures from people (figures.batch)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, Forbidden, require
from nghiquyet.audit.services import Change, record, record_changes, refuse_stale
from nghiquyet.figures import generations, rollups, workflow
from nghiquyet.figures.batch import summary_of
from nghiquyet.figures.models import DataSet, SetState
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import clean_text
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result, ResultState

STEP_ACTIONS = {"submit": Action.ENTER_RESULT, "approve": Action.APPROVE, "return": Action.APPROVE,
                "waive": Action.APPROVE, "reopen": Action.MANAGE}
NEEDS_REASON = {"return", "reopen", "waive"}
STEP_WORDS = {"submit": "nộp", "approve": "duyệt", "return": "trả lại", "reopen": "mở lại", "waive": "miễn báo cáo"}


def data_set(*, resolution: Resolution, org_unit: OrgUnit, period: Period, lock: bool = False) -> DataSet:
    """The unit's set for the resolution and period (a draft until someone moves it), its row locked
    until the transaction ends with `lock`."""
    rows = DataSet.objects.select_for_update(of=("self",)) if lock else DataSet.objects.all()
    found = rows.filter(resolution=resolution, org_unit=org_unit, period=period.code).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            not_started(resolution=resolution, org_unit=org_unit, period=period).save()
    except IntegrityError:
        pass  # made a moment ago by someone else: theirs is the one
    return rows.get(resolution=resolution, org_unit=org_unit, period=period.code)


def not_started(*, resolution: Resolution, org_unit: OrgUnit, period: Period) -> DataSet:
    """A set nobody has moved yet, as it would be stored (not saved: reading never writes)."""
    return DataSet(resolution=resolution, org_unit=org_unit, period=period.code, period_start=period.start,
                   period_end=period.end, state=SetState.DRAFT)


def sets_of(*, resolution: Resolution, units: list[OrgUnit], period: Period) -> list[DataSet]:
    """The set of each unit, in the units' order: stored, or not started yet (what a completeness view
    lists; nothing is created)."""
    stored = {data.org_unit_id: data for data in DataSet.objects.filter(resolution=resolution, period=period.code, org_unit__in=units)}
    return [stored.get(unit.pk) or not_started(resolution=resolution, org_unit=unit, period=period) for unit in units]


def reporting_unit_ids(*, resolution: Resolution, period: Period, among: Any) -> set[int]:
    """Which of these units report for the resolution in the period: they were given a plan or entered a
    result (a unit with neither is not waited for, and not reminded)."""
    cell = Q(target__resolution=resolution, period=period.code)
    reporting = set(Plan.objects.filter(cell, org_unit__in=among).values_list("org_unit_id", flat=True))
    return reporting | set(Result.objects.filter(cell, org_unit__in=among).values_list("org_unit_id", flat=True))


@transaction.atomic
def move(*, step: str, user: Any, resolution: Resolution, org_unit: OrgUnit, period: Period, reason: str = "",
         version: int | None = None) -> DataSet:
    """Take `step` (submit, approve, return, reopen, waive) on the unit's set; returns it as moved."""
    if step not in workflow.SET_STEPS:
        raise Invalid(f'Bước "{step}" không có.', en=f'Unknown step "{step}".', field="action")
    reason = clean_text(reason or "", "reason", limit=2000, multiline=True)
    if step in NEEDS_REASON and not reason:
        raise Invalid(f"Cần ghi lý do {STEP_WORDS[step]}.", en=f"Give the reason to {step}.", field="reason")
    require(user, STEP_ACTIONS[step], org_unit)
    found = data_set(resolution=resolution, org_unit=org_unit, period=period, lock=True)
    refuse_stale(found, version, what="Bộ số liệu", what_en="The data set")
    target = workflow.set_step(step, found.state)
    if target is None:
        raise Conflict(
            f"Bộ số liệu đang ở trạng thái “{found.get_state_display()}”: không {STEP_WORDS[step]} được.",
            en=f"The data set is {found.state}: it cannot be {step}ed now.",
            field="state",
        )
    if step == "approve":
        _check_four_eyes(user, found, resolution, org_unit, period)
        _check_children_done(resolution, org_unit, period)
        _approve_figures(resolution, org_unit, period)
    old = {"state": found.state, "note": found.note}
    found.state, found.note = target, reason if step in NEEDS_REASON else found.note
    now = timezone.now()
    if step == "submit":
        found.submitted_by, found.submitted_at = user, now
    else:
        found.decided_by, found.decided_at = user, now
    found.reopened = found.reopened or step == "reopen"
    found.save()
    record(step, obj=found, org_unit=org_unit, summary=f"{resolution.key} {org_unit.code} {period.code}", old=old,
           new={"state": found.state, "note": found.note})
    return found


def _check_four_eyes(user: Any, found: DataSet, resolution: Resolution, org_unit: OrgUnit, period: Period) -> None:
    """Nobody approves a set they submitted or whose figures they entered or last changed."""
    edited = Result.objects.filter(target__resolution=resolution, org_unit=org_unit, period=period.code, recorded_by=user.pk)
    if found.submitted_by_id == user.pk or edited.exists():
        raise Forbidden(
            "Không tự duyệt bộ số liệu mình đã nộp hoặc đã nhập, sửa số liệu trong đó: cần một người duyệt khác.",
            en="You may not approve a data set you submitted or whose figures you entered or changed.",
        )


def _check_children_done(resolution: Resolution, org_unit: OrgUnit, period: Period) -> None:
    """Bottom-up: the sets of the units below that report (they have a plan or a result for the resolution in
    the period) must be approved or waived first."""
    children = OrgUnit.objects.filter(parent=org_unit).overlapping(period.start, period.end)
    reporting = reporting_unit_ids(resolution=resolution, period=period, among=children)
    done = set(DataSet.objects.filter(resolution=resolution, period=period.code, org_unit_id__in=reporting,
                                      state__in=workflow.DONE_SET_STATES).values_list("org_unit_id", flat=True))
    waiting = sorted(OrgUnit.objects.filter(pk__in=reporting - done).values_list("code", flat=True))
    if waiting:
        shown = ", ".join(waiting[:5]) + (f" và {len(waiting) - 5} đơn vị khác" if len(waiting) > 5 else "")
        raise Conflict(
            f"Chưa duyệt được: bộ số liệu của đơn vị cấp dưới chưa được duyệt hoặc miễn: {shown}.",
            en=f"Not yet: the data sets of these units below are not approved or waived: {', '.join(waiting[:5])}.",
            field="state",
        )


def _approve_figures(resolution: Resolution, org_unit: OrgUnit, period: Period) -> None:
    """Approving a set approves its figures that are not approved yet, each with its audit event."""
    pending = list(Result.objects.filter(target__resolution=resolution, org_unit=org_unit, period=period.code).exclude(
        state=ResultState.APPROVED
    ).select_related("target"))
    changes = [
        Change("update", result.pk, org_unit.pk, summary_of(Result, result.target.code, org_unit.code, result.period, result.kind, result.value),
               {"state": result.state}, {"state": ResultState.APPROVED})
        for result in pending
    ]
    if changes:
        Result.objects.filter(pk__in=[c.object_id for c in changes]).update(
            state=ResultState.APPROVED, version=F("version") + 1, updated_at=timezone.now()
        )
        record_changes(Result, changes)
        rollups.refresh(units=[org_unit.pk], cells={(result.target_id, result.period) for result in pending})
        generations.bump([resolution.pk])


__all__ = ["SetState", "data_set", "move", "not_started", "reporting_unit_ids", "sets_of"]
