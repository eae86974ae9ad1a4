"""Why a target was not met: one cause per target × unit × period (figures.models.Cause), objective or
subjective, in words. Written by the people who enter the unit's figures, under the same locks (a submitted
or approved set, a closed period), with a version so that two people never overwrite each other; read by
the entry page, the scorecard and, later, the reports."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.accounts.permissions import Action, require
from nghiquyet.audit.services import record, record_change, refuse_stale, snapshot
from nghiquyet.figures import workflow
from nghiquyet.figures.datasets import data_set
from nghiquyet.figures.models import Cause, CauseKind
from nghiquyet.lib.errors import Conflict, Invalid
from nghiquyet.lib.periods import Period
from nghiquyet.lib.validation import clean_text
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Resolution, Target

FIELDS = ("kind", "text")


@transaction.atomic
def set_cause(*, user: Any, target: Target, org_unit: OrgUnit, period: Period, kind: str, text: str,
              version: int | None = None) -> Cause | None:
    """Record, change or (kind and text both empty) remove the cause; None when there is none after."""
    require(user, Action.ENTER_RESULT, org_unit)
    text = clean_text(text or "", "cause", limit=4000, multiline=True)
    kind = (kind or "").strip()
    if kind and kind not in CauseKind.values:
        raise Invalid(f'Loại nguyên nhân "{kind[:20]}" không có: khách quan hoặc chủ quan.',
                      en=f'Unknown kind of cause "{kind[:20]}": objective or subjective.', field="cause_kind")
    if bool(kind) != bool(text):
        raise Invalid("Ghi cả loại (khách quan / chủ quan) và nội dung nguyên nhân.",
                      en="Give both the kind (objective / subjective) and the cause in words.", field="cause_kind" if text else "cause")
    data = data_set(resolution=target.resolution, org_unit=org_unit, period=period, lock=True)  # no submit in between
    workflow.check_open(unit_code=org_unit.code, period=period, state=data.state, reopened=data.reopened,
                        closes_after_days=target.resolution.entry_closes_after_days, today=timezone.localdate())
    found = Cause.objects.select_for_update().filter(target=target, org_unit=org_unit, period=period.code).first()
    if found is not None:
        refuse_stale(found, version, what="Nguyên nhân", what_en="The cause")
    if not kind:
        if found is not None:
            record("delete", obj=found, org_unit=org_unit, old=snapshot(found, FIELDS), summary=f"nguyên nhân {target.code} {org_unit.code} {period.code}")
            found.delete()
        return None
    if found is not None and (found.kind, found.text) == (kind, text):
        return found
    before = snapshot(found, FIELDS) if found is not None else None
    cause = found or Cause(target=target, org_unit=org_unit, period=period.code)
    cause.kind, cause.text, cause.updated_by = kind, text, user
    try:
        with transaction.atomic():
            cause.save()
    except IntegrityError:  # the first cause of the cell, written by someone else a moment ago
        raise Conflict("Người khác vừa ghi nguyên nhân của chỉ tiêu này; tải lại để xem rồi sửa tiếp.",
                       en="Someone has just written this target's cause; reload to see it, then edit.", field="cause") from None
    record_change(cause, before=before, fields=FIELDS, org_unit=org_unit, summary=f"nguyên nhân {target.code} {org_unit.code} {period.code}")
    return cause


def causes_at(*, resolution: Resolution, org_unit: OrgUnit, period: Period) -> dict[int, Cause]:
    """target id → its cause at the unit in the period."""
    rows = Cause.objects.filter(target__resolution=resolution, org_unit=org_unit, period=period.code)
    return {cause.target_id: cause for cause in rows}
