"""Template filters for Vietnamese figures and dates (lib.vnformat)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils import translation

from nghiquyet.audit.services import as_json
from nghiquyet.lib.periods import Period
from nghiquyet.lib.vnformat import format_date_long, format_date_short, format_number, format_percent

register = template.Library()


@register.filter
def vn_number(value: Decimal | int | None, decimals: int = 2) -> str:
    return format_number(value, int(decimals))


@register.filter
def vn_percent(value: Decimal | None) -> str:
    return format_percent(value)


@register.simple_tag(takes_context=True)
def period_label(context: dict, period: Period) -> str:
    """A period's name in the page's language ("năm 2021" / "2021")."""
    request = context.get("request")
    lang = "en" if request is not None and getattr(request, "LANGUAGE_CODE", "vi").startswith("en") else "vi"
    return period.label(lang)


@register.filter(name="as_json")
def as_json_filter(value: object) -> str:
    """An audit event's old/new values as JSON text (the same as the CSV export)."""
    return as_json(value)


@register.filter
def vn_date(value: date | None) -> str:
    return format_date_short(value) if value else ""


@register.filter
def vn_date_long(value: date | None) -> str:
    """"ngày 18 tháng 12 năm 2020"; on English pages "18 December 2020"."""
    if not value:
        return ""
    if (translation.get_language() or "vi").startswith("en"):
        return f"{value.day} {value:%B} {value.year}"
    return format_date_long(value)


@register.filter
def shared_codes(units: list) -> set[str]:
    """The codes that name more than one of these units (a code reused after the 2025 reform): only those
    need their validity dates to be told apart in a list."""
    seen: set[str] = set()
    shared: set[str] = set()
    for unit in units or ():
        (shared if unit.code in seen else seen).add(unit.code)
    return shared
