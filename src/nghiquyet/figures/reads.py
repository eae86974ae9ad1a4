"""The read layer for figures: the values of targets × units × periods, with every choice made here.

- Periods are matched by their dates, not their codes (a quarter is the rows from its first to its last
  day, whatever the code was typed as), so period roll-ups can later build a year from months here.
- Per cell, the official result beats the estimate.
- Approved results only, unless drafts are asked for; drafts then count only where the audience may see
  them (and are marked by their state).
- The audience — which units' figures the caller may see — is an argument: this layer never asks
  accounts.permissions itself (figures.policies.audience builds one for a user).

The scorecard, the target history, the CSV and the API's scorecard read through here; roll-ups,
dashboards, reports and the review are meant to extend it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from nghiquyet.lib.periods import Period, parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Result, ResultKind, ResultState, Target


@dataclass(frozen=True)
class Audience:
    """Whose figures a reader may see, as conditions on a figure's row: `approved` for plans and approved
    results, `drafts` for results in any state. None: no limit (the command line, system jobs)."""

    approved: Q | None = None
    drafts: Q | None = None


EVERYONE = Audience()


@dataclass(frozen=True)
class Cell:
    """One target × unit × period: its plan and the result that counts (official, else estimate)."""

    target_id: int
    org_unit: OrgUnit
    period: Period
    plan: Plan | None
    result: Result | None


CellKey = tuple[int, int, tuple[date, date]]  # target id, unit id, (period start, period end)


@dataclass(frozen=True)
class Figures:
    cells: dict[CellKey, Cell]

    def get(self, target: Target | int, unit: OrgUnit | int, period: Period) -> Cell | None:
        target_id = target if isinstance(target, int) else target.pk
        unit_id = unit if isinstance(unit, int) else unit.pk
        return self.cells.get((target_id, unit_id, (period.start, period.end)))

    def __iter__(self):
        return iter(self.cells.values())


def _ids(items: Iterable[object]) -> list[int]:
    return [item if isinstance(item, int) else item.pk for item in items]  # type: ignore[attr-defined]


def _periods_q(periods: Iterable[Period]) -> Q:
    query = Q(pk__in=[])
    for period in periods:
        query |= Q(period_start=period.start, period_end=period.end)
    return query


def read_figures(
    *,
    targets: Iterable[Target | int],
    units: Iterable[OrgUnit | int] | None = None,
    periods: Iterable[Period] | None = None,
    audience: Audience = EVERYONE,
    drafts: bool = False,
) -> Figures:
    """Plans and the results that count for these targets, at these units (None: every unit the audience
    may see) and periods (None: all)."""
    target_ids = _ids(targets)
    plans = Plan.objects.filter(target_id__in=target_ids).select_related("org_unit")
    results = Result.objects.filter(target_id__in=target_ids).select_related("org_unit", "recorded_by")
    wanted = list(periods) if periods is not None else None
    if units is not None:
        unit_ids = _ids(units)
        plans, results = plans.filter(org_unit_id__in=unit_ids), results.filter(org_unit_id__in=unit_ids)
    if wanted is not None:
        plans, results = plans.filter(_periods_q(wanted)), results.filter(_periods_q(wanted))
    if audience.approved is not None:
        plans = plans.filter(audience.approved)
    every = ~Q(pk__in=[])  # not Q(): an empty Q drops out of | and & (Q() | x is x)
    approved = Q(state=ResultState.APPROVED) & (audience.approved if audience.approved is not None else every)
    if drafts:
        results = results.filter(approved | (audience.drafts if audience.drafts is not None else every))
    else:
        results = results.filter(approved)
    by_dates = {(p.start, p.end): p for p in wanted} if wanted is not None else {}

    def period_of(row: Plan | Result) -> Period:
        dates = (row.period_start, row.period_end)
        if dates not in by_dates:
            by_dates[dates] = parse_period(row.period)
        return by_dates[dates]

    found_plans: dict[CellKey, Plan] = {}
    units_seen: dict[int, OrgUnit] = {}
    for plan in plans:
        found_plans[(plan.target_id, plan.org_unit_id, (plan.period_start, plan.period_end))] = plan
        units_seen[plan.org_unit_id] = plan.org_unit
    best: dict[CellKey, Result] = {}
    for result in results:
        key = (result.target_id, result.org_unit_id, (result.period_start, result.period_end))
        units_seen[result.org_unit_id] = result.org_unit
        if key not in best or counts_before(result, best[key]):
            best[key] = result
    cells = {}
    for key in found_plans.keys() | best.keys():
        row = found_plans.get(key) or best[key]
        cells[key] = Cell(key[0], units_seen[key[1]], period_of(row), found_plans.get(key), best.get(key))
    return Figures(cells)


def counts_before(result: Result, other: Result) -> bool:
    """Whether `result` is the one that counts rather than `other` for the same cell: official beats
    estimate."""
    return result.kind == ResultKind.OFFICIAL and other.kind == ResultKind.ESTIMATE


def latest_period_with_results(*, resolution_id: int, org_unit_id: int, audience: Audience = EVERYONE) -> Period | None:
    """The newest period (by its end, then the longest) with a result the audience may see at the unit."""
    results = Result.objects.filter(target__resolution_id=resolution_id, org_unit_id=org_unit_id, state=ResultState.APPROVED)
    if audience.approved is not None:
        results = results.filter(audience.approved)
    row = results.order_by("-period_end", "period_start").values_list("period", flat=True).first()
    return parse_period(row) if row else None
