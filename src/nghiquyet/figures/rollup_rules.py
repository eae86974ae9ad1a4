"""How a figure is derived when nobody reported it directly: up the org tree and across periods. Pure, no
database: the read layer hands in the values it found, these rules say what they add up to and how complete
that is. docs/decisions/0015-roll-ups.md.

Across periods (a unit's months → its quarter, half, year), by the target's accumulation:
- flow (sums over time: new party members, budget revenue): the sum of the sub-periods;
- stock (a level at a moment: doctors per 10.000 people) and year-to-date (a running total): the value of the
  latest sub-period that has one.
The finest kind of sub-period that has any value is used (months before quarters before halves). A flow is
complete when every sub-period up to its end — or up to today while it runs — has a value; a stock or a
year-to-date figure when its latest expected sub-period has one; otherwise the result is partial and says so
("8/12 tháng").

Up the tree (a province from its communes), by the target's rollup:
- sum: the sum of the children's values, counting only children that add into the parent's kind
  (`COUNTED_UNDER`): a territory's committee adds its territories and its party organisations (the party bloc
  of agencies is part of the city's party organisation: its new members are the city's), never its
  departments (a department's health figures are the territory's own, counted again); a child's own reported value stands for it, else what its own children add up to;
- ratio: recomputed from the numerator's and the denominator's sums, never an average of ratios;
- none: nothing is derived; only the unit's own value counts.
A roll-up states its completeness ("96/103 đơn vị đã báo cáo") and is never passed off as a total when partial.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nghiquyet.lib.periods import FINER, Period, PeriodKind, sub_periods

FLOW, STOCK, YEAR_TO_DATE = "flow", "stock", "year_to_date"
SUM, RATIO, NONE = "sum", "ratio", "none"
KIND_WORDS = {PeriodKind.MONTH: "tháng", PeriodKind.QUARTER: "quý", PeriodKind.HALF: "6 tháng", PeriodKind.YEAR: "năm"}


@dataclass(frozen=True)
class Derived:
    """A derived value and how much it rests on."""

    value: Decimal | None
    found: int  # sub-periods or child units with a value
    expected: int  # sub-periods (up to today) or child units that count
    of: str = ""  # what `found` counts: "tháng", "đơn vị"…

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.found >= self.expected

    @property
    def coverage(self) -> str:
        """"8/12 tháng", "96/103 đơn vị"."""
        return f"{self.found}/{self.expected} {self.of}".strip()


NOTHING = Derived(None, 0, 0)


def over_periods(period: Period, values: Mapping[str, Decimal], accumulation: str, *, today: date) -> Derived:
    """`period`'s value from its sub-periods' values (period code → value), by accumulation; only the
    sub-periods that have begun by `today` are expected."""
    for kind in FINER.get(period.kind, ()):
        parts = sub_periods(period, kind)
        found = [index for index, part in enumerate(parts) if part.code in values]  # in order
        if not found:
            continue
        expected = sum(1 for part in parts if part.start <= today) or len(parts)  # the sub-periods begun: a prefix
        if accumulation == FLOW:  # every sub-period adds to it
            value = sum((values[parts[index].code] for index in found), Decimal(0))
            return Derived(value, sum(1 for index in found if index < expected), expected, KIND_WORDS[kind])
        # stock, year to date: the latest value stands for the period, as of its sub-period ("tới tháng 8")
        latest = found[-1]
        return Derived(values[parts[latest].code], min(latest + 1, expected), expected, KIND_WORDS[kind])
    return NOTHING


COUNTED_UNDER = {  # parent's unit type → the types of children that add into it
    "territory": frozenset({"territory", "party"}),
    "party": frozenset({"party"}),
    "department": frozenset({"department"}),
}


def adds_into(parent_type: str, child_type: str) -> bool:
    return child_type in COUNTED_UNDER.get(parent_type, frozenset({parent_type}))


@dataclass(frozen=True)
class Child:
    code: str
    value: Decimal | None  # its own value, else what it adds up to (the caller resolves that first)
    counted: bool = True  # adds into the parent's kind (a department under a territory: False)


def over_units(children: Sequence[Child], rollup: str) -> Derived:
    """The parent's value from its children's, for sum (ratio: see `ratio`, none: nothing)."""
    counted = [child for child in children if child.counted]
    if rollup != SUM or not counted:
        return NOTHING
    found = [child.value for child in counted if child.value is not None]
    value = sum(found, Decimal(0)) if found else None
    return Derived(value, len(found), len(counted), "đơn vị")


def ratio(numerator: Derived, denominator: Derived, *, scale: Decimal = Decimal(100)) -> Derived:
    """A ratio recomputed from the sums of its numerator and denominator (× scale: 100 for a percentage),
    as complete as the less complete of the two; none when the denominator is missing or zero."""
    if numerator.value is None or denominator.value in (None, Decimal(0)):
        return Derived(None, min(numerator.found, denominator.found), max(numerator.expected, denominator.expected), numerator.of)
    value = numerator.value / denominator.value * scale  # type: ignore[operator]
    weakest = min((numerator, denominator), key=lambda d: (d.found / d.expected) if d.expected else 1)
    return Derived(value, weakest.found, weakest.expected, weakest.of)


def share_elapsed(period: Period, today: date) -> Decimal | None:
    """How much of a period has passed by the end of `today` (0–1); None once it is over."""
    if today >= period.end:
        return None
    if today < period.start:
        return Decimal(0)
    days = (period.end - period.start).days + 1
    return Decimal((today - period.start).days + 1) / Decimal(days)


def in_progress(period: Period, accumulation: str, today: date) -> bool:
    """A flow or year-to-date figure of a period still running is in progress, not "not met": it grows."""
    return accumulation in (FLOW, YEAR_TO_DATE) and share_elapsed(period, today) is not None


def pro_rata(plan: Decimal, period: Period, accumulation: str, today: date) -> Decimal | None:
    """The part of a flow or year-to-date plan due by `today` (None when the period is over or the plan is a
    level, which is due whole at any moment)."""
    share = share_elapsed(period, today)
    if share is None or accumulation == STOCK:
        return None
    return plan * share


def effective(own: Decimal | None, derived: Derived) -> Decimal | None:
    """What a unit counts as for its parent: its own reported value, else what it adds up to when complete."""
    if own is not None:
        return own
    return derived.value if derived.complete else None


def differs(own: Decimal | None, derived: Derived, *, tolerance: Decimal = Decimal("0.5")) -> bool:
    """Whether a unit's own value and its complete derived value disagree by more than `tolerance` percent."""
    if own is None or not derived.complete or derived.value is None:
        return False
    if own == 0:
        return derived.value != 0
    return abs(derived.value - own) / abs(own) * 100 > tolerance



def running_totals(values: Sequence[Decimal | None], accumulation: str) -> list[Decimal | None]:
    """Month by month, the total since the start of the year: a year-to-date figure is one already; a flow's
    months are added up, and only while none is missing (a gap would pass a partial sum off as the total).
    A stock has no running total (None throughout)."""
    if accumulation == YEAR_TO_DATE:
        return list(values)
    if accumulation != FLOW:
        return [None] * len(values)
    totals: list[Decimal | None] = []
    total: Decimal | None = Decimal(0)
    for value in values:
        total = None if total is None or value is None else total + value
        totals.append(total)
    return totals
