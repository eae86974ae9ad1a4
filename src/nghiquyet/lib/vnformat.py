"""Vietnamese number, percent and date formatting, the way reports write them. Pure, no database.

Dot groups thousands, comma marks decimals ("1.635", "0,21%", "1.500.050,3"). Rounding is half-up on
Decimal (Python's round() is half-even and floats are inexact), trailing zeros are dropped.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "vi_VN"


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, decimals: int = 2, *, locale: str = LOCALE) -> str:
    """"1.635", "0,21", "-3,5": at most `decimals` decimals, half-up, trailing zeros dropped."""
    if value is None:
        return ""
    rounded = round_half_up(Decimal(value), decimals)
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    # Babel only lays out the digits here: the value is already rounded, so its own rounding never acts.
    text = format_decimal(rounded, format=pattern, locale=locale)
    return "0" if text in {"-0", "−0"} else text


def format_percent(
    value: Decimal | None, decimals: int = 2, *, below_100: bool = False, locale: str = LOCALE
) -> str:
    """"102%", "94,7%", "74,38%". With below_100 (a target not met) a value under 100 never shows as 100%
    or more: 99,995 becomes "99,99%", not "100%"."""
    if value is None:
        return ""
    value = Decimal(value)
    rounded = round_half_up(value, decimals)
    if below_100 and value < 100 <= rounded:
        rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)
    return f"{format_number(rounded, decimals, locale=locale)}%"


LOCALES = {"vi": LOCALE, "en": "en_US"}


def format_change(change: Decimal | None, unit: str | None, decimals: int = 2, *, lang: str = "vi") -> str:
    """"tăng 5,75%", "giảm 0,5 điểm %", "không đổi"; empty when there is nothing to compare."""
    if change is None or unit is None:
        return ""
    rounded = round_half_up(change, decimals)
    if lang == "en":
        if rounded == 0:
            return "unchanged"
        amount = format_number(abs(rounded), decimals, locale=LOCALES["en"])
        return f"{'up' if rounded > 0 else 'down'} {amount} {'points' if unit == 'percentage_points' else '%'}".replace(" %", "%")
    if rounded == 0:
        return "không đổi"
    verb = "tăng" if rounded > 0 else "giảm"
    amount = format_number(abs(rounded), decimals)
    return f"{verb} {amount} điểm %" if unit == "percentage_points" else f"{verb} {amount}%"


def format_date_long(day: date) -> str:
    """"ngày 17 tháng 01 năm 2022", as Party and State documents write dates."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def format_date_short(day: date) -> str:
    """"17/01/2022"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
