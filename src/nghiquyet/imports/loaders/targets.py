"""The targets sheet: one target a row, through targets.services; a numerator or denominator further down is waited for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nghiquyet.imports.cells import cell_bool, cell_int, cell_text
from nghiquyet.imports.sheets import Deferred, Sheet
from nghiquyet.lib.errors import DomainError
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution, Target
from nghiquyet.targets.rules import ValueKind

if TYPE_CHECKING:
    from nghiquyet.imports.importer import Importer


def load(importer: Importer, sheet: Sheet) -> None:
    """Load every row of the sheet (see the module\'s docstring)."""
    codes_in_sheet = {(cell_text(row.get("resolution")), cell_text(row.get("code"))) for _, row in sheet.rows()}
    present = sheet.positions
    resolutions: dict[str, Resolution] = {}

    def related(resolution: Resolution, column: str, row: dict[str, Any], existing: Target | None) -> Target | None:
        if column not in present:
            return getattr(existing, column) if existing else None
        code = cell_text(row.get(column))
        if not code:
            return None
        try:
            return services.get_target(resolution=resolution, code=code)
        except DomainError as error:
            error.field = column
            if (resolution.key, code) in codes_in_sheet:
                raise Deferred(error) from None
            raise

    def optional(row: dict[str, Any], column: str, existing: Target | None, default: str) -> str:
        """A choice column: the cell when given, else what the target has, else the default."""
        if column in present and cell_text(row.get(column)):
            return cell_text(row.get(column)).lower()
        return getattr(existing, column) if existing else default

    def apply(row: dict[str, Any]) -> None:
        key = cell_text(row["resolution"])
        if key not in resolutions:
            resolutions[key] = services.get_resolution(key=key)
        resolution = resolutions[key]
        code = cell_text(row["code"])
        existing = resolution.targets.filter(code=code).first()
        is_key = cell_bool(row.get("key_target"), "key_target") if "key_target" in present else (existing.is_key if existing else False)
        decimals = cell_int(row.get("decimals"), "decimals", importer.locale) if "decimals" in present else None
        if decimals is None:
            decimals = existing.decimals if existing else 0
        _, changed = services.save_target(
            resolution=resolution,
            code=code,
            name=cell_text(row["name"]),
            unit=cell_text(row.get("unit")) if "unit" in present else (existing.unit if existing else ""),
            direction=cell_text(row["direction"]).lower(),
            value_kind=optional(row, "value_kind", existing, ValueKind.COUNT),
            accumulation=optional(row, "accumulation", existing, "flow"),
            rollup=optional(row, "rollup", existing, "sum"),
            numerator=related(resolution, "numerator", row, existing),
            denominator=related(resolution, "denominator", row, existing),
            is_key=is_key,
            decimals=decimals,
        )
        importer.count("targets", existing is None, changed)

    importer.each_row(sheet, ("resolution", "code"), apply, key_column="code")
