"""Spreadsheet exports that a spreadsheet cannot turn into formulas. Pure, no database.

A CSV may be opened by a spreadsheet that splits on "," or, in the Vietnamese locale, on ";". So:
- every text cell is quoted (a spreadsheet keeps a quoted field whole, whatever it splits on);
- a text cell that a spreadsheet could read as a formula, at its start or after either separator
  ("x;=1+1;" splits into "x" and "=1+1" where quotes are ignored), gets a leading apostrophe, which
  Excel and LibreOffice take as "this is text";
- numbers stay numbers (unquoted), so the machine format keeps its dot decimals.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = re.compile(r"""[,;]["'\s]*[=+\-@]""")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet could run as a formula (at its start, or after a "," or ";") gets a leading
    apostrophe so Excel and LibreOffice show it as text ("=HYPERLINK(…)"). Numbers stay numbers."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or _FORMULA_AFTER_SEPARATOR.search(value)):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], *, bom: bool = True, lineterminator: str = "\r\n") -> str:
    """CSV with every text cell neutralised and quoted; numbers bare. A UTF-8 BOM (by default) so
    Excel reads the Vietnamese text right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_cell(cell) for cell in row])
    return ("\ufeff" if bom else "") + out.getvalue()


def _cell(value: Any) -> Any:
    """QUOTE_NONNUMERIC quotes what is not a number: text (neutralised) quoted, numbers bare."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)):
        return value
    return safe_cell(str(value))
