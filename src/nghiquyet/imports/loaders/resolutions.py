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
        given: dict[str, Any] = {name: cell_text(row.get(name)) for name in ("number", "title", "issuer", "notice") if name in present}
        if "issued_on" in present:
            given["issued_on"] = cell_date(row.get("issued_on"), "issued_on")
        if "term" in present:
            given["term_start"], given["term_end"] = cell_term(row.get("term"), "term")
        unit_code = cell_text(row.get("org_unit"))
        if unit_code:  # read at the issue date, else over the term, else today
            issued_on = given.get("issued_on", existing.issued_on if existing else None)
            term = (given.get("term_start", existing.term_start if existing else None), given.get("term_end", existing.term_end if existing else None))
            if issued_on or not term[0]:
                given["org_unit"] = importer.unit_at(unit_code, on=issued_on or date.today())
            else:
                given["org_unit"] = importer.unit_at(unit_code, period=parse_period(f"{term[0]}-{term[1]}"))
        if "parent" in present:
            given["parent"] = _parent(cell_text(row.get("parent")), keys_in_sheet)
        if "nearly_met" in present:
            cell = row.get("nearly_met")
            given["nearly_met_threshold"] = values.number(cell, locale=importer.locale, field="nearly_met")[0] if cell_text(cell) else None
        if "entry_closes_after_days" in present:
            cell = row.get("entry_closes_after_days")
            given["entry_closes_after_days"] = _days(cell, importer.locale) if cell_text(cell) else None
        _, changed = services.update_or_create_resolution(key=key, **given)
        importer.count("resolutions", existing is None, changed)

    importer.each_row(sheet, ("key",), apply, key_column="key")


def _days(cell: Any, locale: str) -> int:
    days = values.number(cell, locale=locale, field="entry_closes_after_days")[0]
    if days != days.to_integral_value():
        raise Invalid("Số ngày khóa nhập phải là số nguyên.", en="The days before entry closes must be a whole number.",
                      field="entry_closes_after_days")
    return int(days)


def _parent(key: str, keys_in_sheet: set[str]) -> Resolution | None:
    if not key:
        return None
    try:
        return services.get_resolution(key=key)
    except DomainError as error:
        error.field = "parent"
        if key in keys_in_sheet:
            raise Deferred(error) from None
        raise
