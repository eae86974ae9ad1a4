"""The org units sheet: one unit a row, through orgunits.services; a parent or predecessor further down the sheet is waited for."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from nghiquyet.imports.cells import cell_date, cell_text
from nghiquyet.imports.sheets import Sheet
from nghiquyet.lib.errors import Invalid
from nghiquyet.orgunits import services as orgunit_services
from nghiquyet.orgunits.models import OrgUnit

if TYPE_CHECKING:
    from nghiquyet.imports.importer import Importer


def load(importer: Importer, sheet: Sheet) -> None:
    """Load every row of the sheet (see the module\'s docstring)."""
    codes_in_sheet = {cell_text(row.get("code")) for _, row in sheet.rows()}
    present = sheet.positions

    def apply(row: dict[str, Any]) -> None:
        code = cell_text(row["code"])
        valid_from = cell_date(row.get("valid_from"), "valid_from")
        valid_to = cell_date(row.get("valid_to"), "valid_to")
        existing = next((u for u in importer.units_by_code().get(code, []) if u.valid_from == valid_from), None)
        parent_code = cell_text(row.get("parent"))
        parent = existing.parent if existing and "parent" not in present else None
        if parent_code:
            parent = importer.unit_at(parent_code, on=valid_from or valid_to or date.today(), later=codes_in_sheet, column="parent")
        predecessors: list[OrgUnit] | None = None
        if "predecessors" in present:
            names = [c.strip() for c in cell_text(row.get("predecessors")).replace(",", ";").split(";") if c.strip()]
            if names and valid_from is None:
                raise Invalid(
                    "Đơn vị có tiền thân phải có ngày bắt đầu hiệu lực.",
                    en="A unit with predecessors needs valid_from.",
                    field="valid_from",
                )
            predecessors = [
                importer.unit_at(name, on=date.fromordinal(valid_from.toordinal() - 1), later=codes_in_sheet, column="predecessors")
                for name in names
                if valid_from
            ]
        unit, changed = orgunit_services.save_org_unit(
            unit=existing,
            code=code,
            name=cell_text(row["name"]),
            parent=parent,
            level=cell_text(row["level"]) if "level" in present else (existing.level if existing else ""),
            unit_type=(cell_text(row["type"]).lower() or "territory") if "type" in present else (existing.unit_type if existing else "territory"),
            valid_from=valid_from,
            valid_to=valid_to if "valid_to" in present or existing is None else existing.valid_to,
            predecessors=predecessors if predecessors is not None else (existing.predecessors.all() if existing else ()),
        )
        if existing is None:
            importer.units_by_code()[code].append(unit)
        importer.count("org_units", existing is None, changed)

    importer.each_row(sheet, ("code", "valid_from"), apply, key_column="code")
    importer.forget_units()  # paths and spans may have changed: read again when next needed
