"""The resolutions sheet: one resolution a row, through targets.services; a parent further down the sheet is waited for."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from nghiquyet.figures import values
from nghiquyet.imports.cells import cell_date, cell_term, cell_text
from nghiquyet.imports.sheets import Deferred, Sheet
from nghiquyet.lib.errors import DomainError, Invalid
from nghiquyet.lib.periods import parse_period
from nghiquyet.targets import services
from nghiquyet.targets.models import Resolution

if TYPE_CHECKING:
    from nghiquyet.imports.importer import Importer


def load(importer: Importer, sheet: Sheet) -> None:
    """Load every row of the sheet (see the module\'s docstring)."""
    keys_in_sheet = {cell_text(row.get("key")) for _, row in sheet.rows()}
    present = sheet.positions

    def apply(row: dict[str, Any]) -> None:
        key = cell_text(row["key"])
        existing = Resolution.objects.filter(key=key).first()
        issued_on = cell_date(row.get("issued_on"), "issued_on") if "issued_on" in present else (existing.issued_on if existing else None)
        term = cell_term(row.get("term"), "term") if "term" in present else ((existing.term_start, existing.term_end) if existing else (None, None))
        unit_code = cell_text(row.get("org_unit"))
        if unit_code:
            if issued_on or not term[0]:
                org_unit = importer.unit_at(unit_code, on=issued_on or date.today())
            else:
                org_unit = importer.unit_at(unit_code, period=parse_period(f"{term[0]}-{term[1]}"))
        elif existing is not None:
            org_unit = existing.org_unit
        else:
            raise Invalid("Nghị quyết mới cần mã đơn vị chủ trì.", en="A new resolution needs an org_unit.", field="org_unit")
        parent = existing.parent if existing and "parent" not in present else None
        parent_key = cell_text(row.get("parent"))
        if parent_key:
            try:
                parent = services.get_resolution(key=parent_key)
            except DomainError as error:
                error.field = "parent"
                if parent_key in keys_in_sheet:
                    raise Deferred(error) from None
                raise
        nearly_met = None
        if "nearly_met" in present and cell_text(row.get("nearly_met")):
            nearly_met, _ = values.number(row.get("nearly_met"), locale=importer.locale, field="nearly_met")
        elif existing is not None and "nearly_met" not in present:
            nearly_met = existing.nearly_met_threshold
        _, changed = services.save_resolution(
            key=key,
            number=cell_text(row["number"]),
            title=cell_text(row["title"]),
            issuer=cell_text(row.get("issuer")) if "issuer" in present else (existing.issuer if existing else ""),
            issued_on=issued_on,
            term_start=term[0],
            term_end=term[1],
            org_unit=org_unit,
            parent=parent,
            nearly_met_threshold=nearly_met,
            notice=cell_text(row.get("notice")) if "notice" in present else (existing.notice if existing else ""),
        )
        importer.count("resolutions", existing is None, changed)

    importer.each_row(sheet, ("key",), apply, key_column="key")
