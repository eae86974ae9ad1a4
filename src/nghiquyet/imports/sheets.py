"""A sheet whose kind is known, and the signal for a row that waits for a later one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nghiquyet.imports.reader import RawSheet, iter_cells
from nghiquyet.imports.schema import SheetKind


@dataclass
class Sheet:
    """A sheet whose kind is known and whose header is mapped to column keys."""

    name: str
    kind: SheetKind
    raw: RawSheet
    positions: dict[str, int]

    def rows(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """(row number, {column key: cell}) for each row with anything in it."""
        positions = self.positions.items()
        for number, cells in iter_cells(self.raw):
            yield number, {key: cells[index] if index < len(cells) else None for key, index in positions}

    def numbered_rows(self) -> Iterable[tuple[int, list[Any]]]:
        """(row number, cells) for each row with anything in it: the fast path for large sheets."""
        return iter_cells(self.raw)


class Deferred(Exception):
    """A row refers to a row further down the same sheet; it is tried again after the others."""
