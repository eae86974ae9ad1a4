"""Numbers in JSON. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


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
