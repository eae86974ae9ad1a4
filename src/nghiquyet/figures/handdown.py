"""Plans handed down (giao kế hoạch): the level above sets each child unit's plan for a target and period,
and for targets whose figures add up the children's plans are checked against the parent's own: a warning
with the difference, never a refusal (a province may hand down more than its own plan, to be safe, or
keep a reserve). Read through the one read layer; each plan is written by the figure-write service.

What adds up: a target rolled up by sum whose figures are counts or money, over the children of the
parent's own kind (departments are never summed into a territory, ADR 0004)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nghiquyet.figures.reads import EVERYONE, Audience, read_figures
from nghiquyet.lib.periods import Period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Plan, Rollup, Target, ValueKind

SUMMED_KINDS = {ValueKind.COUNT, ValueKind.MONEY}


@dataclass(frozen=True)
class HandDownRow:
    org_unit: OrgUnit
    plan: Plan | None
    counted: bool  # added into the total (same kind of unit as the parent)


@dataclass(frozen=True)
class HandDown:
    target: Target
    parent: OrgUnit
    period: Period
    parent_plan: Plan | None
    rows: list[HandDownRow]

    @property
    def adds_up(self) -> bool:
        return self.target.rollup == Rollup.SUM and self.target.value_kind in SUMMED_KINDS

    @property
    def total(self) -> Decimal | None:
        """The children's plans added up (None when the target does not add up or no child has one)."""
        values = [row.plan.value for row in self.rows if row.counted and row.plan is not None]
        return sum(values, Decimal(0)) if self.adds_up and values else None

    @property
    def missing(self) -> list[OrgUnit]:
        return [row.org_unit for row in self.rows if row.plan is None]

    @property
    def difference(self) -> Decimal | None:
        """The children's total minus the parent's plan: above 0, more was handed down than the parent's plan."""
        if self.total is None or self.parent_plan is None:
            return None
        return self.total - self.parent_plan.value


def hand_down(*, target: Target, parent: OrgUnit, children: list[OrgUnit], period: Period,
              audience: Audience = EVERYONE) -> HandDown:
    figures = read_figures(targets=[target], units=[parent, *children], periods=[period], audience=audience)

    def plan_of(unit: OrgUnit) -> Plan | None:
        cell = figures.get(target, unit, period)
        return cell.plan if cell else None

    # counted: of the parent's kind and still valid at the period's end (in a merger year the old units' plans are
    # listed but not added beside their successors')
    rows = [HandDownRow(child, plan_of(child), child.unit_type == parent.unit_type
                        and (child.valid_to is None or child.valid_to >= period.end)) for child in children]
    return HandDown(target=target, parent=parent, period=period, parent_plan=plan_of(parent), rows=rows)
