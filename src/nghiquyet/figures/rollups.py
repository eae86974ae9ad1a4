"""The store of live roll-ups up the org tree (figures.models.TreeTotal), kept by the figure-write service.

When approved results change, `refresh` recomputes, from source, what each parent of the changed units adds
up to for the changed targets and periods, then their parents', level by level to the root, in the same
transaction: a scorecard is current the moment a value is approved, and no nightly batch exists. Recomputing
from source (the children's own results and their own totals), not adding deltas, makes it idempotent: a
superset of cells is harmless, so a large import hands in its units and its (target, period) pairs, not one
cell per row.

Two writers under one province must not both recompute it from what they each saw: each level's parents are
locked (PostgreSQL: SELECT … FOR NO KEY UPDATE on their org-unit rows) before their children are read, deepest
level first and by id within a level, one order for every writer, so they queue instead of deadlocking or
losing an update (SQLite: the transaction already holds the database's write lock).

The rules are figures.rollup_rules (pure): a child counts with its own value, else its own children's total
when complete; only children that add into the parent's kind count (a department is never added into a
territory; a party organisation is);
the row keeps how many children had a value and how many were expected. docs/decisions/0015-roll-ups.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction

from nghiquyet.figures.models import TreeTotal
from nghiquyet.figures.rollup_rules import SUM, Child, adds_into, effective, over_units
from nghiquyet.figures.rollup_rules import Derived as Total
from nghiquyet.lib.periods import parse_period
from nghiquyet.orgunits.models import OrgUnit
from nghiquyet.targets.models import Result, ResultKind, ResultState, Target

Dates = tuple[date, date]
Cell = tuple[int, Dates]  # target id, (period start, period end)


def refresh(*, units: Collection[int], cells: Collection[tuple[int, str]]) -> int:
    """Recompute the totals above `units` for `cells` ((target id, period code) pairs), up to the root; returns
    how many totals were written or removed. Call inside the transaction that changed the figures."""
    summed = set(Target.objects.filter(pk__in={t for t, _ in cells}, rollup=SUM).values_list("pk", flat=True))
    wanted: dict[Cell, str] = {}
    for target_id, code in cells:
        if target_id in summed:
            period = parse_period(code)
            wanted[(target_id, (period.start, period.end))] = period.code
    if not wanted or not units:
        return 0
    changed = 0
    with transaction.atomic():
        parents = set(OrgUnit.objects.filter(pk__in=units, parent__isnull=False).values_list("parent_id", flat=True))
        while parents:
            level = _lock(parents)
            changed += _recompute(level, wanted)
            parents = {unit.parent_id for unit in level if unit.parent_id is not None}
    return changed


def rebuild(*, targets: Iterable[Target | int] | None = None) -> int:
    """Every total of these targets (None: all) from the figures as they are: after a change of the tree
    (a unit moved, merged or closed) or to repair the store (`nghiquyet rollups --rebuild`)."""
    results = Result.objects.filter(state=ResultState.APPROVED)
    if targets is not None:
        results = results.filter(target_id__in=[t if isinstance(t, int) else t.pk for t in targets])
    cells = set(results.values_list("target_id", "period").distinct())
    units = set(results.values_list("org_unit_id", flat=True).distinct())
    with transaction.atomic():
        stale = TreeTotal.objects.all() if targets is None else TreeTotal.objects.filter(target_id__in={t for t, _ in cells})
        removed = stale.delete()[0]
        return removed + refresh(units=units, cells=cells)


def _lock(parent_ids: set[int]) -> list[OrgUnit]:
    """The deepest of these parents, locked in id order: one level of the climb."""
    rows = list(OrgUnit.objects.filter(pk__in=parent_ids).only("id", "depth"))
    deepest = max(unit.depth for unit in rows)
    ids = sorted(unit.pk for unit in rows if unit.depth == deepest)
    locked = OrgUnit.objects.filter(pk__in=ids).order_by("pk").select_for_update(no_key=True)
    return list(locked.only("id", "parent_id", "depth", "unit_type"))


def _recompute(level: list[OrgUnit], wanted: dict[Cell, str]) -> int:
    """The totals of `level`'s units for the wanted cells, written over what was stored."""
    kinds = {unit.pk: unit.unit_type for unit in level}
    children = list(OrgUnit.objects.filter(parent_id__in=kinds).values_list("pk", "parent_id", "unit_type", "valid_from", "valid_to"))
    child_ids = [row[0] for row in children]
    target_ids = {target for target, _ in wanted}
    starts, ends = {dates[0] for _, dates in wanted}, {dates[1] for _, dates in wanted}
    own: dict[tuple[int, int, Dates], tuple[str, Decimal]] = {}
    for target, unit, start, end, kind, value in Result.objects.filter(
        org_unit_id__in=child_ids, target_id__in=target_ids, period_start__in=starts, period_end__in=ends, state=ResultState.APPROVED
    ).values_list("target_id", "org_unit_id", "period_start", "period_end", "kind", "value"):
        key = (target, unit, (start, end))
        if key not in own or (kind == ResultKind.OFFICIAL and own[key][0] == ResultKind.ESTIMATE):
            own[key] = (kind, value)
    below: dict[tuple[int, int, Dates], Total] = {
        (target, unit, (start, end)): Total(value, found, expected)
        for target, unit, start, end, value, found, expected in TreeTotal.objects.filter(
            org_unit_id__in=child_ids, target_id__in=target_ids, period_start__in=starts, period_end__in=ends
        ).values_list("target_id", "org_unit_id", "period_start", "period_end", "value", "found", "expected")
    }
    by_parent: dict[int, list[tuple]] = defaultdict(list)
    for row in children:
        by_parent[row[1]].append(row)
    stored = {
        (row.target_id, row.org_unit_id, (row.period_start, row.period_end)): row
        for row in TreeTotal.objects.filter(org_unit_id__in=kinds, target_id__in=target_ids, period_start__in=starts, period_end__in=ends)
    }
    writes, removals = [], []
    for parent_id, kind in kinds.items():
        for (target, dates), code in wanted.items():
            members = [
                Child(str(pk), effective(own[(target, pk, dates)][1] if (target, pk, dates) in own else None,
                                         below.get((target, pk, dates), Total(None, 0, 0))),
                      counted=adds_into(kind, unit_type) and _valid_during(valid_from, valid_to, dates))
                for pk, _, unit_type, valid_from, valid_to in by_parent.get(parent_id, ())
            ]
            total = over_units(members, SUM)
            key = (target, parent_id, dates)
            before = stored.get(key)
            if total.found == 0:
                if before is not None:
                    removals.append(before.pk)
                continue
            if before is not None and (before.value, before.found, before.expected) == (total.value, total.found, total.expected):
                continue
            writes.append(TreeTotal(target_id=target, org_unit_id=parent_id, period=code, period_start=dates[0], period_end=dates[1],
                                    value=total.value, found=total.found, expected=total.expected))
    if removals:
        TreeTotal.objects.filter(pk__in=removals).delete()
    if writes:
        TreeTotal.objects.bulk_create(
            writes, update_conflicts=True, unique_fields=["target", "org_unit", "period_start", "period_end"],
            update_fields=["period", "value", "found", "expected"], batch_size=2000,
        )
    return len(writes) + len(removals)


def _valid_during(valid_from: date | None, valid_to: date | None, dates: Dates) -> bool:
    return (valid_from is None or valid_from <= dates[1]) and (valid_to is None or valid_to >= dates[0])
