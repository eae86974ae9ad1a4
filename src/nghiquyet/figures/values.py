"""The one reader of a figure's value, whatever road it came by. Pure: no database.

JSON numbers and spreadsheet number cells are taken as they are (a float at the 15 significant digits a
spreadsheet shows); text is read by `lib.vnparse.parse_number` under the caller's locale ("auto" when the
text came without one, as in the API: an ambiguous "1.635" is refused); milestones take yes/no words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from nghiquyet.lib.errors import Invalid
from nghiquyet.lib.numbers import PercentCell
from nghiquyet.lib.vnparse import nfc, parse_milestone, parse_number, plain_number
from nghiquyet.targets.checks import check_milestone
from nghiquyet.targets.rules import Direction, ValueKind


def text(raw: Any) -> str:
    """Text as given (a spreadsheet cell, a JSON string): NFC, without surrounding blanks."""
    if type(raw) is str:
        return raw.strip() if raw.isascii() else nfc(raw)
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return nfc(str(raw))


def number(raw: Any, *, locale: str = "auto", field: str = "value") -> tuple[Decimal, bool]:
    """(value, written with a "%") of a number given as a number or as text."""
    if isinstance(raw, (bool, date, datetime)):
        raise Invalid(f'"{raw}" không phải là số.', en=f'"{raw}" is not a number.', field=field)
    if isinstance(raw, PercentCell):  # 0.125 in a cell shown as 12,5%: the figure typed is 12,5 (a percent)
        return Decimal(f"{raw * 100:.15g}"), True
    if isinstance(raw, Decimal):
        return raw, False
    if isinstance(raw, int):
        return Decimal(raw), False
    if isinstance(raw, float):
        return Decimal(f"{raw:.15g}"), False
    written = text(raw)
    if not written:
        raise Invalid("Thiếu giá trị.", en="The value is missing.", field=field)
    parsed = parse_number(written, locale=locale, field=field)
    return parsed.value, parsed.percent


def reader(*, direction: str, value_kind: str, code: str, unit: str, locale: str, field: str = "value") -> Callable[[Any], Decimal]:
    """`figure` with its target and locale fixed: what a batch calls once per value."""
    if direction == Direction.MILESTONE:
        return lambda raw: figure(raw, direction=direction, value_kind=value_kind, code=code, unit=unit, locale=locale, field=field)

    def read(raw: Any) -> Decimal:
        if type(raw) is str:
            plain = plain_number(raw, locale)  # the common case of a large import, in one step
            if plain is not None:
                return plain
        return figure(raw, direction=direction, value_kind=value_kind, code=code, unit=unit, locale=locale, field=field)

    return read


def figure(raw: Any, *, direction: str, value_kind: str, code: str, unit: str, locale: str = "auto", field: str = "value") -> Decimal:
    """A target's value as written: a milestone's yes/no, or a number ("%" only for percent targets)."""
    if type(raw) is str and direction != Direction.MILESTONE:
        plain = plain_number(raw, locale)  # the common case of a large import, read in one step
        if plain is not None:
            return plain
    if direction == Direction.MILESTONE:
        if isinstance(raw, bool):  # a spreadsheet's TRUE / FALSE
            return Decimal(int(raw))
        if isinstance(raw, str) or raw is None:
            return parse_milestone(raw, field=field)
        value, _ = number(raw, locale=locale, field=field)
        check_milestone(value, field)
        return value
    value, percent = number(raw, locale=locale, field=field)
    if percent and value_kind != ValueKind.PERCENT:
        raise Invalid(
            f'Dấu % chỉ dùng cho chỉ tiêu tỷ lệ; chỉ tiêu {code} tính bằng "{unit}".',
            en=f'"%" is only for percent targets; target {code} is measured in "{unit}".',
            field=field,
        )
    return value
