"""The read layer for figures: the values of targets × units × periods, with every choice made here.

- Periods are matched by their dates, not their codes (a quarter is the rows from its first to its last
  day, whatever the code was typed as), so period roll-ups can later build a year from months here.
- Per cell, the official result beats the estimate.
- Approved results only, unless drafts are asked for; drafts then count only where the audience may see
  them (and are marked by their state).
- The audience — which units' figures the caller may see — is an argument: this layer never asks
  accounts.permissions itself (figures.policies.audience builds one for a user).

- What a unit's figure adds up to when nobody reported it (`derived_figures`): up the tree from the store the
  write service keeps (figures.models.TreeTotal), across periods from the unit's own sub-periods, by the rules
  of figures.rollup_rules; approved figures only.

The scorecard, the target history, the dashboards, the reports, the CSV and the API read through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from nghiquyet.figures.models import TreeTotal
from nghiquyet.figures.rollup_rules import NOTHING, RATIO, Derived, over_periods, ratio
from nghiquyet.lib.periods import FINER, Period, parse_period, sub_periods
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


Dates = tuple[date, date]


def derived_figures(
    *, targets: Iterable[Target], units: Iterable[OrgUnit | int], periods: Iterable[Period], today: date
) -> dict[tuple[int, int, Dates], Derived]:
    """What each target adds up to at each unit in each period, where something below it has a value:
    (target id, unit id, (start, end)) → the derived value with how complete it is. Up the tree, the store's
    total of the unit's children; across periods, the unit's own sub-periods (each its own value, else its
    children's complete total); where both exist the complete one, else the more complete. Ratios are
    recomputed from their numerator's and denominator's figures at the unit, never added up. Two queries,
    whatever the size of the subtree."""
    targets, periods, unit_ids = list(targets), list(periods), _ids(units)
    if not targets or not periods or not unit_ids:
        return {}
    ids = {t.pk for t in targets} | {t.numerator_id for t in targets if t.numerator_id} | {t.denominator_id for t in targets if t.denominator_id}
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    span = {"org_unit_id__in": unit_ids, "target_id__in": ids, "period_start__gte": first, "period_end__lte": last}
    own: dict[tuple[int, int, Dates], tuple[str, Decimal]] = {}
    for target_id, unit_id, start, end, kind, value in Result.objects.filter(state=ResultState.APPROVED, **span).values_list(
        "target_id", "org_unit_id", "period_start", "period_end", "kind", "value"
    ):
        key = (target_id, unit_id, (start, end))
        if key not in own or (kind == ResultKind.OFFICIAL and own[key][0] == ResultKind.ESTIMATE):
            own[key] = (kind, value)
    totals = {
        (target_id, unit_id, (start, end)): Derived(value, found, expected, "đơn vị")
        for target_id, unit_id, start, end, value, found, expected in TreeTotal.objects.filter(**span).values_list(
            "target_id", "org_unit_id", "period_start", "period_end", "value", "found", "expected"
        )
    }
    by_id = {t.pk: t for t in Target.objects.filter(pk__in=ids - {t.pk for t in targets})} | {t.pk: t for t in targets}

    def own_value(target_id: int, unit_id: int, dates: Dates) -> Decimal | None:
        found = own.get((target_id, unit_id, dates))
        return found[1] if found else None

    # each (target, unit)'s effective values by dates: its own, else its children's complete total
    effective_at: dict[tuple[int, int], dict[Dates, Decimal]] = {}
    for (target_id, unit_id, dates), (_, value) in own.items():
        effective_at.setdefault((target_id, unit_id), {})[dates] = value
    for (target_id, unit_id, dates), total in totals.items():
        if total.complete:
            effective_at.setdefault((target_id, unit_id), {}).setdefault(dates, total.value)  # type: ignore[arg-type]
    parts_of = {period: [(part.code, (part.start, part.end)) for kind in FINER.get(period.kind, ()) for part in sub_periods(period, kind)]
                for period in periods}

    def adds_up(target: Target, unit_id: int, period: Period) -> Derived:
        tree = totals.get((target.pk, unit_id, (period.start, period.end)), NOTHING)
        known = effective_at.get((target.pk, unit_id))
        if not known:
            return tree
        values = {code: known[dates] for code, dates in parts_of[period] if dates in known}
        return _better(tree, over_periods(period, values, target.accumulation, today=today)) if values else tree

    def as_found(target: Target, unit_id: int, period: Period) -> Derived:
        value = own_value(target.pk, unit_id, (period.start, period.end))
        return Derived(value, 1, 1) if value is not None else adds_up(target, unit_id, period)

    derived = {}
    for target in targets:
        for unit_id in unit_ids:
            for period in periods:
                if target.rollup == RATIO and target.numerator_id and target.denominator_id:
                    scale = Decimal(100) if target.value_kind == "percent" else Decimal(1)
                    value = ratio(as_found(by_id[target.numerator_id], unit_id, period),
                                  as_found(by_id[target.denominator_id], unit_id, period), scale=scale)
                else:
                    value = adds_up(target, unit_id, period)
                if value.found:
                    derived[(target.pk, unit_id, (period.start, period.end))] = value
    return derived


def _better(one: Derived, other: Derived) -> Derived:
    """The complete one of two derivations, else the more complete."""
    for candidate in (one, other):
        if candidate.complete:
            return candidate
    share = lambda d: d.found / d.expected if d.expected else 0  # noqa: E731
    return max((one, other), key=share)


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
