"""Completeness of a resolution's reporting in a period: for a unit and the units directly below it, where
each unit's data set stands (not started, being entered, submitted, returned, approved, waived), how many
figures it has entered of those expected, the deadline, and who is late. Late units are reminded through the
shared notification service, once per unit and deadline (the key says which deadline).

The deadline is the resolution's `entry_closes_after_days` after the period ends (figures.workflow); a
resolution without one has no deadline, so nobody is late and nobody is reminded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from nghiquyet.accounts.models import ROLE_RANK, Membership, Role
from nghiquyet.figures.datasets import reporting_unit_ids, sets_of
from nghiquyet.figures.models import DataSet, ResolutionPeriod, SetState
from nghiquyet.lib.periods import Period, parse_period
from nghiquyet.notifications.services import Message, notify
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Resolution, Result

OPEN_STATES = {SetState.DRAFT, SetState.RETURNED}  # what a late unit's set still is
REMINDED_ROLES = [role for role in Role if ROLE_RANK[role] >= ROLE_RANK[Role.REPORTER]]


@dataclass(frozen=True)
class UnitProgress:
    org_unit: OrgUnit
    data: DataSet
    entered: int  # figures entered for the period (any state)
    expected: int  # targets planned for the unit in the period (0: none handed down)
    reports: bool  # given a plan or entered something: expected to report
    late: bool

    @property
    def started(self) -> bool:
        return self.entered > 0 or self.data.pk is not None

    @property
    def state_key(self) -> str:
        """The state to show: "not_started" for a draft with nothing entered yet."""
        return "not_started" if self.data.state == SetState.DRAFT and not self.started else self.data.state


@dataclass(frozen=True)
class Completeness:
    resolution: Resolution
    period: Period
    deadline: date | None
    rows: list[UnitProgress]
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def late(self) -> list[UnitProgress]:
        return [row for row in self.rows if row.late]

    @property
    def reporting(self) -> list[UnitProgress]:
        return [row for row in self.rows if row.reports]

    @property
    def done(self) -> int:
        """Reporting units whose set is approved or waived."""
        return sum(1 for row in self.reporting if row.data.state in (SetState.APPROVED, SetState.WAIVED))


def deadline_of(resolution: Resolution, period: Period) -> date | None:
    days = resolution.entry_closes_after_days
    return None if days is None else period.end + timedelta(days=days)


def completeness(*, resolution: Resolution, period: Period, units: list[OrgUnit], today: date) -> Completeness:
    """The progress of each of these units (the caller chose those the user may see), in their order."""
    deadline = deadline_of(resolution, period)
    cell = {"target__resolution": resolution, "period": period.code, "org_unit__in": units}
    entered = dict(Result.objects.filter(**cell).values_list("org_unit").annotate(n=Count("target", distinct=True)))
    expected = dict(Plan.objects.filter(**cell).values_list("org_unit").annotate(n=Count("target", distinct=True)))
    reporting = reporting_unit_ids(resolution=resolution, period=period, among=units)
    rows = []
    for unit, data in zip(units, sets_of(resolution=resolution, units=units, period=period), strict=True):
        late = deadline is not None and today > deadline and unit.pk in reporting and data.state in OPEN_STATES
        rows.append(UnitProgress(unit, data, entered.get(unit.pk, 0), expected.get(unit.pk, 0), unit.pk in reporting, late))
    return Completeness(resolution, period, deadline, rows, Counter(row.state_key for row in rows))


@dataclass(frozen=True)
class Reminded:
    told: int  # people told now
    people: int  # people of the unit who report (0: nobody to tell)


def remind_late(*, progress: Completeness) -> dict[str, Reminded]:
    """Remind each late unit's reporters (and its approvers and admins, who may report for it too);
    returns unit code → whom (a unit reminded before for this deadline: told 0)."""
    reminded: dict[str, Reminded] = {}
    for row in progress.late:
        unit = row.org_unit
        people = [m.user for m in Membership.objects.filter(org_unit=unit, role__in=REMINDED_ROLES, user__is_active=True).select_related("user")]
        reminded[unit.code] = Reminded(len(notify(users=people, message=_late_message(progress, unit))), len({p.pk for p in people}))
    return reminded


def _late_message(progress: Completeness, unit: OrgUnit) -> Message:
    resolution, period, deadline = progress.resolution, progress.period, progress.deadline
    url = reverse("web:entry", args=[resolution.key]) + "?" + urlencode({"org": unit.code, "period": period.code})
    return Message(
        key=f"late:{resolution.pk}:{unit.pk}:{period.code}:{deadline:%Y-%m-%d}",
        subject=f"Nhắc nộp số liệu: {resolution.number}, kỳ {period.code}, {unit.name}",
        body=(f"Đã quá hạn nộp số liệu ({deadline:%d/%m/%Y}) của {resolution.number} — {resolution.title}, kỳ {period.code}, "
              f"đơn vị {unit.name} ({unit.code}). Đề nghị nhập đủ và nộp để cấp trên duyệt."),
        url=url,
    )


def remind_all_late(*, today: date, look_back_days: int = 60) -> int:
    """The scheduled reminder: every resolution with a deadline, every period whose deadline passed within
    `look_back_days`, every reporting unit still open; returns people told now."""
    told = 0
    for resolution in Resolution.objects.filter(entry_closes_after_days__isnull=False):
        for row in ResolutionPeriod.objects.filter(resolution=resolution, period_end__gte=today - timedelta(days=look_back_days + 366)):
            period = parse_period(row.period)
            deadline = deadline_of(resolution, period)
            if deadline is None or not (today - timedelta(days=look_back_days) <= deadline < today):
                continue
            ids = reporting_unit_ids(resolution=resolution, period=period, among=OrgUnit.objects.all())
            units = list(OrgUnit.objects.filter(pk__in=ids).order_by("code"))
            progress = completeness(resolution=resolution, period=period, units=units, today=today)
            told += sum(item.told for item in remind_late(progress=progress).values())
    return told


def units_for(*, under: OrgUnit, period: Period, visible: Any) -> list[OrgUnit]:
    """The unit and the units directly below it in the period that the user may see, by code."""
    below = OrgUnit.objects.filter(visible, parent=under).overlapping(period.start, period.end).order_by("code")
    return [under, *below]
