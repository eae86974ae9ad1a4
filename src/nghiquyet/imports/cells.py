"""Read the cells of an import file: text, dates, yes/no, whole numbers and terms, with errors that name
the column. Figures are read by the write service (figures.values), not here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from nghiquyet.figures import values
from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.vnparse import parse_milestone
from nghiquyet.targets.services import read_term


def cell_text(cell: Any) -> str:
    """A cell as text: yes/no cells as 1/0, dates in ISO form, everything else as figures.values.text."""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return values.text(cell)


def cell_date(cell: Any, column: str) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise Invalid(
        f'Ngày "{text}" không hợp lệ; viết dạng 2025-07-01 hoặc 01/07/2025.',
        en=f'Date "{text}" is not valid; write 2025-07-01 or 01/07/2025.',
        field=column,
    )


def cell_bool(cell: Any, column: str) -> bool:
    return parse_milestone(cell_text(cell), field=column) == 1


def cell_int(cell: Any, column: str, locale: str) -> int | None:
    if cell_text(cell) == "":
        return None
    value, _ = values.number(cell, locale=locale, field=column)
    if value != value.to_integral_value():
        raise Invalid(f'"{cell}" không phải số nguyên.', en=f'"{cell}" is not a whole number.', field=column)
    return int(value)


def cell_term(cell: Any, column: str) -> tuple[int | None, int | None]:
    text = cell_text(cell)
    if not text:
        return None, None
    return read_term(text, field=column)
