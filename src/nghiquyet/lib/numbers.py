"""Numbers in JSON, and a spreadsheet's percent cells. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


class PercentCell(float):
    """A spreadsheet number cell formatted as a percentage: stored 0.125, shown (and meant) "12,5%".
    The import reader hands such cells on as this type; `figures.values` reads them as the person sees
    them. Everywhere else it is the float it always was."""

    __slots__ = ()


def json_number(value: Decimal | None) -> int | float | None:
    """JSON numbers: whole values as integers (1635, milestones 1/0), others as floats."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def exact_sum(values: Iterable[Decimal | None]) -> Decimal:
    """Sum figures exactly. Done in Python, not with SQL SUM: SQLite adds DECIMAL columns as floats."""
    total = Decimal(0)
    for value in values:
        if value is not None:
            total += value
    return total
