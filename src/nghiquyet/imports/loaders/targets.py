"""The targets sheet: one target a row, through targets.services; a numerator or denominator further down is waited for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nghiquyet.imports.cells import cell_bool, cell_int, cell_text
from nghiquyet.imports.sheets import Deferred, Sheet
from nghiquyet.lib.errors import DomainError
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution, Target

if TYPE_CHECKING:
    from nghiquyet.imports.importer import Importer


def load(importer: Importer, sheet: Sheet) -> None:
    """Load every row of the sheet (see the module\'s docstring)."""
    codes_in_sheet = {(cell_text(row.get("resolution")), cell_text(row.get("code"))) for _, row in sheet.rows()}
    present = sheet.positions
    resolutions: dict[str, Resolution] = {}

    def related(resolution: Resolution, column: str, row: dict[str, Any]) -> Target | None:
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

    def apply(row: dict[str, Any]) -> None:
        key = cell_text(row["resolution"])
        if key not in resolutions:
            resolutions[key] = services.get_resolution(key=key)
        resolution = resolutions[key]
        code = cell_text(row["code"])
        existing = resolution.targets.filter(code=code).first()
        given: dict[str, Any] = {name: cell_text(row.get(name)) for name in ("name", "unit") if name in present}
        given["direction"] = cell_text(row["direction"]).lower()
        for choice in ("value_kind", "accumulation", "rollup"):  # a blank choice keeps what is stored
            if choice in present and cell_text(row.get(choice)):
                given[choice] = cell_text(row.get(choice)).lower()
        for column in ("numerator", "denominator"):
            if column in present:
                given[column] = related(resolution, column, row)
        if "key_target" in present:
            given["is_key"] = cell_bool(row.get("key_target"), "key_target")
        if "decimals" in present and cell_text(row.get("decimals")):
            given["decimals"] = cell_int(row.get("decimals"), "decimals", importer.locale)
        _, changed = services.update_or_create_target(resolution=resolution, code=code, **given)
        importer.count("targets", existing is None, changed)

    importer.each_row(sheet, ("resolution", "code"), apply, key_column="code")
