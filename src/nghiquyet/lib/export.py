"""Spreadsheet exports that a spreadsheet cannot turn into formulas. Pure, no database."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text starting with = + - @ (or a tab / carriage return) gets a leading apostrophe so Excel and
    LibreOffice show it as text instead of running it ("=HYPERLINK(…)"). Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with every cell neutralised; a UTF-8 BOM so Excel reads the Vietnamese text right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell("" if cell is None else cell) for cell in row])
    return "\ufeff" + out.getvalue()
